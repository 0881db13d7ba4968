"""The JSONPath grammar: what parses to which segments, what is rejected, and fuzzed invariants."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath import PathNotFound, compile_path
from constructs_sfn.asl.jsonpath.nodes import (
    Comparison,
    Exists,
    FilterSegment,
    Indexes,
    Literal,
    Names,
    RecursiveDescent,
    RelativePath,
    Slice,
    Wildcard,
)
from constructs_sfn.asl.jsonpath.parser import parse_path


@pytest.mark.parametrize(
    ("text", "root_kind", "variable", "segments"),
    [
        ("$", "input", None, ()),
        ("$$", "context", None, ()),
        ("$var", "variable", "var", ()),
        ("$_x1.a", "variable", "_x1", (Names(("a",)),)),
        ("$.a['b'][\"c\"]", "input", None, (Names(("a",)), Names(("b",)), Names(("c",)))),
        ("$[0][-1]", "input", None, (Indexes((0,)), Indexes((-1,)))),
        ("$[ 0 , 2 ]", "input", None, (Indexes((0, 2)),)),
        ("$['a', 'b']", "input", None, (Names(("a", "b")),)),
        ("$.*", "input", None, (Wildcard(),)),
        ("$[*]", "input", None, (Wildcard(),)),
        ("$..a", "input", None, (RecursiveDescent(), Names(("a",)))),
        ("$..*", "input", None, (RecursiveDescent(), Wildcard())),
        ("$..[0]", "input", None, (RecursiveDescent(), Indexes((0,)))),
        ("$[1:]", "input", None, (Slice(1, None, None),)),
        ("$[:2]", "input", None, (Slice(None, 2, None),)),
        ("$[::2]", "input", None, (Slice(None, None, 2),)),
        ("$[-3:-1:1]", "input", None, (Slice(-3, -1, 1),)),
        ("$.a.length()", "input", None, (Names(("a",)), Names(("length()",)))),
        ("$.a-b.c$d", "input", None, (Names(("a-b",)), Names(("c$d",)))),
        ("$.ünïcødé", "input", None, (Names(("ünïcødé",)),)),
        ("$['a.b']", "input", None, (Names(("a.b",)),)),
        ("$['it\\'s']", "input", None, (Names(("it\\'s",)),)),
    ],
)
def test_parses(text: str, root_kind: str, variable: str | None, segments: tuple[object, ...]) -> None:
    parsed = parse_path(text)
    assert (parsed.root_kind, parsed.variable_name, parsed.segments) == (root_kind, variable, segments)


def test_filter_syntax_tree() -> None:
    (segment,) = parse_path("$[?(@.a.b >= -1.5e2)]").segments
    assert segment == FilterSegment(
        Comparison(
            RelativePath(False, (Names(("a",)), Names(("b",))), True),
            ">=",
            Literal(-150.0),
        )
    )
    (exists,) = parse_path("$[?(@['x y'])]").segments
    assert exists == FilterSegment(Exists(RelativePath(False, (Names(("x y",)),), True)))


def test_filter_regex_literal_is_compiled_with_flags() -> None:
    (segment,) = parse_path("$[?(@.a =~ /ab+c/i)]").segments
    assert isinstance(segment, FilterSegment)
    assert isinstance(segment.expression, Comparison)
    assert isinstance(segment.expression.right, Literal)
    pattern = segment.expression.right.value
    assert isinstance(pattern, re.Pattern)
    assert pattern.flags & re.IGNORECASE
    assert pattern.fullmatch("ABBC")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "$.",
        "$..",
        "$.a.",
        "$[",
        "$[]",
        "$['a'",
        "$['a' 'b']",
        "$['a',]",
        "$[0,]",
        "$[a]",
        "$.a b",
        "$ .a",
        "$[?(@.a ==)]",
        "$[?(@.a == 'x')",
        "$[?@.a]",
        "$[?(@.a =~ /[/)]",
        "$[1:2:0]",
        "$1abc",
        "$$$",
        "$[?(@.a in [1,)]",
    ],
)
def test_rejected(text: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_path(text, location="/States/A/OutputPath")
    assert caught.value.location == "/States/A/OutputPath"
    assert caught.value.code == "SCHEMA_VALIDATION_FAILED"


def test_error_message_names_the_position() -> None:
    with pytest.raises(DefinitionError, match=r"position 3"):
        parse_path("$.a b")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="$@.[]()'\"*?:,-=<>!&|~ 0123456789abcxyz_\\/", max_size=24))
def test_compile_raises_only_definition_errors(text: str) -> None:
    try:
        path = compile_path(text)
    except DefinitionError as error:
        failure: DefinitionError | None = error
    else:
        failure = None
        assert path.text.startswith("$")
    assert failure is None or failure.code == "SCHEMA_VALIDATION_FAILED"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=3),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from("abc"), children, max_size=3),
    max_leaves=12,
)
PATHS = [
    "$",
    "$.a",
    "$.a.b[0]",
    "$.a[-1].c",
    "$[*].a",
    "$..a",
    "$..*",
    "$.a[0:2]",
    "$.a[?(@.b > 1)]",
    "$[?(@.a == 'x' || !@.b)]",
    "$['a','b']",
    "$.a.length()",
    "$.b.sum()",
    "$.a[?(@.c =~ /x.*/)].b",
    "$..[?(@.a in [1, 2])]",
]


@settings(max_examples=300, deadline=None)
@given(document=json_values, text=st.sampled_from(PATHS))
def test_evaluation_raises_only_path_not_found(document: object, text: str) -> None:
    path = compile_path(text)
    try:
        result = path.find(document)
    except PathNotFound as missing:
        # Indefinite paths fail too while still definite (Jayway), e.g. $.a[*] with no "a".
        message = missing.message
    else:
        message = ""
        if not path.is_definite:
            assert isinstance(result, list)
    assert isinstance(message, str)
