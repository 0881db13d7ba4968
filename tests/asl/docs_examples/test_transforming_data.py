"""Worked examples of the developer guide's "Transforming data with JSONata" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
(the current guide; the 2023 repository has no JSONata pages).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from docs_support import LAMBDA_ARN, Worker, entered, run, succeeded

ASSIGN_CUSTOMER = {"Type": "Pass", "Assign": {"customerName": "María"}, "Next": "Task"}


def test_jsonpath_parameters_and_jsonata_arguments_send_the_same_request() -> None:
    """The page's conversion sample: the JSONPath state's ``Parameters`` (``title.$``, ``name.$`` from
    a variable, a literal ``$customerName``) and the JSONata state's ``Arguments`` send the same
    request for input ``{"title": "Doctor"}`` with ``customerName`` = "María".
    """
    jsonpath_task = {
        "QueryLanguage": "JSONPath",
        "Type": "Task",
        "Resource": LAMBDA_ARN,
        "Parameters": {
            "static": "Hello",
            "title.$": "$.title",
            "name.$": "$customerName",
            "not-evaluated": "$customerName",
        },
        "End": True,
    }
    jsonata_task = {
        "QueryLanguage": "JSONata",
        "Type": "Task",
        "Resource": LAMBDA_ARN,
        "Arguments": {
            "static": "Hello",
            "title": "{% $states.input.title %}",
            "name": "{% $customerName %}",
            "not-evaluated": "$customerName",
        },
        "End": True,
    }
    expected = {"static": "Hello", "title": "Doctor", "name": "María", "not-evaluated": "$customerName"}

    for task in (jsonpath_task, jsonata_task):
        worker = Worker(lambda request: request)
        definition = {"StartAt": "Assign", "States": {"Assign": ASSIGN_CUSTOMER, "Task": task}}
        output = succeeded(definition, {"title": "Doctor"}, worker=worker)
        assert worker.inputs == [expected], task["QueryLanguage"]
        assert output == expected


def jsonata_pass(output: Any) -> dict[str, Any]:
    """A JSONata Pass state whose Output is ``output``."""
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Output": output, "End": True}},
    }


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("$partition([1, 2, 3, 4], 2)", [[1, 2], [3, 4]]),
        ("$partition([1, 2, 3, 4, 5], 2)", [[1, 2], [3, 4], [5]]),
        ("$range(0, 10, 2)", [0, 2, 4, 6, 8, 10]),
        ("$range(10, 0, -5)", [10, 5, 0]),
        ("$parse('{\"a\": [1, true, null]}')", {"a": [1, True, None]}),
        ("$hash('input data', 'SHA-256')", hashlib.sha256(b"input data").hexdigest()),
        ("$hash('input data', 'MD5')", hashlib.md5(b"input data").hexdigest()),
    ],
)
def test_functions_step_functions_adds_to_jsonata(expression: str, value: Any) -> None:
    """The page's list of functions Step Functions provides beside JSONata's own: ``$partition``
    (chunks, the last one shorter), ``$range`` (start, end inclusive, step), ``$parse`` (JSON text),
    ``$hash`` (hex digest with the named algorithm).
    """
    assert succeeded(jsonata_pass("{% " + expression + " %}")) == value


def test_uuid_gives_a_version_4_uuid() -> None:
    """``$uuid()`` returns a new version-4 UUID."""
    value = succeeded(jsonata_pass("{% $uuid() %}"))

    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)


def test_random_takes_an_optional_seed() -> None:
    """``$random()`` gives a number in [0, 1); with a seed, the same seed gives the same number."""
    output = succeeded(jsonata_pass({"a": "{% $random(42) %}", "b": "{% $random(42) %}", "c": "{% $random() %}"}))

    assert output["a"] == output["b"]
    assert all(0 <= output[key] < 1 for key in "abc")


def test_a_jsonata_choice_condition_picks_the_branch() -> None:
    """A JSONata Choice rule has a ``Condition``: an expression that must give a Boolean."""
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Condition": "{% $states.input.age >= 18 %}", "Next": "Adult"}],
                "Default": "Minor",
            },
            "Adult": {"Type": "Succeed"},
            "Minor": {"Type": "Succeed"},
        },
    }

    assert entered(run(definition, {"age": 30}))[-1] == "Adult"
    assert entered(run(definition, {"age": 12}))[-1] == "Minor"


def test_strings_without_the_delimiters_are_literals() -> None:
    """Only a string wrapped in ``{% %}`` is evaluated; anything else, ``$`` signs included, is kept."""
    output = succeeded(
        jsonata_pass({"literal": "$states.input", "evaluated": "{% $states.input.n * 2 %}", "n": 5}), {"n": 4}
    )

    assert output == {"literal": "$states.input", "evaluated": 8, "n": 5}


def test_an_expression_without_a_value_fails_with_query_evaluation_error() -> None:
    """JSON cannot hold an undefined value: an expression that selects nothing fails the state with
    ``States.QueryEvaluationError``.
    """
    execution = run(jsonata_pass("{% $states.input.missing %}"), {"present": 1})

    assert (execution.status, execution.error) == ("FAILED", "States.QueryEvaluationError")
    assert "missing" in (execution.cause or "")


def test_output_can_build_any_json_value() -> None:
    """Output takes any JSON value; expressions can sit at any depth of objects and arrays."""
    output = succeeded(
        jsonata_pass({"list": ["{% $states.input.a %}", {"deep": "{% $string($states.input.a) %}"}], "n": None}),
        {"a": 1},
    )

    assert output == {"list": [1, {"deep": "1"}], "n": None}
    assert json.dumps(output)
