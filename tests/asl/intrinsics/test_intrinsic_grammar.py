"""The intrinsic call grammar: literals, escapes, paths, nesting and rejected text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.intrinsics.grammar import MAX_NESTING, Call, LiteralArg, PathArg, StringArg, parse_call


def test_arguments_of_every_kind() -> None:
    call = parse_call("States.Array('s', -1.5e1, 7, true, false, null, $.a['x,y'][0], $$.Map, $v.w, States.UUID())")
    assert call.name == "States.Array"
    kinds = [type(arg) for arg in call.args]
    assert kinds == [
        StringArg,
        LiteralArg,
        LiteralArg,
        LiteralArg,
        LiteralArg,
        LiteralArg,
        PathArg,
        PathArg,
        PathArg,
        Call,
    ]
    literals = [arg.value for arg in call.args if isinstance(arg, LiteralArg)]
    assert literals == [-15.0, 7, True, False, None]
    assert isinstance(literals[1], int)
    paths = [arg.path for arg in call.args if isinstance(arg, PathArg)]
    assert [(p.text, p.root_kind) for p in paths] == [
        ("$.a['x,y'][0]", "input"),
        ("$$.Map", "context"),
        ("$v.w", "variable"),
    ]


def test_whitespace_is_allowed_between_tokens() -> None:
    call = parse_call("States.Format(  '{}' ,$.a  ,  1 )")
    assert len(call.args) == 3


def test_path_arguments_may_contain_parentheses_and_filters() -> None:
    call = parse_call("States.Array($['a(b)'], $.b[?(@.c == 'd,e')])")
    assert [arg.path.text for arg in call.args if isinstance(arg, PathArg)] == [
        "$['a(b)']",
        "$.b[?(@.c == 'd,e')]",
    ]


@pytest.mark.parametrize(
    ("literal", "value", "pieces"),
    [
        ("'plain'", "plain", ("plain",)),
        ("'It\\'s'", "It's", ("It's",)),
        ("'a\\\\b'", "a\\b", ("a\\b",)),
        ("'\\{\\}'", "{}", ("{}",)),
        ("'x {} y {}'", "x {} y {}", ("x ", None, " y ", None, "")),
        ("'\\{{}\\}'", "{{}}", ("{", None, "}")),
        ("'{\"a\": 1}'", '{"a": 1}', ('{"a": 1}',)),
        ("'emoji 🆗'", "emoji 🆗", ("emoji 🆗",)),
        ("''", "", ("",)),
    ],
)
def test_string_literals(literal: str, value: str, pieces: tuple[str | None, ...]) -> None:
    (arg,) = parse_call(f"States.Array({literal})").args
    assert arg == StringArg(value, pieces)


@pytest.mark.parametrize(
    "text",
    [
        # AWS rejects these two (recorded: "must be a valid JSONPath or a valid intrinsic function call").
        'States.StringToJson(\'{"text":"An \\"escaped double quote\\" here"}\')',
        "States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')",
        "States.Format('bad \\n escape')",
        "States.Format('trailing backslash \\",
        "States.Format('unterminated)",
        "States.Format",
        "States.Format(",
        "States.Format('a' 'b')",
        "States.Format('a',)",
        "States.Format('a') trailing",
        "States.Array(undefined)",
        "States.Array(01)",
        "States.Array($.a[)",
        "States.Array(@.a)",
        "States.",
        "states.Array()",
    ],
)
def test_rejected(text: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_call(text, location="/States/S/Parameters")
    assert caught.value.location == "/States/S/Parameters"


def test_unknown_function_names_are_rejected_when_names_are_known() -> None:
    assert parse_call("States.Whatever()").name == "States.Whatever"
    with pytest.raises(DefinitionError, match=r"unknown intrinsic function States\.Whatever"):
        parse_call("States.Whatever()", known=frozenset({"States.Array"}))


def test_nesting_limit() -> None:
    def nested(depth: int) -> str:
        text = "States.Array()"
        for _ in range(depth - 1):
            text = f"States.Array({text})"
        return text

    assert parse_call(nested(MAX_NESTING)).name == "States.Array"
    with pytest.raises(DefinitionError, match="nested at most 10"):
        parse_call(nested(MAX_NESTING + 1))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="States.Format()Array'{}\\$@.[],0123456789-e truefalsn", max_size=40))
def test_parse_raises_only_definition_errors(text: str) -> None:
    try:
        call = parse_call(text)
    except DefinitionError as error:
        message = error.message
    else:
        message = ""
        assert call.name.startswith("States.")
    assert isinstance(message, str)
