"""The fast evaluator must give exactly the engine's answer, or defer to the engine."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonata.jexception import JException

from constructs_sfn.asl.jsonata.engine import AwsJsonata
from constructs_sfn.asl.jsonata.fastpath import Fallback, compile_fast
from constructs_sfn.asl.jsonata.jsvalues import to_plain_json

_SUPPORTED = [
    "$states.input",
    "$states.input.a",
    "$states.input.a.b",
    "$states.input.a[0]",
    "$states.input.a[-1]",
    "$states.input.a[1].b",
    "$v",
    "$v.a",
    "$states.input.a + $v",
    "$states.input.a - 1",
    "$states.input.a * 2.5",
    "$states.input.a / $v",
    "$states.input.a % 3",
    "-$states.input.a",
    "$states.input.a = $v",
    "$states.input.a != 'x'",
    "$states.input.a = null",
    "$states.input.a < $v",
    "$states.input.a >= 10",
    "$states.input.a <= 'm'",
    "$states.input.a and $v",
    "$states.input.a or $v.a",
    "$states.input.a & $v",
    "$states.input.a ? 'yes' : 'no'",
    "$states.input.a ? $v",
    "$not($states.input.a)",
    "$boolean($v)",
    "$exists($states.input.a.b)",
    "$count($states.input.a)",
    "true",
    "[]",
    "[1, 'a', null, true]",
    "$states.input.a ? $v : []",
    "null",
    "'text'",
    "42",
]
_UNSUPPORTED = [
    "$states.input.a[$ > 1]",
    "$states.input.*",
    "[$states.input.a]",
    "[[1], 2]",
    "{'k': $states.input.a}",
    "$sum($states.input.a)",
    "$states.input.a in [1, 2]",
    "$count($states.input.a, 1)",
    "($x := 1; $x)",
    "$states.input.a[0][0]",
    "$$",
    "$v[0]",
]

_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from([0.5, -2.25, 1e20, 3.0])
    | st.sampled_from(["", "a", "m", "x", "zz", "é"])
)
_JSON = st.recursive(
    _SCALAR,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["a", "b"]), children, max_size=2)
    ),
    max_leaves=8,
)


def _engine_answer(engine: AwsJsonata, states: Any, variables: Any) -> tuple[str, Any]:
    try:
        raw = engine.run(states, variables, now_millis=0, rng=random.Random(0))
    except (JException, Exception) as error:  # any engine failure
        return "error", type(error).__name__
    return "value", None if raw is None else to_plain_json(raw)


@pytest.mark.parametrize("text", _SUPPORTED)
def test_supported_shapes_compile(text: str) -> None:
    engine = AwsJsonata(text)
    assert compile_fast(engine.ast, engine) is not None


@pytest.mark.parametrize("text", _UNSUPPORTED)
def test_other_shapes_are_left_to_the_engine(text: str) -> None:
    engine = AwsJsonata(text)
    assert compile_fast(engine.ast, engine) is None


_COMPILED: dict[str, AwsJsonata] = {}


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.sampled_from(_SUPPORTED), document=_JSON, variable=_JSON, has_variable=st.booleans())
def test_the_fast_answer_is_the_engine_answer(text: str, document: Any, variable: Any, has_variable: bool) -> None:
    engine = _COMPILED.get(text) or _COMPILED.setdefault(text, AwsJsonata(text))
    fast = compile_fast(engine.ast, engine)
    assert fast is not None
    states = {"input": document}
    variables = {"v": variable} if has_variable else {}
    try:
        raw = fast(states, variables)
    except Fallback:
        return
    expected = _engine_answer(engine, states, variables)
    assert expected[0] == "value", f"fast path answered where the engine fails: {expected}"
    assert (None if raw is None else to_plain_json(raw)) == expected[1]


def test_a_path_through_an_array_defers_to_the_engine() -> None:
    engine = AwsJsonata("$states.input.items.n")
    fast = compile_fast(engine.ast, engine)
    assert fast is not None
    with pytest.raises(Fallback):
        fast({"input": {"items": [{"n": 3}, {"n": 9}]}}, {})


def test_a_variable_shadowing_a_function_defers_to_the_engine() -> None:
    engine = AwsJsonata("$not($states.input.a)")
    fast = compile_fast(engine.ast, engine)
    assert fast is not None
    with pytest.raises(Fallback):
        fast({"input": {"a": True}}, {"not": 1})
