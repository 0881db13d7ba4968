"""The direct evaluator must give exactly the engine's answer, or defer to the engine."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonata.engine import AwsJsonata
from constructs_sfn.asl.jsonata.expression import UNDEFINED, JsonataExpression, compile_expression
from constructs_sfn.asl.jsonata.fastpath import Fallback, FastEvaluator, compile_fast
from constructs_sfn.asl.jsonata.jsvalues import to_plain_json
from constructs_sfn.asl.jsonata.template import expression_text, is_jsonata_expression

_PATHS = [
    "$states.input",
    "$states.input.a",
    "$states.input.a.b",
    "$states.input.a.b.a",
    "$states.input.a[0]",
    "$states.input.a[-1]",
    "$states.input.a[1].b",
    "$states.input.a[0][0]",
    "$states.input.a[0].b[-1]",
    "$states.input.a[1.5]",
    "$states.input.items.price",
    "$states.input.items.a.b",
    "$states.input.items[price > 1]",
    "$states.input.items[price > 1].name",
    "$states.input.items[price > 1][0].name",
    "$states.input.items[0].price",
    "$states.input.items[-1].name",
    "$states.input.items[name = 'a']",
    "$states.input.items[price]",
    "$states.input.items[$ = 1]",
    "$states.input.a[b]",
    "$states.input.a[[0, 1]]",
    "$states.input.a[[-1]]",
    "$states.input.items.(price * 2)",
    "$states.input.items.[price, name]",
    "$states.input.items.{'p': price}",
    "$states.input.items.price[0]",
    "$states.result[$ = 0]",
    "$v",
    "$v.a",
    "$v[0]",
    "$v[a = 1]",
    "$v.a[0].b",
    "$v.items.price",
    "$states.context.Map.Item.Value",
    "$missing",
    "$missing.a",
    "($states.input.a)",
    "($states.input.a)[0]",
    "($states.input.a; $v)",
]
_OPERATORS = [
    "$states.input.a + $v",
    "$states.input.a - 1",
    "$states.input.a * 2.5",
    "$states.input.a / $v",
    "$states.input.a % 3",
    "-$states.input.a",
    "$states.input.a = $v",
    "$states.input.a != 'x'",
    "$states.input.a = null",
    "$states.input.a = $states.input.b",
    "$states.input.a < $v",
    "$states.input.a >= 10",
    "$states.input.a <= 'm'",
    "$states.input.a and $v",
    "$states.input.a or $v.a",
    "$states.input.a & $v",
    "'n: ' & $states.input.items.price",
    "$states.input.a in [1, 'a', null]",
    "3 in $states.input.a",
    "$v in $states.input.items.price",
    "$states.input.a ? 'yes' : 'no'",
    "$states.input.a ? $v",
    "$states.input.a ? $v : []",
    "$states.input.items.price + 1",
    "$states.input.items[0].price * $v",
]
_CONSTRUCTORS = [
    "true",
    "null",
    "'text'",
    "42",
    "[]",
    "[1, 'a', null, true]",
    "[[1], 2]",
    "[$states.input.a]",
    "[$states.input.a, $v]",
    "[$states.input.items.price]",
    "[$states.input.a, [$v]]",
    "[$states.input.items.price, 'x', 42]",
    "{}",
    "{'k': $states.input.a}",
    "{'k': $states.input.a, 'm': $v.a, 'n': [1, $v]}",
    "{'x': $states.input}",
    "{'a': {'b': $states.input.items[0]}, 'c': $states.input.items.name}",
    "{'missing': $states.input.nothing, 'here': 1}",
    "$x := $states.input.a",
    "$x := {'k': $v}",
]
_FUNCTIONS = [
    "$sum($states.input.a)",
    "$sum($states.input.items.price)",
    "$sum($states.input.a) + $v",
    "$count($states.input.a)",
    "$count($states.input.items[price > 1])",
    "$count($states.input.a[$ = 0])",
    "$max($states.input.a)",
    "$min($states.input.items.price)",
    "$average($states.input.a)",
    "$string($states.input.a)",
    "$string($v, true)",
    "$string()",
    "$uppercase($states.input.name)",
    "$uppercase()",
    "$lowercase($states.input.name)",
    "$length($states.input.name)",
    "$substring($states.input.name, 1, 2)",
    "$substring($states.input.name, -1)",
    "$substringBefore($states.input.name, 'a')",
    "$substringAfter($states.input.name, 'a')",
    "$trim($states.input.name)",
    "$pad($states.input.name, 4, '-')",
    "$contains($states.input.name, 'a')",
    "$split($states.input.name, '')",
    "$split($states.input.name, 'a', 1)",
    "$join($states.input.items.name, ',')",
    "$join($states.input.a)",
    "$keys($states.input.a)",
    "$keys($states.input)",
    "$lookup($states.input.a, 'b')",
    "$exists($states.input.a.b)",
    "$exists($v)",
    "$merge([$states.input, {'k': 1}])",
    "$merge($states.input.items)",
    "$merge([$states.input.a, $v])",
    "$append($states.input.a, $v)",
    "$append(1, [2])",
    "$distinct($states.input.a)",
    "$reverse($states.input.a)",
    "$number($states.input.name)",
    "$number($states.input.a)",
    "$boolean($v)",
    "$not($states.input.a)",
    "$not($states.input.a = 'x')",
    "$abs($states.input.a)",
    "$floor($states.input.a)",
    "$ceil($states.input.a)",
    "$round($states.input.a, 1)",
    "$power($states.input.a, 2)",
    "$sqrt($states.input.a)",
    "$type($states.input.a)",
    "$sort($states.input.a)",
    "$spread($states.input.a)",
    "$zip($states.input.a, $v)",
    "$single($states.input.a)",
    "$partition($states.input.a, 2)",
    "$range(1, 5)",
    "$range(1, 9, 2)",
    "$hash($states.input.name)",
    "$hash($states.input.name, 'SHA-256')",
    "$parse($states.input.name)",
    "$base64encode($states.input.name)",
    "$formatNumber($states.input.a, '#,##0.00')",
    "$fromMillis($states.input.a)",
    "$exists($v) ? 'completed' : 'running'",
    "$states.input.name ~> $uppercase()",
    "$states.input.name ~> $substring(1) ~> $uppercase()",
    "$states.input.a ~> $map(function($x) { $x })",
    "$states.input.items.price ~> $sum()",
]
_HIGHER_ORDER = [
    "$map($states.input.a, function($x) { $x * 2 })",
    "$map($states.input.items, function($x, $i) { $x.price + $i })",
    "$map($states.input.a, function($x, $i, $all) { $count($all) })",
    "$map($states.input.a, function($x) { $string($x) })",
    "$map($states.input.a, function($x) { $x = 1 ? 'pass' : 'failed' })",
    "$map($states.input.a, function($x) { $x > 1 ? $string($x) : [$x] })",
    "$map($states.input.a, function($x) { ($x; $keys($x)) })",
    "$map($states.input.a, function($x) { [$x] })",
    "$map($states.input.a, function($x) { $x.b })",
    "$map($states.input.a, function($v) { $v })",
    "$map($states.input.a, function($x) { $map($v, function($y) { $y = $x }) })",
    "$map($states.input.a, function($x) { $ })",
    "$filter($states.input.a, function($x) { $x > 1 })",
    "$filter($states.input.items, function($x) { $x.price > 1 })",
    "$filter($states.input.a, function($x, $i) { $i > 0 })",
    "$count($map($states.input.a, function($x) { $x }))",
    "$map($states.input.a, function($x) { $x })[0]",
]
_SUPPORTED = _PATHS + _OPERATORS + _CONSTRUCTORS + _FUNCTIONS + _HIGHER_ORDER
_UNSUPPORTED = [
    "$states.input.*",
    "$states.input.**",
    "$states.input.a[]",
    "$states.input.a#$i",
    "$states.input.a@$x",
    "$states.input.a^(b)",
    "$states.input.a{'k': b}",
    "$states.input.a.%",
    "$states.input.a ~> $sum",
    "$states.input.a ~> $uuid()",
    "[1..3]",
    "($x := 1; $x)",
    "$f := function($x) { $x }",
    "$x := $y := 1",
    "$$",
    "$random()",
    "$uuid()",
    "$now()",
    "$millis()",
    "$eval('1')",
    "$shuffle($states.input.a)",
    "$error('x')",
    "{$states.input.k: 1}",
    "{'a': 1, 'a': 2}",
    "$map($states.input.a, $string)",
    "$map($states.input.a, function($x)<n:n> { $x })",
    "$map($states.input.a, function($a, $b, $c, $d) { $d })",
    "$reduce($states.input.a, function($x, $y) { $x + $y })",
    "$sort($states.input.a, function($x, $y) { $x > $y })",
    "$contains($states.input.a, /x/)",
    "function($x) { $x }",
    "$states.input.a ~> |$|{'k': 1}|",
    "$sum(1)(2)",
]

_KEYS = st.sampled_from(["a", "b", "items", "price", "name"])
_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([0.5, -2.25, 1e20, 3.0, 2**53 + 1])
    | st.sampled_from(["", "a", "m", "x", "zz", "é", "1", "a,b", '{"k": 1}', "2024-01-02T03:04:05Z"])
)
_JSON = st.recursive(
    _SCALAR,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=12,
)
_DOCUMENT = st.dictionaries(_KEYS, _JSON, max_size=5)


def _plain(raw: Any) -> str:
    """Type-exact text of a result (``1``, ``1.0`` and ``true`` differ)."""
    return json.dumps(None if raw is None else to_plain_json(raw), sort_keys=False)


def _engine_answer(engine: AwsJsonata, states: Any, variables: Any) -> tuple[str, str]:
    try:
        raw = engine.run(states, variables, now_millis=0, rng=random.Random(0))
    except Exception as error:  # any engine failure
        return "error", type(error).__name__
    return "value", _plain(raw)


_ENGINES: dict[str, tuple[AwsJsonata, FastEvaluator | None]] = {}
_EXPRESSIONS: dict[str, JsonataExpression] = {}


def _compiled(text: str) -> tuple[AwsJsonata, FastEvaluator | None]:
    if text not in _ENGINES:
        engine = AwsJsonata(text)
        _ENGINES[text] = (engine, compile_fast(engine.ast, engine))
    return _ENGINES[text]


def _expression_answer(text: str, states: Any, variables: Any) -> tuple[str, str]:
    """What the public API answers (direct evaluator, conversion and all)."""
    expression = _EXPRESSIONS.get(text) or _EXPRESSIONS.setdefault(text, compile_expression(text, location="/F"))
    try:
        value = expression.evaluate_value(states, variables, field="F", now_millis=0, rng=random.Random(0))
    except StatesError as error:
        return "error", error.error
    return "value", "null" if value is UNDEFINED else json.dumps(value)


@pytest.mark.parametrize("text", _SUPPORTED)
def test_supported_shapes_compile(text: str) -> None:
    assert _compiled(text)[1] is not None


@pytest.mark.parametrize("text", _UNSUPPORTED)
def test_other_shapes_are_left_to_the_engine(text: str) -> None:
    assert _compiled(text)[1] is None


def _check(text: str, document: Any, variable: Any, *, has_variable: bool) -> bool:
    """Assert the fast answer is the engine's; return whether the fast path answered."""
    engine, fast = _compiled(text)
    assert fast is not None
    states = {"input": document, "result": document.get("a"), "context": {"Map": {"Item": {"Value": variable}}}}
    variables = {"v": variable} if has_variable else {}
    expected = _engine_answer(engine, states, variables)
    # Through the public API the answer is the engine's, errors included, whichever path answers.
    public = _expression_answer(text, states, variables)
    assert public[0] == expected[0]
    if expected[0] == "value":
        assert public[1] == expected[1]
    try:
        raw = fast(states, variables)
    except Fallback:
        return False
    assert expected[0] == "value", f"fast path answered where the engine fails: {expected}"
    assert _plain(raw) == expected[1]
    return True


