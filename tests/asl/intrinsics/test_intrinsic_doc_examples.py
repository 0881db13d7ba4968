"""Every ``States.*`` function against the examples and input rules of AWS's intrinsics page, plus
edge inputs (empty and blank strings, unicode, empty arrays, wrong types and argument counts).

Source: "Intrinsic functions for JSONPath states in Step Functions",
https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html. Where the page's
example output is a typo it is said next to the test.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from constructs_sfn.asl.errors import DefinitionError, StatesError
from constructs_sfn.asl.intrinsics import compile_intrinsic


def run(text: str, input_value: Any = None) -> Any:
    """Evaluate one call against ``input_value`` with a fixed random source."""
    return compile_intrinsic(text).evaluate(input_value, {}, {}, random.Random(3))


def fails(text: str, input_value: Any = None) -> StatesError:
    """The StatesError that evaluating the call raises."""
    with pytest.raises(StatesError) as caught:
        run(text, input_value)
    return caught.value


# ---- the page's examples ----


def test_page_examples_for_arrays() -> None:
    """States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique."""
    nine = {"inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9]}
    assert run("States.Array($.Id)", {"Id": 123456}) == [123456]
    assert run("States.ArrayPartition($.inputArray,4)", nine) == [[1, 2, 3, 4], [5, 6, 7, 8], [9]]
    assert run("States.ArrayContains($.inputArray, $.lookingFor)", {**nine, "lookingFor": 5}) is True
    assert run("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9]
    assert run("States.ArrayGetItem($.inputArray, $.index)", {**nine, "index": 5}) == 6
    assert run("States.ArrayLength($.inputArray)", nine) == 9
    assert run("States.ArrayUnique($.inputArray)", {"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]}) == [1, 2, 3, 4]


def test_page_examples_for_encoding_and_hashing() -> None:
    """Base64Encode's example; Base64Decode of that output gives the text back (the page prints
    "Decoded data", which is not what its own input decodes to); the page's SHA-1 lacks a digit."""
    assert run("States.Base64Encode($.input)", {"input": "Data to encode"}) == "RGF0YSB0byBlbmNvZGU="
    assert run("States.Base64Decode($.base64)", {"base64": "RGF0YSB0byBlbmNvZGU="}) == "Data to encode"
    digest = run("States.Hash($.Data, $.Algorithm)", {"Data": "input data", "Algorithm": "SHA-1"})
    assert digest == "aaff4a450a104cd177d28d18d74485e8cae074b7"


def test_page_examples_for_json() -> None:
    """JsonMerge (shallow: json2's ``a`` replaces json1's), StringToJson, JsonToString."""
    merged = run(
        "States.JsonMerge($.json1, $.json2, false)",
        {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}},
    )
    assert merged == {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}
    assert run("States.StringToJson($.escapedJsonString)", {"escapedJsonString": '{"foo": "bar"}'}) == {"foo": "bar"}
    assert run("States.JsonToString($.unescapedJson)", {"unescapedJson": {"foo": "bar"}}) == '{"foo":"bar"}'


def test_page_examples_for_math_strings_and_ids() -> None:
    """MathRandom in [start, end), MathAdd, both StringSplit examples, UUID v4, Format."""
    drawn = run("States.MathRandom($.start, $.end)", {"start": 1, "end": 999})
    assert 1 <= drawn < 999  # the end is exclusive
    assert run("States.MathAdd($.value1, $.step)", {"value1": 111, "step": -1}) == 110
    assert run("States.StringSplit($.inputString, $.splitter)", {"inputString": "1,2,3,4,5", "splitter": ","}) == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    split = run(
        "States.StringSplit($.inputString, $.splitter)", {"inputString": "This.is+a,test=string", "splitter": ".+,="}
    )
    assert split == ["This", "is", "a", "test", "string"]
    uuid = run("States.UUID()")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", uuid)
    person = {"name": "Arnav", "template": "Hello, my name is {}."}
    assert run("States.Format('Hello, my name is {}.', $.name)", person) == "Hello, my name is Arnav."
    assert run("States.Format($.template, $.name)", person) == "Hello, my name is Arnav."


