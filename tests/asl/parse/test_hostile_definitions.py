"""Hostile definitions through ``parse_definition``: a DefinitionError (or a TypeError naming the
argument), never RecursionError, ValueError or UnicodeDecodeError."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl import DefinitionError, Execution, VirtualClock
from constructs_sfn.asl.parse import parse_definition


def choice_machine(rule: str) -> str:
    return (
        '{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[' + rule + '],"Default":"No"},'
        '"Yes":{"Type":"Succeed"},"No":{"Type":"Fail","Error":"No"}}}'
    )


def nots(depth: int) -> str:
    return '{"Not":' * depth + '{"Variable":"$.a","IsPresent":true}' + "}" * depth


def test_a_choice_rule_nested_as_deep_as_json_allows_parses_and_runs() -> None:
    # 995 levels of Not, plus the document's own 5: the JSON limit of 1000.
    text = choice_machine(nots(994)[:-1] + ',"Next":"Yes"}')
    # An even number of Not: the rule is IsPresent itself.
    execution = Execution(parse_definition(text), {"a": 1}, clock=VirtualClock.fixed()).run()
    assert execution.status == "SUCCEEDED"
    execution = Execution(parse_definition(text), {}, clock=VirtualClock.fixed()).run()
    assert execution.status == "FAILED"


def test_a_choice_rule_nested_deeper_is_invalid_json() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        parse_definition(choice_machine(nots(1200)[:-1] + ',"Next":"Yes"}'))
    assert excinfo.value.code == "INVALID_JSON_DESCRIPTION"
    assert "Document nesting depth (1001) exceeds the maximum allowed (1000" in excinfo.value.message


def test_a_deep_choice_rule_given_as_a_mapping_is_measured_too() -> None:
    rule: dict[str, Any] = {"Variable": "$.a", "IsPresent": True}
    for _ in range(1500):
        rule = {"Not": rule}
    document = {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{**rule, "Next": "C"}]}}}
    with pytest.raises(DefinitionError, match="Document nesting depth"):
        parse_definition(document)


def test_a_cyclic_mapping_is_refused() -> None:
    document: dict[str, Any] = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    document["States"]["P"]["Result"] = document
    with pytest.raises(DefinitionError, match="Document nesting depth"):
        parse_definition(document)


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ("NaN", "Unrecognized token 'NaN'"),
        ("1" * 5000, "Number value length (5000) exceeds the maximum allowed (1000"),
        ("[" * 1001 + "]" * 1001, "Document nesting depth (1001)"),
    ],
)
def test_json_aws_would_not_read_is_invalid_json(result: str, message: str) -> None:
    text = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":' + result + ',"End":true}}}'
    with pytest.raises(DefinitionError) as excinfo:
        parse_definition(text)
    assert excinfo.value.code == "INVALID_JSON_DESCRIPTION"
    assert message in excinfo.value.message
    assert "at line 1, column" in excinfo.value.message


def test_a_result_beyond_the_double_range_runs() -> None:
    text = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"big":1e400},"End":true}}}'
    execution = Execution(parse_definition(text), {}, clock=VirtualClock.fixed()).run()
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"big": "Infinity"}


@pytest.mark.parametrize("data", [b"\xff\xfe{}", "é".encode("latin-1"), b'{"StartAt": "\xe9"}'])
def test_bytes_that_are_not_utf8_are_said_so(data: bytes) -> None:
    with pytest.raises(DefinitionError, match="The definition is not UTF-8 text"):
        parse_definition(data)


def test_utf8_bytes_and_bytearrays_parse() -> None:
    text = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Comment": "café", "End": True}}})
    assert parse_definition(text.encode()).start_at == "P"
    assert parse_definition(bytearray(text.encode())).start_at == "P"


@pytest.mark.parametrize("value", [None, 5, 1.5, ["StartAt"], object()])
def test_values_that_are_no_definition_name_the_argument(value: Any) -> None:
    with pytest.raises(TypeError, match=r"definition must be the definition's text \(str, or UTF-8 bytes\)"):
        parse_definition(value)


@pytest.mark.parametrize("text", ['"\\ud800"', '{"StartAt": "\\ud800", "States": {}}', "[]", "null"])
def test_lone_surrogates_and_non_objects_are_definition_errors(text: str) -> None:
    with pytest.raises(DefinitionError):
        parse_definition(text)


def test_a_lone_surrogate_in_a_result_is_kept() -> None:
    text = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"\\ud800","End":true}}}'
    execution = Execution(parse_definition(text), {}, clock=VirtualClock.fixed()).run()
    assert execution.output == "\ud800"


def test_a_byte_order_mark_is_no_content() -> None:
    text = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    assert parse_definition(b"\xef\xbb\xbf" + text.encode()).start_at == "P"
