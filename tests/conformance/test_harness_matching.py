"""The value comparison accepts exactly the masked differences and nothing else."""

from __future__ import annotations

import pytest
from conformance_harness.matching import MatchContext, match_value

UUID_A = "0f8fad5b-d9cb-469f-a165-70867728950e"
UUID_B = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def test_equal_values_match() -> None:
    assert match_value({"a": [1, "x", None, True]}, {"a": [1, "x", None, True]}, MatchContext()) == []


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (1, 1.0),
        (1.0, 1),
        (True, 1),
        (0, False),
        ("1", 1),
        (None, "null"),
        ([1, 2], [2, 1]),
        ([1], [1, 1]),
        ({"a": 1}, {"a": 1, "b": 2}),
        ({"a": 1, "b": 2}, {"a": 1}),
        ("abc", "abd"),
    ],
)
def test_differences_are_reported(expected: object, actual: object) -> None:
    assert match_value(expected, actual, MatchContext())


@pytest.mark.parametrize("wildcard", ["timestamp", "date", "<timestamp>", "<resource:3>"])
def test_masked_whole_values_match_anything(wildcard: str) -> None:
    assert match_value({"t": wildcard}, {"t": "2024-01-01T00:00:00Z"}, MatchContext()) == []
    assert match_value({"t": wildcard}, {"t": 12}, MatchContext()) == []


def test_mask_replacements_are_wildcards() -> None:
    ctx = MatchContext.for_masks([{"type": "JsonpathTransformer", "replacement": "RandomNumberGenerated"}])
    assert match_value({"n": "RandomNumberGenerated"}, {"n": 42}, ctx) == []
    assert match_value({"n": "RandomNumberGenerated"}, {"n": 42}, MatchContext())


def test_regex_mask_replacement_is_an_inline_token() -> None:
    ctx = MatchContext.for_masks([{"type": "RegexTransformer", "replacement": "state_machine_alias_name"}])
    assert match_value("arn:aws:x:state_machine_alias_name", "arn:aws:x:prod", ctx) == []
    assert match_value("arn:aws:x:state_machine_alias_name", "arn:aws:y:prod", ctx)


def test_masked_values_match_whole_and_inline() -> None:
    ctx = MatchContext.for_masks([], masked_values=["snf_role_arn"])
    assert match_value("snf_role_arn", "arn:aws:iam::1:role/r", ctx) == []
    assert match_value("role=snf_role_arn;", "role=arn:aws:iam::1:role/r;", ctx) == []


def test_placeholders_inside_strings_stand_for_any_text() -> None:
    expected = "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>"
    good = "arn:aws:states:us-east-1:111111111111:execution:machine:run-1"
    assert match_value(expected, good, MatchContext()) == []
    assert match_value(expected, good.replace("111111111111", "222222222222"), MatchContext())
    assert match_value(expected, good.replace(":execution:", ":express:"), MatchContext())


def test_literal_angle_brackets_stay_literal() -> None:
    expected = "Label contains invalid character: '<'"
    assert match_value(expected, expected, MatchContext()) == []
    assert match_value(expected, "Label contains invalid character: '>'", MatchContext())


def test_uuid_placeholders_bind_consistently() -> None:
    expected = {"a": "<uuid:1>", "b": "<uuid:1>", "c": "id <uuid:2>"}
    assert match_value(expected, {"a": UUID_A, "b": UUID_A, "c": f"id {UUID_B}"}, MatchContext()) == []
    assert match_value(expected, {"a": UUID_A, "b": UUID_B, "c": f"id {UUID_B}"}, MatchContext())
    assert match_value(expected, {"a": "not-a-uuid", "b": "not-a-uuid", "c": f"id {UUID_B}"}, MatchContext())


def test_uuid_binding_spans_inline_and_whole_values() -> None:
    ctx = MatchContext()
    assert match_value("<uuid:1>", UUID_A, ctx) == []
    assert match_value("request <uuid:1> failed", f"request {UUID_B} failed", ctx)


def test_json_text_is_decoded_only_where_the_corpus_decoded_it() -> None:
    assert match_value({"a": [1, 2]}, '{"a":[1,2]}', MatchContext()) == []
    assert match_value([1, 2], "[1, 2]", MatchContext()) == []
    assert match_value({"a": 1}, "{not json", MatchContext())
    # A recorded string is exact JSON text: formatting differences count.
    assert match_value('{"a":1}', '{"a": 1}', MatchContext())


def test_forked_context_does_not_leak_bindings() -> None:
    ctx = MatchContext()
    trial = ctx.fork()
    assert match_value("<uuid:1>", UUID_A, trial) == []
    assert ctx.uuid_bindings == {}
    ctx.adopt(trial)
    assert ctx.uuid_bindings == {"1": UUID_A}
