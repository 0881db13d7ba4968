"""What a Map state iterates over, in both query languages, and how it fails when it cannot.

Sources: "ItemsPath (Map, JSONPath only)"
(https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html) and the Map state
page (https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html). JSONata ``Items``
causes follow the recorded AWS form ("The JSONata expression '...' specified for the field 'Items'
returned an unexpected result type. Expected 'array', but was '<type>' for value: <json>").
"""

from __future__ import annotations

from typing import Any

import pytest
from runtime_support import execute

from constructs_sfn.asl.errors import DefinitionError

PROCESSOR = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}


def jsonpath_map(**fields: Any) -> dict[str, Any]:
    """A one-state machine: a JSONPath Map named ``M`` whose iterations echo their item."""
    return {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": PROCESSOR, "End": True, **fields}}}


def jsonata_map(**fields: Any) -> dict[str, Any]:
    """The same machine in JSONata."""
    return {"QueryLanguage": "JSONata", **jsonpath_map(**fields)}


PREFIX = "An error occurred while executing the state 'M' (entered at the event id #2). "


def test_items_path_selects_the_array_to_iterate() -> None:
    """The page's example: ``"ItemsPath": "$.ThingsPiratesSay"`` runs one iteration per item."""
    pirates = [{"say": "Avast!"}, {"say": "Yar!"}, {"say": "Walk the Plank!"}]
    giants = [{"say": "Fee!"}, {"say": "Fi!"}, {"say": "Fo!"}, {"say": "Fum!"}]
    execution = execute(
        jsonpath_map(ItemsPath="$.ThingsPiratesSay"), {"ThingsPiratesSay": pirates, "ThingsGiantsSay": giants}
    )
    assert execution.status == "SUCCEEDED"
    assert execution.output == pirates


def test_items_path_applies_after_input_path() -> None:
    """ "the Map state applies ItemsPath after InputPath": the path reads the filtered input."""
    execution = execute(jsonpath_map(InputPath="$.outer", ItemsPath="$.items"), {"outer": {"items": [1, 2]}})
    assert execution.status == "SUCCEEDED"
    assert execution.output == [1, 2]


def test_an_empty_array_runs_no_iteration() -> None:
    """Zero items: the Map succeeds with an empty result."""
    execution = execute(jsonpath_map(ItemsPath="$.items"), {"items": []})
    assert execution.status == "SUCCEEDED"
    assert execution.output == []


@pytest.mark.parametrize(
    ("items_path", "document", "message"),
    [
        ("$.missing", {"items": [1]}, "No results for path: $['missing']"),
        ("$.a.b", {"items": [1]}, "Missing property in path $['a']"),
        ("$.a[0]", {"a": "text"}, 'Filter: [0] can only be applied to arrays. Current context is: "text"'),
    ],
)
def test_an_items_path_that_selects_nothing_fails_like_every_path_field(
    items_path: str, document: Any, message: str
) -> None:
    """The cause has the same form as InputPath's and TimeoutSecondsPath's recorded ones:
    ``Invalid path '<path>' : <the engine's message, with the normalized path>``."""
    execution = execute(jsonpath_map(ItemsPath=items_path), document)
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert execution.cause == f"{PREFIX}Invalid path '{items_path}' : {message}"


@pytest.mark.parametrize("value", ["text", 3, True, None])
def test_an_items_path_to_a_scalar_fails(value: Any) -> None:
    """ "that path must evaluate to a JSON array or object": a scalar fails the state."""
    execution = execute(jsonpath_map(ItemsPath="$.items"), {"items": value})
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "$.items" in (execution.cause or "")


def test_an_items_path_to_an_object_iterates_its_pairs() -> None:
    """ "If the input to the Map state is a JSON object, it runs an iteration for each key-value pair in
    the object, passing the pair to the iteration as input" (the page's ``$.servers.web`` example).

    The page does not spell the pair out; ``{"Key": ..., "Value": ...}`` in the object's order is the
    shape reported from AWS for a Distributed Map reading a JSON object (floci-io/floci#1588), and
    what the executor passes: an assumption, not a documented rule.
    """
    web = {"server1": {"port": 80, "status": "active"}, "server2": {"port": 8080, "status": "inactive"}}
    execution = execute(jsonpath_map(ItemsPath="$.servers.web"), {"environment": "production", "servers": {"web": web}})
    assert execution.status == "SUCCEEDED"
    assert execution.output == [
        {"Key": "server1", "Value": {"port": 80, "status": "active"}},
        {"Key": "server2", "Value": {"port": 8080, "status": "inactive"}},
    ]


def test_the_default_items_path_iterates_an_object_input() -> None:
    """ "By default, the Map state sets ItemsPath to $, which selects the entire input"; an object
    input therefore runs one iteration per pair as well."""
    execution = execute(jsonpath_map(), {"a": 1, "b": [2]})
    assert execution.status == "SUCCEEDED"
    assert execution.output == [{"Key": "a", "Value": 1}, {"Key": "b", "Value": [2]}]


def test_an_object_iteration_exposes_its_key_in_the_context_object() -> None:
    """With an object, ``$$.Map.Item.Key`` names the pair's key and ``$$.Map.Item.Value`` holds its
    value, as ItemSelector sees them."""
    selector = {"key.$": "$$.Map.Item.Key", "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}
    execution = execute(jsonpath_map(ItemsPath="$.items", ItemSelector=selector), {"items": {"b": 2, "a": 1}})
    assert execution.status == "SUCCEEDED"
    assert execution.output == [{"key": "b", "value": 2, "index": 0}, {"key": "a", "value": 1, "index": 1}]


def test_an_empty_object_runs_no_iteration() -> None:
    """No pairs, no iterations."""
    execution = execute(jsonpath_map(ItemsPath="$.items"), {"items": {}})
    assert execution.status == "SUCCEEDED"
    assert execution.output == []


@pytest.mark.parametrize("items_path", ["$.items[*]", "$..items", "$.items[0:2]"])
def test_items_path_must_be_a_reference_path(items_path: str) -> None:
    """ "The value of ItemsPath must be a Reference Path": wildcards, ``..`` and slices are refused at
    creation (the paths page's earlier wording: "The operators @ .. , : ? * aren't supported"; its
    current example ``$.jar[?(@.a >= 5)]`` leaves filters open, so they are not pinned here)."""
    with pytest.raises(DefinitionError):
        execute(jsonpath_map(ItemsPath=items_path), {"items": [1]})


def test_items_path_may_read_a_variable() -> None:
    """A Reference Path may start at a workflow variable (``$name``)."""
    definition = {
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"list": [1, 2, 3]}, "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$list", "ItemProcessor": PROCESSOR, "End": True},
        },
    }
    execution = execute(definition, {})
    assert execution.status == "SUCCEEDED"
    assert execution.output == [1, 2, 3]


