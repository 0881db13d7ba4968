"""Behaviour of every States.* function, including the edge cases AWS recorded."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.intrinsics import compile_intrinsic
from constructs_sfn.asl.intrinsics.functions import FUNCTIONS, json_identical


def run(text: str, input: Any = None, *, seed: int = 7) -> Any:
    return compile_intrinsic(text).evaluate(input, {"Execution": {"Name": "exec-name"}}, {}, random.Random(seed))


def run_with(text: str, fst: Any, snd: Any = None) -> Any:
    return run(text, {"fst": fst, "snd": snd})


def test_every_documented_function_is_implemented() -> None:
    assert set(FUNCTIONS) == {
        "States.Format",
        "States.StringToJson",
        "States.JsonToString",
        "States.Array",
        "States.ArrayPartition",
        "States.ArrayContains",
        "States.ArrayRange",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayUnique",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Hash",
        "States.JsonMerge",
        "States.MathRandom",
        "States.MathAdd",
        "States.StringSplit",
        "States.UUID",
    }


# ---- States.Format ----


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("", "Formatting argument ."),
        (" ", "Formatting argument  ."),
        (None, "Formatting argument null."),
        (1, "Formatting argument 1."),
        (1.1, "Formatting argument 1.1."),
        ('{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'),
        ({"Arg1": 1, "Arg2": []}, "Formatting argument {Arg1=1, Arg2=[]}."),
        ([1, "a"], "Formatting argument [1, a]."),
        (True, "Formatting argument true."),
    ],
)
def test_format_renders_values_as_java_does(value: Any, text: str) -> None:
    assert run_with("States.Format('Formatting argument {}.', $.fst)", value) == text


def test_format_escapes_and_path_templates() -> None:
    assert run("States.Format('\\{\\} {} \\'q\\' \\\\', 'x')") == "{} x 'q' \\"
    assert run_with("States.Format($.fst, $.snd)", "It's {}!", "Pikachu") == "It's Pikachu!"
    assert run("States.Format('no placeholders')") == "no placeholders"
    assert run("States.Format('{} and {}', $$.Execution.Name, States.Array(1))") == "exec-name and [1]"


@pytest.mark.parametrize(
    "text",
    ["States.Format('{} {}', 'one')", "States.Format('{}', 'one', 'two')", "States.Format('none', 1)"],
)
def test_format_argument_count_mismatch(text: str) -> None:
    with pytest.raises(StatesError, match="placeholder") as caught:
        run(text)
    assert caught.value.error == "States.Runtime"


def test_format_template_must_be_a_string() -> None:
    with pytest.raises(StatesError, match="must be a string"):
        run("States.Format(1)")


# ---- JSON text ----


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (0, "0"),
        (1.1, "1.1"),
        (True, "true"),
        ("HelloWorld", '"HelloWorld"'),
        ([1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'),
        ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
    ],
)
def test_json_to_string(value: Any, text: str) -> None:
    assert run_with("States.JsonToString($.fst)", value) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
        (" null ", None),
    ],
)
def test_string_to_json(text: str, value: Any) -> None:
    assert json_identical(run_with("States.StringToJson($.fst)", text), value)


@pytest.mark.parametrize("bad", ["", "{", "NaN", "[1,]", 5, None])
def test_string_to_json_rejects(bad: Any) -> None:
    with pytest.raises(StatesError):
        run_with("States.StringToJson($.fst)", bad)


def test_string_to_json_of_a_literal() -> None:
    assert run('States.StringToJson(\'{"constant_in_literal": "false"}\')') == {"constant_in_literal": "false"}


# ---- arrays ----


def test_array() -> None:
    assert run("States.Array()") == []
    assert run_with("States.Array($.fst, $.snd)", {"Arg1": 1}, None) == [{"Arg1": 1}, None]


@pytest.mark.parametrize(
    ("items", "size", "expected"),
    [
        ([0], 1, [[0]]),
        ([0], 5, [[0]]),
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([0, 1, 2, 3], 2, [[0, 1], [2, 3]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([], 3, []),
        ([1, 2], 2.0, [[1, 2]]),
    ],
)
def test_array_partition(items: list[int], size: Any, expected: list[list[int]]) -> None:
    assert run_with("States.ArrayPartition($.fst, $.snd)", items, size) == expected


@pytest.mark.parametrize(("items", "size"), [([1], 0), ([1], -1), ([1], 0.4), ("x", 1), ([1], "2")])
def test_array_partition_rejects(items: Any, size: Any) -> None:
    with pytest.raises(StatesError):
        run_with("States.ArrayPartition($.fst, $.snd)", items, size)


@pytest.mark.parametrize(
    ("items", "value", "found"),
    [
        ([], None, False),
        ([], [], False),
        ([[1, 2, 3], 2], None, False),
        ([[1, 2, 3], 2], [1, 2, 3], True),
        ([{"1": 2, "2": []}], [], False),
        ([{"1": 2, "2": []}], {"1": 2, "2": []}, True),
        ([True, False], True, True),
        ([True, False], False, True),
        ([1, 2], True, False),
        ([1.0], 1, False),
        ([None], None, True),
    ],
)
def test_array_contains(items: list[Any], value: Any, found: bool) -> None:
    assert run_with("States.ArrayContains($.fst, $.snd)", items, value) is found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.ArrayRange(1, 10, 2)", [1, 3, 5, 7, 9]),
        ("States.ArrayRange(0, 3, 1)", [0, 1, 2, 3]),
        ("States.ArrayRange(5, 1, -2)", [5, 3, 1]),
        ("States.ArrayRange(1, 1, 5)", [1]),
        ("States.ArrayRange(5, 1, 1)", []),
        ("States.ArrayRange(0, 999, 1)", list(range(1000))),
        ("States.ArrayRange(1.0, 3.0, 1.0)", [1, 2, 3]),
    ],
)
def test_array_range(text: str, expected: list[int]) -> None:
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "States.ArrayRange(0, 1000, 1)",
        "States.ArrayRange(1, 5, 0)",
        "States.ArrayRange(1, 5, 0.4)",
        "States.ArrayRange('1', 5, 1)",
        "States.ArrayRange(true, 5, 1)",
    ],
)
def test_array_range_rejects(text: str) -> None:
    with pytest.raises(StatesError) as caught:
        run(text)
    assert caught.value.error == "States.Runtime"


def test_array_get_item_and_length() -> None:
    assert run_with("States.ArrayGetItem($.fst, $.snd)", [1, 2, 3, 4, 5, 6, 7, 8, 9], 5) == 6
    assert run_with("States.ArrayLength($.fst)", [None] * 20) == 20
    assert run("States.ArrayLength(States.Array())") == 0


@pytest.mark.parametrize(("items", "index"), [([1], 1), ([1], -1), ([], 0), ([1], 0.5), ({"a": 1}, 0)])
def test_array_get_item_rejects(items: Any, index: Any) -> None:
    with pytest.raises(StatesError):
        run_with("States.ArrayGetItem($.fst, $.snd)", items, index)


def test_array_length_rejects_non_arrays() -> None:
    with pytest.raises(StatesError, match="must be an array"):
        run_with("States.ArrayLength($.fst)", "abc")


def test_array_unique_keeps_first_occurrences_with_java_equality() -> None:
    items = [None, None, True, True, 1, 1, 1.0, 1.1, "a", "a", [], [], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1}]
    assert run_with("States.ArrayUnique($.fst)", items) == [
        None,
        True,
        1,
        1.0,
        1.1,
        "a",
        [],
        {"a": 1, "b": 2},
        {"a": 1},
    ]
    assert run_with("States.ArrayUnique($.fst)", [1, 2, 2, 3, 3, 4]) == [1, 2, 3, 4]


# ---- encoding and hashing ----


def test_base64_round_trip() -> None:
    assert run_with("States.Base64Encode($.fst)", "Data to encode") == "RGF0YSB0byBlbmNvZGU="
    assert run_with("States.Base64Decode($.fst)", "RGF0YSB0byBlbmNvZGU=") == "Data to encode"
    assert run_with("States.Base64Encode($.fst)", "") == ""
    assert run_with("States.Base64Decode($.fst)", "") == ""
    assert run_with("States.Base64Encode($.fst)", "é") == "w6k="
    assert run_with("States.Base64Decode($.fst)", "w6k") == "é"  # padding is optional


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("States.Base64Encode($.fst)", "x" * 10001),
        ("States.Base64Decode($.fst)", "A" * 10004),
        ("States.Base64Decode($.fst)", "not base64!"),
        ("States.Base64Encode($.fst)", 5),
        ("States.Hash($.fst, 'SHA-256')", "x" * 10001),
    ],
)
def test_encoding_limits_and_types(text: str, value: Any) -> None:
    with pytest.raises(StatesError):
        run_with(text, value)


@pytest.mark.parametrize(
    ("algorithm", "digest"),
    [
        ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
        ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
        (
            "SHA-384",
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
        ),
        (
            "SHA-512",
            (
                "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce"
                "2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"
            ),
        ),
    ],
)
def test_hash(algorithm: str, digest: str) -> None:
    assert run_with("States.Hash($.fst, $.snd)", "input data", algorithm) == digest


@pytest.mark.parametrize("algorithm", ["sha-256", "SHA256", "CRC32", 256])
def test_hash_rejects_unknown_algorithms(algorithm: Any) -> None:
    with pytest.raises(StatesError):
        run_with("States.Hash($.fst, $.snd)", "input data", algorithm)


# ---- objects ----


def test_json_merge_is_shallow_and_hash_ordered() -> None:
    merged = run(
        'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), $.fst, false)',
        {"fst": {"constant_input_field": "constant_value"}},
    )
    assert list(merged.items()) == [("constant_input_field", "constant_value"), ("constant_in_literal", "false")]
    assert run_with("States.JsonMerge($.fst, $.snd, false)", {"a": {"x": 1}, "b": 2}, {"a": {"y": 1}}) == {
        "a": {"y": 1},
        "b": 2,
    }


@pytest.mark.parametrize(
    ("text", "fst", "snd"),
    [
        ("States.JsonMerge($.fst, $.snd, true)", {}, {}),
        ("States.JsonMerge($.fst, $.snd, 'false')", {}, {}),
        ("States.JsonMerge($.fst, $.snd, false)", [], {}),
        ("States.JsonMerge($.fst, $.snd, false)", {}, "x"),
    ],
)
def test_json_merge_rejects(text: str, fst: Any, snd: Any) -> None:
    with pytest.raises(StatesError):
        run_with(text, fst, snd)


# ---- math ----


@pytest.mark.parametrize(
    ("fst", "snd", "total"),
    [
        (-9, 3, -6),
        (1.49, 1.5, 3),
        (1.5, 1.51, 4),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (1.49, -1.49, 0),
        (0.5, 0, 1),
        (-0.5, 0, 0),
        (-0.5, 0.5, 1),
        (2.5, 0, 3),
        (-2.5, 0, -2),
        (-3.5, 0, -3),
        (2147483647, 0, 2147483647),
    ],
)
def test_math_add_rounds_each_argument_like_java(fst: Any, snd: Any, total: int) -> None:
    result = run_with("States.MathAdd($.fst, $.snd)", fst, snd)
    assert result == total
    assert isinstance(result, int)


@pytest.mark.parametrize(("fst", "snd"), [("1", 2), (None, 2), (2147483648, 0), (True, 1)])
def test_math_add_rejects(fst: Any, snd: Any) -> None:
    with pytest.raises(StatesError):
        run_with("States.MathAdd($.fst, $.snd)", fst, snd)


@pytest.mark.parametrize(("start", "end"), [(12.5, 44.51), (9999, 99999), (-99999, -9999), (0, 1)])
def test_math_random_stays_in_range(start: float, end: float) -> None:
    for seed in range(20):
        value = run(f"States.MathRandom({start}, {end})", seed=seed)
        assert isinstance(value, int)
        # Both bounds are rounded half-up first, as Java's Math.round does (12.5 -> 13).
        assert math.floor(start + 0.5) <= value < math.floor(end + 0.5)


def test_math_random_with_a_seed_is_java_random() -> None:
    # java.util.Random(42).nextInt(10) == 0 and Random(0).nextInt(100) == 60.
    assert run("States.MathRandom(0, 10, 42)") == 0
    assert run("States.MathRandom(5, 105, 0)") == 65
    assert run("States.MathRandom(0, 10, 42)", seed=1) == run("States.MathRandom(0, 10, 42)", seed=2)


@pytest.mark.parametrize("text", ["States.MathRandom(5, 5)", "States.MathRandom(9, 1)", "States.MathRandom('a', 3)"])
def test_math_random_rejects(text: str) -> None:
    with pytest.raises(StatesError):
        run(text)


# ---- strings and identifiers ----


@pytest.mark.parametrize(
    ("text", "delimiter", "parts"),
    [
        (" ", ",", [" "]),
        (" , ", ",", [" ", " "]),
        (", , ,", ",", [" ", " "]),
        (",,,,", ",", []),
        ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
        ("", ",", []),
        ("abc", "", ["abc"]),
    ],
)
def test_string_split_is_a_string_tokenizer(text: str, delimiter: str, parts: list[str]) -> None:
    assert run_with("States.StringSplit($.fst, $.snd)", text, delimiter) == parts


def test_string_split_rejects_non_strings() -> None:
    with pytest.raises(StatesError):
        run_with("States.StringSplit($.fst, $.snd)", 5, ",")


def test_uuid_is_version_4_and_follows_the_rng() -> None:
    first = run("States.UUID()", seed=3)
    assert first == run("States.UUID()", seed=3)
    assert first != run("States.UUID()", seed=4)
    assert len(first) == 36
    assert first[14] == "4"
    assert first[19] in "89ab"


def test_nested_calls() -> None:
    text = (
        "States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), "
        "States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Name, '-')), -1))"
    )
    assert run(text) == "name"


@pytest.mark.parametrize(
    ("left", "right", "identical"),
    [(1, 1, True), (1, 1.0, False), (True, 1, False), ({"a": [1]}, {"a": [1]}, True), ([1], [1, 2], False)],
)
def test_json_identical(left: Any, right: Any, identical: bool) -> None:
    assert json_identical(left, right) is identical
