"""The worked examples of the developer guide's ``ResultPath`` page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html

The page's Lambda function (from the "Creating a Lambda State Machine" tutorial) answers
``"Hello, <who>!"``; a scripted worker plays it here. Where the page's stated output repeats the
input with different wording (``"Default behavior example"`` for an input of ``"Default example"``,
``"a test of input"`` for ``"a test of the input"``), the page is inconsistent with its own input:
ResultPath never rewrites the other fields, so the tests expect the input's own text.
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import LAMBDA_ARN, Worker, fails, one_state, succeeded

INPUT = {
    "comment": "This is a test of the input and output of a Task state.",
    "details": "Default example",
    "who": "AWS Step Functions",
}


def hello() -> Worker:
    """The tutorial's function: greets whoever the input names."""
    return Worker(lambda event: f"Hello, {event['who']}!")


def task(**fields: Any) -> dict[str, Any]:
    """The tutorial's Task state with extra fields."""
    return one_state({"Type": "Task", "Resource": LAMBDA_ARN, **fields})


@pytest.mark.parametrize("fields", [{}, {"ResultPath": "$"}], ids=["omitted", "dollar"])
def test_result_replaces_the_input_by_default(fields: dict[str, Any]) -> None:
    """Without ResultPath (or with ``$``) the state's output is the function's result alone."""
    assert succeeded(task(**fields), INPUT, worker=hello()) == "Hello, AWS Step Functions!"


def test_result_added_to_the_input_under_a_new_field() -> None:
    """``$.taskresult`` keeps the input and adds the result as a new top-level field."""
    output = succeeded(task(ResultPath="$.taskresult"), INPUT, worker=hello())

    assert output == {**INPUT, "taskresult": "Hello, AWS Step Functions!"}


def test_result_added_as_a_child_of_an_existing_node() -> None:
    """``$.strings.lambdaresult`` inserts the result inside the existing ``strings`` object."""
    state_input = {
        "comment": "An input comment.",
        "strings": {"string1": "foo", "string2": "bar", "string3": "baz"},
        "who": "AWS Step Functions",
    }

    output = succeeded(task(ResultPath="$.strings.lambdaresult"), state_input, worker=hello())

    assert output == {
        "comment": "An input comment.",
        "strings": {"string1": "foo", "string2": "bar", "string3": "baz", "lambdaresult": "Hello, AWS Step Functions!"},
        "who": "AWS Step Functions",
    }


def test_result_overwrites_an_existing_node() -> None:
    """``$.comment`` names a field the input already has: the result replaces its value."""
    output = succeeded(task(ResultPath="$.comment"), INPUT, worker=hello())

    assert output == {**INPUT, "comment": "Hello, AWS Step Functions!"}


def test_catch_result_path_keeps_the_input_beside_the_error() -> None:
    """A Catcher with ``"ResultPath": "$.error"`` passes the input on with the error output added.

    The page shows only ``{"Error": "Error here"}`` under ``error``; the error output always carries
    ``Cause`` too when the failure has one (amazon-states-language-errors.html), so a failure without
    a cause is used here and the ``Cause`` key is checked separately.
    """
    definition = {
        "StartAt": "S",
        "States": {
            "S": {
                "Type": "Task",
                "Resource": LAMBDA_ARN,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "NextTask", "ResultPath": "$.error"}],
                "End": True,
            },
            "NextTask": {"Type": "Pass", "End": True},
        },
    }

    output = succeeded(definition, {"foo": "bar"}, worker=fails("Error here"))

    assert output["foo"] == "bar"
    assert output["error"]["Error"] == "Error here"
    assert set(output["error"]) <= {"Error", "Cause"}
