"""Hostile JSON and JSONL item sources: the Map fails with ``States.ItemReaderFailed`` and Jackson's
message in the reader's usual cause, never an "Internal executor error"; within Jackson's limits
the items are read (numbers beyond the double range held as ``"Infinity"``)."""

from __future__ import annotations

import pytest
from runtime_support import FakeService, execute, single

from constructs_sfn.asl import Execution
from constructs_sfn.asl.services import TaskOutcome

DEPTH = "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)"
LENGTH = (
    "Number value length (5000) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)"
)
NAN = "Unrecognized token 'NaN': was expecting ('true', 'false' or 'null')"


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def read(body: str, input_type: str) -> Execution:
    """A distributed Map over the S3 object ``body`` (the items pass through unchanged)."""
    definition = single(
        {
            "Type": "Map",
            "ItemReader": {
                "Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": input_type},
                "Parameters": {"Bucket": "items", "Key": "items.json"},
            },
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Item",
                "States": {"Item": {"Type": "Pass", "End": True}},
            },
        }
    )
    return execute(definition, services=FakeService(TaskOutcome.success({"Body": body})))


@pytest.mark.parametrize(
    ("body", "message"),
    [(deep(3000), DEPTH), ("[" + "7" * 5000 + "]", LENGTH), ("[NaN]", NAN)],
)
def test_json_jackson_refuses_fails_the_map(body: str, message: str) -> None:
    execution = read(body, "JSON")
    assert (execution.status, execution.error) == ("FAILED", "States.ItemReaderFailed")
    assert execution.cause == f"Attempting to map over non-iterable node. ({message})"


@pytest.mark.parametrize(
    ("body", "message"),
    [('{"a": 1}\n' + deep(3000) + "\n", DEPTH), ("7" * 5000 + "\n", LENGTH), ("NaN\n", NAN)],
)
def test_a_jsonl_line_jackson_refuses_fails_the_map(body: str, message: str) -> None:
    execution = read(body, "JSONL")
    assert (execution.status, execution.error) == ("FAILED", "States.ItemReaderFailed")
    assert execution.cause == f"Invalid JSONL line: {message}"


def test_a_json_nan_is_no_array_either() -> None:
    execution = read("NaN", "JSON")
    assert (execution.status, execution.error) == ("FAILED", "States.ItemReaderFailed")
    assert execution.cause == f"Attempting to map over non-iterable node. ({NAN})"


@pytest.mark.parametrize("input_type", ["JSON", "JSONL"])
def test_items_as_deep_as_jackson_allows_are_read(input_type: str) -> None:
    body = "[" + deep(999) + "]" if input_type == "JSON" else deep(1000) + "\n"
    execution = read(body, input_type)
    assert execution.status == "SUCCEEDED"
    assert execution.output_text == "[" + deep(999) + "]" if input_type == "JSON" else "[" + deep(1000) + "]"


@pytest.mark.parametrize(("body", "input_type"), [("[1e400, -1e999]", "JSON"), ("1e400\n-1e999\n", "JSONL")])
def test_numbers_beyond_the_double_range_are_held_as_jackson_writes_them(body: str, input_type: str) -> None:
    execution = read(body, input_type)
    assert (execution.status, execution.output_text) == ("SUCCEEDED", '["Infinity","-Infinity"]')
