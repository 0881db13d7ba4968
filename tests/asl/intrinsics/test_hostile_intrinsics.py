"""Hostile text given to ``States.StringToJson``: Jackson's limits decide, as on AWS. Text Jackson
refuses fails the execution with ``States.Runtime`` (the wording of any other bad JSON text), never
an "Internal executor error"; a number beyond the double range is held as ``"Infinity"``."""

from __future__ import annotations

import pytest

from constructs_sfn.asl import Execution, VirtualClock, parse_definition

STRING_TO_JSON = {
    "StartAt": "Decode",
    "States": {"Decode": {"Type": "Pass", "Parameters": {"value.$": "States.StringToJson($.text)"}, "End": True}},
}


def decode(text: str) -> Execution:
    return Execution(parse_definition(STRING_TO_JSON), {"text": text}, clock=VirtualClock.fixed()).run()


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("text", [deep(3000), deep(1001), '{"a":' * 1001 + "1" + "}" * 1001, "7" * 5000, "NaN"])
def test_text_jackson_refuses_fails_with_the_usual_runtime_error(text: str) -> None:
    execution = decode(text)
    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert execution.cause == (
        "An error occurred while executing the state 'Decode' (entered at the event id #2). "
        f"Invalid arguments in States.StringToJson: the argument is not valid JSON text: {text}"
    )


def test_a_thousand_levels_decode() -> None:
    execution = decode(deep(1000))
    assert execution.status == "SUCCEEDED"
    assert execution.output_text == '{"value":' + deep(1000) + "}"


@pytest.mark.parametrize(
    ("text", "output"), [("1e400", '{"value":"Infinity"}'), ('{"n": -1e999}', '{"value":{"n":"-Infinity"}}')]
)
def test_numbers_beyond_the_double_range_are_held_as_jackson_writes_them(text: str, output: str) -> None:
    execution = decode(text)
    assert (execution.status, execution.output_text) == ("SUCCEEDED", output)


def test_a_lone_surrogate_is_kept() -> None:
    execution = decode('"\\ud800"')
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"value": "\ud800"}