# 20 documents per shape keeps the module quick; searches with 150 per shape found nothing more.
@pytest.mark.parametrize("text", _SUPPORTED)
@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(document=_DOCUMENT, variable=_JSON, has_variable=st.booleans())
def test_the_fast_answer_is_the_engine_answer(text: str, document: Any, variable: Any, has_variable: bool) -> None:
    _check(text, document, variable, has_variable=has_variable)


_ITEMS = [{"price": 5, "name": "a"}, {"price": 15, "name": "b"}, {"name": "d"}]


@pytest.mark.parametrize(
    "text",
    [
        "$states.input.items.price",
        "$states.input.items[price > 1].name",
        "$states.input.items[-1].name",
        "$sum($states.input.items.price)",
        "$map($states.input.items, function($x, $i) { $x.price + $i })",
        "$filter($states.input.items, function($x) { $x.price > 1 })",
        "{'a': {'b': $states.input.items[0]}, 'c': $states.input.items.name}",
        "$join($states.input.items.name, ',')",
        "$count($states.input.a[$ = 0])",
        "$merge([$states.input, {'k': 1}])",
    ],
)
def test_realistic_documents_take_the_fast_path(text: str) -> None:
    document = {"items": _ITEMS, "a": [0, 1, 0, 2], "name": "abc"}
    for items in (_ITEMS, _ITEMS[:1], [], [[_ITEMS[0]], _ITEMS[1:]], [{"price": None}]):
        _check(text, {**document, "items": items}, 1, has_variable=True)
    assert _check(text, document, 1, has_variable=True), "expected the direct evaluator to answer"