def test_the_nine_nested_calls_example() -> None:
    """ "You can nest up to 10 intrinsic functions within a field" - the page's ``myArn`` example.

    As printed, its template has three ``{}`` for two arguments, which the States.Format rule ("There
    must be as many remaining arguments [...] as there are occurrences of {}") fails at runtime; with
    two placeholders the nine calls evaluate.
    """
    inner = (
        "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit("
        "States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))"
    )
    document = {"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.2"}}
    assert run("States.Format('{}.{}', " + inner, document) == "1.0"
    assert fails("States.Format('{}.{}.{}', " + inner, document).error == "States.Runtime"


def test_a_path_argument_may_use_bracket_notation_after_a_dot() -> None:
    """ "If your Path contains non-alphanumeric characters, besides _, you must use square bracket
    notation. For example, $.abc.['def ghi']." """
    assert run("States.Format('{}', $.abc.['def ghi'])", {"abc": {"def ghi": "spaced"}}) == "spaced"


@pytest.mark.parametrize(
    "text", ["States.Format('{}', $.detail-type)", "States.Array($.a.length())", "States.Array($.1day)"]
)
def test_a_path_argument_needs_brackets_for_other_names(text: str) -> None:
    """ "You must use square bracket notation for a Path passed as an argument to an Intrinsic Function
    if the field name contains any character that is not included in the member-name-shorthand
    definition of the JsonPath ABNF rule." """
    with pytest.raises(DefinitionError, match="bracket notation"):
        compile_intrinsic(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Format('{}', $['detail-type'])", "x"),
        ("States.Format('{}', $.a_b.ünï)", "y"),
        ("States.Format('{}', $['1day'])", "z"),
        ("States.ArrayLength($..deep)", 1),
    ],
)
def test_shorthand_names_and_brackets_are_accepted(text: str, expected: Any) -> None:
    """Letters, digits (not first), ``_`` and non-ASCII characters may stay in dot notation."""
    document = {"detail-type": "x", "a_b": {"ünï": "y"}, "1day": "z", "n": {"deep": 1}}
    assert run(text, document) == expected


# ---- input validation the page states ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "If you specify a non-integer value for the second argument, Step Functions will round it
        # off to the nearest integer."
        ("States.ArrayPartition(States.Array(1, 2, 3, 4, 5), 2.4)", [[1, 2], [3, 4], [5]]),
        ("States.ArrayPartition(States.Array(1, 2, 3, 4, 5), 2.5)", [[1, 2, 3], [4, 5]]),
        # "If you specify a non-integer value for any of the arguments, Step Functions will round it
        # off to the nearest integer."
        ("States.ArrayRange(1.4, 9.6, 2.5)", [1, 4, 7, 10]),
        ("States.ArrayRange(0, 0.4, 1)", [0]),
        # MathAdd rounds each argument (half-way up, like Java's Math.round): 3 + -2.
        ("States.MathAdd(2.5, -2.5)", 1),
    ],
)
def test_non_integers_are_rounded_to_the_nearest_integer(text: str, expected: Any) -> None:
    """ArrayPartition's chunk size, ArrayRange's arguments, MathAdd's and MathRandom's numbers."""
    assert run(text) == expected


def test_math_random_rounds_its_bounds() -> None:
    """ "If you specify a non-integer value for the start number or end number argument, Step
    Functions will round it off to the nearest integer": [0.6, 1.4) is [1, 1) and so empty."""
    call = compile_intrinsic("States.MathRandom(0.4, 1.6)")
    assert {call.evaluate(None, {}, {}, random.Random(seed)) for seed in range(40)} == {0, 1}
    assert fails("States.MathRandom(0.6, 1.4)").error == "States.Runtime"


