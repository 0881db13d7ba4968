"""The definition as a graph: one node per state, the transitions a run can take, nested clusters.

What the graph must show comes from the States Language: https://states-language.net/spec.html
(Choice rules and Default, Catch, End, Parallel Branches, Map ItemProcessor) and state names being
unique across the whole state machine, nested ones included.
"""

from __future__ import annotations

import json

from constructs_sfn.asl import parse_definition
from constructs_sfn.visual import build_graph
from constructs_sfn.visual.graph_model import LABEL_LIMIT, choice_rule_text

from .shop import shop_definition

NESTED = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Each",
                    "States": {
                        "Each": {
                            "Type": "Map",
                            "ItemProcessor": {
                                "StartAt": "Inner",
                                "States": {"Inner": {"Type": "Pass", "End": True}},
                            },
                            "End": True,
                        }
                    },
                },
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}],
            "End": True,
        },
        "Oops": {"Type": "Fail", "Error": "E"},
    },
}


def edges(graph):
    return {(edge.from_state, edge.to_state, edge.kind, edge.label) for edge in graph.edges}


def test_every_state_is_a_node_and_every_transition_an_edge() -> None:
    graph = build_graph(shop_definition())
    assert set(graph.node_of_state) == {"Validate", "Reject", "Charge", "Refund", "Pack", "PackItem", "Done"}
    found = edges(graph)
    assert (None, "Validate", "start", "") in found
    assert ("Validate", "Charge", "choice", "$.total > 0") in found
    assert ("Validate", "Reject", "default", "Default") in found
    assert ("Charge", "Pack", "next", "") in found
    assert ("Charge", "Refund", "catch", "Catch Declined") in found
    assert ("Pack", "Done", "next", "") in found
    # Succeed, Fail and End states end their scope.
    assert {(edge.from_state, edge.target) for edge in graph.edges if edge.kind == "end"} >= {
        ("Done", "end"),
        ("Reject", "end"),
        ("Refund", "end"),
    }


def test_parallel_branches_and_map_processor_are_nested_clusters() -> None:
    graph = build_graph(parse_definition(json.dumps(NESTED)))
    (fan,) = graph.clusters
    assert fan.state == "Fan"
    assert [branch.label for branch in fan.clusters] == ["Branch 1", "Branch 2"]
    left, right = fan.clusters
    assert left.nodes == (graph.node_of_state["Left"],)
    (each,) = right.clusters
    assert each.state == "Each"
    (processor,) = each.clusters
    assert processor.label == "Item processor"
    assert processor.nodes == (graph.node_of_state["Inner"],)
    # The branches start from the Parallel's header and end at its join node, where Catch leaves.
    found = {(edge.source, edge.target, edge.kind) for edge in graph.edges}
    header, join = graph.node_of_state["Fan"], "j" + graph.node_of_state["Fan"][1:]
    assert (header, graph.node_of_state["Left"], "start") in found
    assert (graph.node_of_state["Left"], join, "end") in found
    assert (join, graph.node_of_state["Oops"], "catch") in found
    assert graph.node(join).kind == "join"


def test_choice_rule_text_reads_like_the_rule() -> None:
    assert choice_rule_text({"Variable": "$.n", "NumericLessThanEquals": 3}) == "$.n <= 3"
    assert choice_rule_text({"Variable": "$.s", "StringEqualsPath": "$.t"}) == "$.s == $.t"
    assert choice_rule_text({"Variable": "$.x", "IsPresent": False}) == "not $.x IsPresent"
    rule = {"And": [{"Variable": "$.a", "BooleanEquals": True}, {"Not": {"Variable": "$.b", "StringMatches": "x*"}}]}
    assert choice_rule_text(rule) == '$.a == true and not $.b matches "x*"'
    assert choice_rule_text({"Condition": "{% $states.input.n > 1 %}"}) == "$states.input.n > 1"
    assert choice_rule_text({"Comment": "big order", "Variable": "$.n", "NumericGreaterThan": 9}) == "big order"


def test_long_labels_are_cut_and_jsonata_choices_are_drawn() -> None:
    long_name = "S" * 70
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Pick",
        "States": {
            "Pick": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.kind = 'a' %}", "Next": long_name}],
                "Default": long_name,
            },
            long_name: {"Type": "Succeed"},
        },
    }
    graph = build_graph(parse_definition(json.dumps(definition)))
    node = graph.node(graph.node_of_state[long_name])
    assert len(node.label) == LABEL_LIMIT
    assert node.label.endswith("\u2026")
    assert ("Pick", long_name, "choice", "$states.input.kind = 'a'") in edges(graph)