def test_a_path_through_nested_arrays_flattens_as_the_engine_does() -> None:
    _, fast = _compiled("$states.input.items.price")
    assert fast is not None
    raw = fast({"input": {"items": [[{"price": 1}], [{"price": [2, 3]}], {"price": 4}]}}, {})
    assert to_plain_json(raw) == [1, 2, 3, 4]


def test_a_singleton_sequence_is_its_member() -> None:
    _, fast = _compiled("$states.input.items[price > 10].name")
    assert fast is not None
    assert fast({"input": {"items": [{"price": 20, "name": "x"}, {"price": 1, "name": "y"}]}}, {}) == "x"
    assert fast({"input": {"items": [{"price": 1, "name": "y"}]}}, {}) is None


def test_a_variable_shadowing_a_function_defers_to_the_engine() -> None:
    _, fast = _compiled("$not($states.input.a)")
    assert fast is not None
    with pytest.raises(Fallback):
        fast({"input": {"a": True}}, {"not": 1})


def test_a_function_read_as_a_value_defers_to_the_engine() -> None:
    _, fast = _compiled("$string")
    assert fast is not None
    with pytest.raises(Fallback):
        fast({"input": {}}, {})
    assert fast({"input": {}}, {"string": "a workflow variable"}) == "a workflow variable"