@pytest.mark.parametrize(
    "text",
    [
        "States.ArrayPartition(States.Array(1), 0)",  # "a non-zero, positive integer"
        "States.ArrayPartition(States.Array(1), 0.4)",  # rounds to 0
        "States.ArrayPartition(States.Array(1), -1)",
        "States.ArrayPartition('x', 1)",  # "an array as the input value for the function's first argument"
        "States.ArrayContains('x', 1)",
        "States.ArrayRange(1, 5, 0)",  # "a non-zero value for the third argument"
        "States.ArrayRange(1, 5, 0.4)",
        "States.ArrayRange(0, 1000, 1)",  # "can't contain more than 1000 items"
        "States.ArrayRange('1', 5, 1)",
        "States.MathAdd(2147483648, 0)",  # "in the range of -2147483648 and 2147483647"
        "States.MathAdd(-2147483649, 0)",
        "States.JsonMerge($.o, $.o, true)",  # "you must specify the boolean value as false"
        "States.Hash('x', 'SHA-999')",  # the five listed algorithms only
        "States.Hash('x', 'sha-256')",
    ],
)
def test_documented_input_rules_fail_with_states_runtime(text: str) -> None:
    """Each rule the page lists under "Input validation" fails the state with States.Runtime."""
    assert fails(text, {"o": {"a": 1}}).error == "States.Runtime"


def test_the_1000_item_limit_is_inclusive() -> None:
    """ "The new array can contain up to 1000 elements."""
    assert len(run("States.ArrayRange(1, 1000, 1)")) == 1000


def test_base64_and_hash_take_up_to_10000_characters() -> None:
    """ "a data string of up to 10,000 characters"."""
    assert run("States.Base64Encode($.s)", {"s": "a" * 10000}).startswith("YWFh")
    assert fails("States.Base64Encode($.s)", {"s": "a" * 10001}).error == "States.Runtime"
    assert len(run("States.Hash($.s, 'MD5')", {"s": "a" * 10000})) == 32
    assert fails("States.Hash($.s, 'MD5')", {"s": "a" * 10001}).error == "States.Runtime"


# ---- reserved characters ----


def test_reserved_characters_are_escaped_with_a_backslash() -> None:
    """ "The literal string \\' represents '", "\\{ represents {", "\\} represents }", "\\\\ represents \\"."""
    assert run(r"States.Format('it\'s')") == "it's"
    assert run(r"States.Format('\{\} is not a placeholder, {} is', 1)") == "{} is not a placeholder, 1 is"
    assert run(r"States.Format('back\\slash')") == "back\\slash"
    assert run(r"States.Array('\{', '\}', '\\', '\'')") == ["{", "}", "\\", "'"]


@pytest.mark.parametrize("text", [r"States.Format('a\nb')", r"States.Format('\d')", r"States.Format('end\')"])
def test_an_open_escape_is_refused(text: str) -> None:
    """ "If an open escape backslash \\ is found in the intrinsic invocation string, the interpreter
    will return a runtime error" - AWS refuses the definition at creation (recorded corpus case
    ``test_illegal_escapes``), so the executor raises a DefinitionError when compiling."""
    with pytest.raises(DefinitionError):
        compile_intrinsic(text)


# ---- edge inputs ----


