"""The worked examples of the developer guide's "Input and Output Processing" and "Paths" pages.

Pages: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-input-output-processing.html
and https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
"""

from __future__ import annotations

from typing import Any

import pytest
from docs_support import LAMBDA_ARN, Worker, one_state, returns, run, succeeded

from constructs_sfn.asl import DefinitionError, parse_definition

PATHS_INPUT = {"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": True}}


@pytest.mark.parametrize(
    ("path", "selected"),
    [("$.foo", 123), ("$.bar", ["a", "b", "c"]), ("$.car.cdr", True)],
)
def test_reference_paths_select_one_node(path: str, selected: Any) -> None:
    """The pages' reference-path table: each path names exactly one node; used as OutputPath it makes
    that node the state's output, used as ResultPath it is where the result goes.
    """
    assert succeeded(one_state({"Type": "Pass", "OutputPath": path}), PATHS_INPUT) == selected
    written = succeeded(one_state({"Type": "Pass", "Result": "new", "ResultPath": path}), PATHS_INPUT)
    head, _, last = path[2:].rpartition(".")
    node = written
    for name in filter(None, head.split(".")):
        node = node[name]
    assert node[last] == "new"


@pytest.mark.parametrize("path", ["$.bar[*]", "$..foo", "$.bar[0:2]", "$.bar[?(@ == 'a')]", "$.bar[0,1]"])
def test_result_path_must_be_a_reference_path(path: str) -> None:
    """The operators ``@ .. , : ? *`` are not allowed in a reference path, and ResultPath takes only
    reference paths: a definition using one there is rejected when it is parsed.
    """
    with pytest.raises(DefinitionError) as raised:
        parse_definition(one_state({"Type": "Pass", "ResultPath": path}))

    assert "ResultPath" in str(raised.value)


def test_a_slice_in_input_path_yields_a_list() -> None:
    """The InputPath note: ``$.a[0:2]`` on ``{"a": [1, 2, 3, 4]}`` selects ``[1, 2]``."""
    assert succeeded(one_state({"Type": "Pass", "InputPath": "$.a[0:2]"}), {"a": [1, 2, 3, 4]}) == [1, 2]


def test_null_input_path_sends_an_empty_object() -> None:
    """``"InputPath": null`` discards the input: the task receives ``{}``."""
    worker = returns("done")

    succeeded(one_state({"Type": "Task", "Resource": LAMBDA_ARN, "InputPath": None}), {"a": 1}, worker=worker)

    assert worker.inputs == [{}]


def test_null_result_path_discards_the_result() -> None:
    """``"ResultPath": null``: the result is dropped and the input passes through untouched."""
    output = succeeded(
        one_state({"Type": "Task", "Resource": LAMBDA_ARN, "ResultPath": None}), {"a": 1}, worker=returns("x")
    )

    assert output == {"a": 1}


def test_null_output_path_sends_an_empty_object() -> None:
    """``"OutputPath": null``: the next state receives ``{}``."""
    assert succeeded(one_state({"Type": "Pass", "OutputPath": None}), {"a": 1}) == {}


def test_output_path_that_matches_nothing_fails_with_an_invalid_path_error() -> None:
    """An OutputPath that matches no item of the state's output raises an error (the Errors page
    names it ``States.Runtime`` for an invalid path); the execution fails.
    """
    execution = run(one_state({"Type": "Pass", "OutputPath": "$.missing"}), {"a": 1})

    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "$.missing" in (execution.cause or "")


def test_numbers_added_with_output_path_dollar() -> None:
    """The page's adder: the task sees ``numbers`` only; ResultPath ``$.sum`` writes its ``7`` into the
    raw input, so the output keeps ``title`` and ``numbers``.
    """
    worker = Worker(lambda numbers: numbers["val1"] + numbers["val2"])
    state = {"Type": "Task", "Resource": LAMBDA_ARN, "InputPath": "$.numbers", "ResultPath": "$.sum", "OutputPath": "$"}

    output = succeeded(one_state(state), {"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}}, worker=worker)

    assert worker.inputs == [{"val1": 3, "val2": 4}]
    assert output == {"title": "Numbers to add", "numbers": {"val1": 3, "val2": 4}, "sum": 7}


def test_numbers_added_with_output_path_selecting_the_sum() -> None:
    """The same state with ``"OutputPath": "$.sum"`` outputs just ``7``."""
    worker = Worker(lambda numbers: numbers["val1"] + numbers["val2"])
    state = {
        "Type": "Task",
        "Resource": LAMBDA_ARN,
        "InputPath": "$.numbers",
        "ResultPath": "$.sum",
        "OutputPath": "$.sum",
    }

    assert succeeded(one_state(state), {"numbers": {"val1": 3, "val2": 4}}, worker=worker) == 7
