"""Worked examples of the developer guide's "Passing data between states with variables" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
(the current guide; the 2023 repository has no page on variables).
"""

from __future__ import annotations

from typing import Any

from docs_support import LAMBDA_ARN, Worker, fails, succeeded


def test_assign_stores_values_a_later_state_reads() -> None:
    """The page's ``Assign`` of ``productName``, ``count`` and ``available``; a later state refers to
    them as ``$productName`` and so on (here in JSONata, and in JSONPath with ``.$`` keys).
    """
    assign = {"Type": "Pass", "Assign": {"productName": "product1", "count": 42, "available": True}, "Next": "Read"}
    jsonata = {
        "QueryLanguage": "JSONata",
        "StartAt": "Set",
        "States": {
            "Set": assign,
            "Read": {
                "Type": "Pass",
                "Output": {"name": "{% $productName %}", "n": "{% $count %}", "ok": "{% $available %}"},
                "End": True,
            },
        },
    }
    jsonpath = {
        "StartAt": "Set",
        "States": {
            "Set": assign,
            "Read": {
                "Type": "Pass",
                "Parameters": {"name.$": "$productName", "n.$": "$count", "ok.$": "$available"},
                "End": True,
            },
        },
    }

    for definition in (jsonata, jsonpath):
        assert succeeded(definition, {}) == {"name": "product1", "n": 42, "ok": True}


def test_a_state_reads_the_values_variables_had_when_it_was_entered() -> None:
    """Every expression of one state sees the variables as they were on entry: ``y`` gets the old
    ``x``, and Output too, although the same Assign gives ``x`` a new value.
    """
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Second"},
            "Second": {
                "Type": "Pass",
                "Assign": {"x": "{% $x + 1 %}", "y": "{% $x %}"},
                "Output": {"xSeen": "{% $x %}"},
                "Next": "Third",
            },
            "Third": {
                "Type": "Pass",
                "Output": {"x": "{% $x %}", "y": "{% $y %}", "before": "{% $states.input %}"},
                "End": True,
            },
        },
    }

    assert succeeded(definition, {}) == {"x": 2, "y": 1, "before": {"xSeen": 1}}


def test_states_holds_input_result_and_context() -> None:
    """``$states.input`` is the state's original input, ``$states.result`` the task's result and
    ``$states.context`` the context object.
    """
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA_ARN,
                "Arguments": {"n": "{% $states.input.n %}"},
                "Output": {
                    "input": "{% $states.input %}",
                    "result": "{% $states.result %}",
                    "state": "{% $states.context.State.Name %}",
                },
                "End": True,
            }
        },
    }

    output = succeeded(definition, {"n": 2}, worker=Worker(lambda arguments: arguments["n"] * 10))

    assert output == {"input": {"n": 2}, "result": 20, "state": "T"}


def test_a_catcher_assigns_from_the_error_output() -> None:
    """In a Catch, ``$states.errorOutput`` holds the error output; the catcher's Assign and Output can
    use it.
    """
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA_ARN,
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"lastError": "{% $states.errorOutput.Error %}"},
                        "Output": "{% $states.errorOutput %}",
                        "Next": "Handle",
                    }
                ],
                "End": True,
            },
            "Handle": {
                "Type": "Pass",
                "Output": {"error": "{% $lastError %}", "got": "{% $states.input %}"},
                "End": True,
            },
        },
    }

    output = succeeded(definition, {}, worker=fails("Custom.Failure", "went wrong"))

    assert output == {"error": "Custom.Failure", "got": {"Error": "Custom.Failure", "Cause": "went wrong"}}


def test_parallel_branches_and_map_iterations_read_outer_variables() -> None:
    """States inside a Parallel branch or a Map iteration can read the variables of the outer scope;
    data comes back out through their Output.
    """

    def inner(name: str) -> dict[str, Any]:
        use = {"Type": "Pass", "Output": "{% $prefix & $string($states.input) %}", "End": True}
        return {"StartAt": name, "States": {name: use}}

    definition: dict[str, Any] = {
        "QueryLanguage": "JSONata",
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"prefix": "item-"}, "Next": "Each"},
            "Each": {"Type": "Map", "Items": "{% [1, 2] %}", "ItemProcessor": inner("InMap"), "Next": "Both"},
            "Both": {"Type": "Parallel", "Branches": [inner("Left"), inner("Right")], "End": True},
        },
    }

    # The Map's output ["item-1", "item-2"] is the Parallel's input; each branch renders it.
    assert succeeded(definition, {}) == ['item-["item-1","item-2"]'] * 2


def test_variables_assigned_in_an_iteration_stay_in_it() -> None:
    """A variable assigned inside a Map iteration lives in that iteration's scope: the next state of
    the iteration reads it; each iteration has its own; the outer variables keep their values.
    """
    inner = {
        "StartAt": "Keep",
        "States": {
            "Keep": {"Type": "Pass", "Assign": {"local": "{% $states.input * 10 %}"}, "Next": "Read"},
            "Read": {"Type": "Pass", "Output": "{% $local + $base %}", "End": True},
        },
    }
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Set",
        "States": {
            "Set": {"Type": "Pass", "Assign": {"base": 1}, "Next": "Each"},
            "Each": {"Type": "Map", "Items": "{% [1, 2, 3] %}", "ItemProcessor": inner, "Next": "After"},
            "After": {"Type": "Pass", "Output": {"results": "{% $states.input %}", "base": "{% $base %}"}, "End": True},
        },
    }

    assert succeeded(definition, {}) == {"results": [11, 21, 31], "base": 1}