@pytest.mark.parametrize(
    ("text", "input_value", "expected"),
    [
        ("States.Format('')", None, ""),
        ("States.Format($.s)", {"s": ""}, ""),
        ("States.Format('[{}]', $.s)", {"s": "  "}, "[  ]"),
        ("States.Format('{}-{}', $.u, $.n)", {"u": "héllo ☃ 😀", "n": None}, "héllo ☃ 😀-null"),
        ("States.Format('{}', $.a)", {"a": []}, "[]"),
        ("States.Format('{}', $.o)", {"o": {"k": [1, "x"]}}, "{k=[1, x]}"),
        ("States.StringSplit($.s, ',')", {"s": ""}, []),
        ("States.StringSplit($.s, ' ')", {"s": "   "}, []),
        ("States.StringSplit($.s, ',')", {"s": "a,,b,"}, ["a", "b"]),
        ("States.StringSplit($.s, '☃')", {"s": "x☃y"}, ["x", "y"]),
        ("States.Base64Encode($.s)", {"s": ""}, ""),
        ("States.Base64Encode($.s)", {"s": "☃"}, "4piD"),
        ("States.Base64Decode($.s)", {"s": ""}, ""),
        ("States.Base64Decode($.s)", {"s": "4piD"}, "☃"),
        ("States.Hash($.s, 'MD5')", {"s": ""}, "d41d8cd98f00b204e9800998ecf8427e"),
        ("States.JsonToString($.s)", {"s": ""}, '""'),
        ("States.JsonToString($.s)", {"s": "☃"}, '"☃"'),
        ("States.JsonToString($.a)", {"a": []}, "[]"),
        ("States.StringToJson($.s)", {"s": " [1, 2] "}, [1, 2]),
        ("States.Array()", None, []),
        ("States.ArrayLength($.a)", {"a": []}, 0),
        ("States.ArrayUnique($.a)", {"a": []}, []),
        ("States.ArrayContains($.a, 1)", {"a": []}, False),
        ("States.ArrayPartition($.a, 3)", {"a": []}, []),
        ("States.ArrayUnique($.a)", {"a": [1, 1.0, True, "1", None, None]}, [1, 1.0, True, "1", None]),
    ],
)
def test_edge_inputs(text: str, input_value: Any, expected: Any) -> None:
    """Empty and blank strings, unicode and empty arrays are ordinary values."""
    assert run(text, input_value) == expected


@pytest.mark.parametrize(
    ("text", "input_value"),
    [
        ("States.StringToJson($.s)", {"s": ""}),
        ("States.StringToJson($.s)", {"s": "   "}),
        ("States.StringToJson($.s)", {"s": "{'a': 1}"}),
        ("States.StringToJson($.s)", {"s": 5}),
        ("States.ArrayGetItem($.a, 0)", {"a": []}),
        ("States.ArrayGetItem($.a, -1)", {"a": [1]}),
        ("States.ArrayLength($.s)", {"s": "abc"}),
        ("States.ArrayUnique($.o)", {"o": {}}),
        ("States.Base64Encode($.n)", {"n": 1}),
        ("States.Base64Decode($.s)", {"s": "not base64!"}),
        ("States.StringSplit($.n, ',')", {"n": 12}),
        ("States.JsonMerge($.a, $.o, false)", {"a": [], "o": {}}),
        ("States.MathAdd($.s, 1)", {"s": "1"}),
        ("States.MathRandom(5, 5)", None),
        ("States.Format($.n)", {"n": 1}),
        ("States.Format('{} {}', 1)", None),
        ("States.Format('x', 1)", None),
    ],
)
def test_wrong_values_fail_with_states_runtime(text: str, input_value: Any) -> None:
    """A value of the wrong type or out of range fails the state with States.Runtime."""
    assert fails(text, input_value).error == "States.Runtime"


@pytest.mark.parametrize(
    "text",
    [
        "States.UUID(1)",
        "States.ArrayLength()",
        "States.ArrayGetItem($.a)",
        "States.ArrayRange(1, 2)",
        "States.JsonMerge($.a, $.b)",
        "States.MathRandom(1)",
        "States.MathAdd(1, 2, 3)",
        "States.Hash('x')",
        "States.Format()",
        "States.Nope()",
    ],
)
def test_wrong_argument_counts_are_refused_at_creation(text: str) -> None:
    """The number of arguments is part of the call's syntax; an unknown name is too."""
    with pytest.raises(DefinitionError):
        compile_intrinsic(text)
