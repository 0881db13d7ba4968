"""compile_intrinsic / Intrinsic.evaluate / is_intrinsic: the public contract."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.intrinsics import Intrinsic, compile_intrinsic, is_intrinsic


@pytest.mark.parametrize(
    ("text", "expected"),
    [("States.Array()", True), ("States.Anything", True), ("$.a", False), (" States.Array()", False), ("", False)],
)
def test_is_intrinsic(text: str, expected: bool) -> None:
    assert is_intrinsic(text) is expected


def test_compiled_call_exposes_its_name_and_text() -> None:
    intrinsic = compile_intrinsic("States.Format('{}', $.a)", location="/States/S/Parameters")
    assert isinstance(intrinsic, Intrinsic)
    assert intrinsic.name == "States.Format"
    assert intrinsic.text == "States.Format('{}', $.a)"
    assert repr(intrinsic) == "Intrinsic(\"States.Format('{}', $.a)\")"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("States.UUID(1)", "States.UUID takes 0 argument(s) but 1 were given"),
        ("States.ArrayLength()", "States.ArrayLength takes 1 argument(s) but 0 were given"),
        ("States.MathRandom(1)", "States.MathRandom takes 2 to 3 argument(s) but 1 were given"),
        ("States.Format()", "States.Format takes at least 1 argument(s) but 0 were given"),
        ("States.Array(States.JsonMerge(1, 2))", "States.JsonMerge takes 3 argument(s) but 2 were given"),
        ("States.Unknown()", "unknown intrinsic function States.Unknown"),
    ],
)
def test_definition_errors(text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        compile_intrinsic(text, location="/States/S/Parameters")
    assert caught.value.location == "/States/S/Parameters"


def test_evaluates_against_input_context_and_variables() -> None:
    intrinsic = compile_intrinsic("States.Array($.a, $$.b, $c, $c.d)")
    assert intrinsic.evaluate({"a": 1}, {"b": 2}, {"c": {"d": 3}}) == [1, 2, {"d": 3}, 3]


def test_indefinite_path_arguments_are_lists() -> None:
    intrinsic = compile_intrinsic("States.ArrayLength($.items[*].id)")
    assert intrinsic.evaluate({"items": [{"id": 1}, {"x": 2}, {"id": 3}]}) == 2


def test_missing_path_argument_cause_names_the_field() -> None:
    intrinsic = compile_intrinsic("States.Array($.nope)", field="list.$")
    with pytest.raises(StatesError) as caught:
        intrinsic.evaluate({"a": "é"})
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == (
        "The JsonPath argument for the field 'list.$' could not be found in the input '{\"a\":\"é\"}'"
    )


def test_missing_variable_is_a_runtime_error() -> None:
    with pytest.raises(StatesError):
        compile_intrinsic("States.Array($nope)").evaluate({}, {}, {})


def test_default_rng_is_random() -> None:
    uuids = {compile_intrinsic("States.UUID()").evaluate({}) for _ in range(3)}
    assert len(uuids) == 3


def test_rng_makes_randomness_reproducible() -> None:
    intrinsic = compile_intrinsic("States.Array(States.UUID(), States.MathRandom(0, 1000))")
    assert intrinsic.evaluate({}, rng=random.Random(9)) == intrinsic.evaluate({}, rng=random.Random(9))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-5, 5, allow_nan=False) | st.text(max_size=4),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from("abc"), children, max_size=3),
    max_leaves=10,
)
CALLS = [
    "States.Format($.a, $.b)",
    "States.Format('{} {}', $.a, $.b)",
    "States.StringToJson($.a)",
    "States.JsonToString($.a)",
    "States.Array($.a, $.b)",
    "States.ArrayPartition($.a, $.b)",
    "States.ArrayContains($.a, $.b)",
    "States.ArrayRange($.a, $.b, $.c)",
    "States.ArrayGetItem($.a, $.b)",
    "States.ArrayLength($.a)",
    "States.ArrayUnique($.a)",
    "States.Base64Encode($.a)",
    "States.Base64Decode($.a)",
    "States.Hash($.a, $.b)",
    "States.JsonMerge($.a, $.b, $.c)",
    "States.MathRandom($.a, $.b)",
    "States.MathRandom($.a, $.b, $.c)",
    "States.MathAdd($.a, $.b)",
    "States.StringSplit($.a, $.b)",
    "States.ArrayLength($..a)",
]


@settings(max_examples=500, deadline=None)
@given(document=st.dictionaries(st.sampled_from("abc"), json_values), text=st.sampled_from(CALLS))
def test_evaluation_raises_only_states_errors(document: dict[str, object], text: str) -> None:
    intrinsic = compile_intrinsic(text)
    try:
        intrinsic.evaluate(document, rng=random.Random(0))
    except StatesError as error:
        failure: StatesError | None = error
    else:
        failure = None
    assert failure is None or (failure.error == "States.Runtime" and failure.cause)
