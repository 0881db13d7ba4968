"""The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse)."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonata import compile_jsonata_value


def run(expression: str, states: Any = None, rng: random.Random | None = None) -> Any:
    compiled = compile_jsonata_value("{% " + expression + " %}", location="/Output")
    return compiled.evaluate(states or {"input": {}}, {}, field="Output", rng=rng or random.Random(7), now_millis=0)


def cause_of(expression: str) -> str:
    with pytest.raises(StatesError) as caught:
        run(expression)
    assert caught.value.error == "States.QueryEvaluationError"
    return str(caught.value.cause)


@pytest.mark.parametrize(
    ("array", "size", "expected"),
    [
        ([0], 1, [[0]]),
        ([0], 2, [[0]]),
        ([0, 1, 2], 1, [[0], [1], [2]]),
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([0, 1, 2], 3, [[0, 1, 2]]),
        ([0, 1, 2], 5, [[0, 1, 2]]),
        ([0, 1, 2, 3], 2, [[0, 1], [2, 3]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([0, 1], 4, [[0, 1]]),
    ],
)
def test_partition_as_recorded_by_aws(array: list[int], size: int, expected: list[list[int]]) -> None:
    states = {"input": {"FunctionInput": {"fst": array, "snd": size}}}
    assert run("$partition($states.input.FunctionInput.fst, $states.input.FunctionInput.snd)", states) == expected


def test_partition_edges() -> None:
    assert run("$partition([1,2,3])") == [[1, 2, 3]]
    assert run("$partition([1,2,3,4,5], 2.9)") == [[1, 2], [3, 4], [5]]
    assert "returned nothing" in cause_of("$partition([], 2)")
    assert "returned nothing" in cause_of("$partition([1,2,3], 0)")
    assert cause_of("$partition([1,2,3], -1)").endswith(
        "threw an error during evaluation. D3137: Second argument must be zero or greater"
    )


def test_range() -> None:
    assert run("$range(0, 10, 2)") == [0, 2, 4, 6, 8, 10]
    assert run("$range(10, 0, -2)") == [10, 8, 6, 4, 2, 0]
    assert run("$range(1.7, 5, 1)") == [1, 2, 3, 4, 5]
    assert run("$range(-1.7, 2, 1)") == [-1, 0, 1, 2]
    assert run("$range(3, 3, 1)") == 3  # a single element collapses to a scalar
    for undefined in ("$range(5, 1, 1)", "$range(1, 5, 0)", "$range(1, 5)"):
        assert "returned nothing" in cause_of(undefined)
    assert 'T0410: Argument 2 of function "range" does not match function signature' in cause_of("$range(1)")


def test_range_refuses_a_runaway_sequence() -> None:
    assert cause_of("$range(0, 100000000000, 1)").endswith(
        "threw an error during evaluation: Expression evaluation memory limit exceeded"
    )


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "8b1a9953c4611296a827abf8c47804d7"),
        ("SHA-1", "f7ff9e8b7bb2e09b70935a5d785e0cc5d9d0abf0"),
        ("SHA-256", "185f8db32271fe25f561a6fc938b2e264306ec304eda518007d1764826381969"),
        (
            "SHA-384",
            "3519fe5ad2c596efe3e276a6f351b8fc0b03db861782490d45f7598ebd0ab5fd5520ed102f38c4a5ec834e98668035fc",
        ),
        (
            "SHA-512",
            (
                "3615f80c9d293ed7402687f94b22d58e529b8cc7916f8fac7fddf7fbd5af4cf777d3d795a7a00a16bf7e7f3fb9561ee9"
                "baae480da9fe7a18769e71886b03f315"
            ),
        ),
    ],
)
def test_hash(algorithm: str, digest: str) -> None:
    assert run(f"$hash('Hello', '{algorithm}')") == digest


def test_hash_edges() -> None:
    assert run("$hash('ñ', 'MD5')") == "94e9342ecbb1458b6043ecd3bfcbc192"  # UTF-8 bytes
    assert "returned nothing" in cause_of("$hash('Hello')")
    assert "D3137: Unsupported hash algorithm 'md5'" in cause_of("$hash('Hello', 'md5')")
    assert 'T0410: Argument 1 of function "hash" does not match function signature' in cause_of("$hash(42, 'MD5')")


def test_seeded_random_is_javas_first_draw() -> None:
    assert run("$random(42)") == 0.7275636800328681
    assert run("$random(0)") == 0.730967787376657
    assert run("$random(7)") == 0.7306990420600421
    assert run("$random(0.9)") == run("$random(0)")


def test_unseeded_random_draws_from_the_given_rng() -> None:
    first = run("$random()", rng=random.Random(3))
    assert first == random.Random(3).random()
    assert 0 <= first < 1
    assert run("$random() = $random()") is False


def test_uuid_is_a_v4_uuid_from_the_rng() -> None:
    value = run("$uuid()", rng=random.Random(11))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)
    assert value == run("$uuid()", rng=random.Random(11))
    assert value != run("$uuid()", rng=random.Random(12))
    assert 'T0410: Argument 1 of function "uuid"' in cause_of("$uuid('seed')")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
        ("1.0", 1),
        ("null", None),
    ],
)
def test_parse_as_recorded_by_aws(text: str, expected: Any) -> None:
    assert run("$parse($states.input.FunctionInput)", {"input": {"FunctionInput": text}}) == expected


def test_parse_edges() -> None:
    assert run("$exists($parse('null'))") is True
    assert run('$parse(\'{"b":1,"a":2}\')') == {"b": 1, "a": 2}
    assert run("$parse('{\"n\":9223372036854775807}').n") == 9223372036854775807
    assert run("$parse('{\"n\":9223372036854775808}').n") == 9.223372036854776e18
    assert run("$map(['{\"a\":1}', '{\"a\":2}'], $parse).a") == [1, 2]
    for bad in ("''", "'  '", '\'{"a":1}{"b":2}\'', '\'{"a":1,"a":2}\'', "'1e400'", "'NaN'", "'nope'"):
        assert cause_of(f"$parse({bad})").endswith("threw an error during evaluation. D3137: Invalid JSON")
    assert 'T0410: Argument 1 of function "parse" does not match function signature' in cause_of("$parse(null)")


def test_eval_is_not_available() -> None:
    assert cause_of("$eval('1+1')") == (
        "The JSONata expression '$eval('1+1')' specified for the field 'Output' threw an error during "
        "evaluation. T1006: Attempted to invoke a non-function"
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$string(1e20)", "100000000000000000000"),
        ("$string(1.5e20)", "150000000000000000000"),
        ("$string(1e21)", "1e+21"),
        ("$string(-1e21)", "-1e+21"),
        ("$string(1e-6)", "0.000001"),
        ("$string(1e-7)", "1e-7"),
        ("$string(1/3)", "0.333333333333333"),
        ("$string(0.1 + 0.2)", "0.3"),
        ("$string(true)", "true"),
        ("$string('abc')", "abc"),
        ("$string(null)", "null"),
        ("$string({'a': 1}, true)", '{\n  "a": 1\n}'),
        ("$string({'n': 1e20})", '{"n":100000000000000000000}'),
        ("$string([1e20, 2])", "[100000000000000000000,2]"),
        ("$map([1e20, 1e21], $string)", ["100000000000000000000", "1e+21"]),
        ("'n=' & 1e20", "n=100000000000000000000"),
        ("1.5 & ''", "1.5"),
    ],
)
def test_string_writes_numbers_the_javascript_way(expression: str, expected: Any) -> None:
    assert run(expression) == expected


def test_wrapped_library_errors_have_their_codes() -> None:
    assert cause_of("$number('abc')").endswith('D3030: Unable to cast value to a number: "abc"')
    assert cause_of("$toMillis('nope')").endswith(
        'D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given "nope"'
    )
    assert run("$toMillis('2020-01-01T00:00:00Z')") == 1577836800000