def test_an_error_defers_to_the_engine() -> None:
    _, fast = _compiled("$states.input.a + 1")
    assert fast is not None
    with pytest.raises(Fallback):
        fast({"input": {"a": "text"}}, {})


def test_a_signature_mismatch_defers_to_the_engine() -> None:
    _, fast = _compiled("$sum($states.input.a)")
    assert fast is not None
    with pytest.raises(Fallback):
        fast({"input": {"a": ["1", 2]}}, {})


_WORKLOADS = Path(__file__).resolve().parents[3] / "benchmarks" / "workloads_jsonata"
# Randomness is drawn by the engine alone, so that a seeded execution draws the same values.
_ENGINE_ONLY = {"$uuid()"}


def _workload_expressions() -> list[str]:
    found: list[str] = []

    def visit(value: Any) -> None:
        if is_jsonata_expression(value):
            text = expression_text(value)
            if text not in found and text not in _ENGINE_ONLY:
                found.append(text)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    for path in sorted(_WORKLOADS.glob("*.json")):
        if path.name != "manifest.json":
            visit(json.loads(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.skipif(not _WORKLOADS.is_dir(), reason="benchmark workloads not present")
def test_every_benchmark_expression_takes_the_fast_path() -> None:
    expressions = _workload_expressions()
    assert expressions
    assert [text for text in expressions if _compiled(text)[1] is None] == []