# ---- JSONata: Items ----


def test_jsonata_items_default_to_the_input() -> None:
    """Without ``Items`` a JSONata Map iterates its input."""
    execution = execute(jsonata_map(), [1, 2])
    assert execution.status == "SUCCEEDED"
    assert execution.output == [1, 2]


def test_jsonata_items_may_be_a_literal_array_or_an_expression() -> None:
    """``Items`` takes a JSON array or an expression that evaluates to one."""
    assert execute(jsonata_map(Items=[3, 4]), {}).output == [3, 4]
    assert execute(jsonata_map(Items="{% $states.input.list %}"), {"list": ["a"]}).output == ["a"]


@pytest.mark.parametrize(
    ("expression", "type_name", "value_text"),
    [
        ("{% 'text' %}", "string", '"text"'),
        ("{% 1 %}", "number", "1"),
        ("{% true %}", "boolean", "true"),
        ("{% null %}", "null", "null"),
    ],
)
def test_jsonata_items_that_are_not_an_array_fail(expression: str, type_name: str, value_text: str) -> None:
    """The recorded cause names the expression, the type and the value."""
    execution = execute(jsonata_map(Items=expression), {})
    assert execution.status == "FAILED"
    assert execution.error == "States.QueryEvaluationError"
    inner = expression[2:-2].strip()
    assert execution.cause == (
        f"{PREFIX}The JSONata expression '{inner}' specified for the field 'Items' returned an unexpected "
        f"result type. Expected 'array', but was '{type_name}' for value: {value_text}"
    )
