"""Text -> syntax tree for JSONPath, following Jayway JsonPath's grammar as AWS accepts it.

One recursive-descent pass over the characters; every error carries the character position so
the definition error says where the path went wrong.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath.nodes import (
    And,
    Comparison,
    Exists,
    FilterExpr,
    FilterSegment,
    FunctionCall,
    Indexes,
    Literal,
    Names,
    Not,
    Operand,
    Or,
    RecursiveDescent,
    RelativePath,
    Segment,
    Slice,
    Wildcard,
)

__all__ = ["PATH_FUNCTIONS", "ParsedPath", "parse_path", "segment_is_definite"]

#: Trailing path functions (Jayway's set) that a path may end with, e.g. ``$.items.length()``.
PATH_FUNCTIONS = frozenset({"length", "size", "min", "max", "avg", "stddev", "sum", "keys", "first", "last"})

# Workflow variable names: a letter or underscore, then letters, digits or underscores.
_VARIABLE_NAME = re.compile(r"[^\W\d]\w*")
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
# Longest first so that "<=" is not read as "<".
_OPERATORS = ("===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">")
_WORD_OPERATORS = ("subsetof", "contains", "noneof", "anyof", "empty", "size", "nin", "in")


@dataclass(frozen=True, slots=True)
class ParsedPath:
    """The parts of a path: where it starts and the segments after the root."""

    root_kind: str
    variable_name: str | None
    segments: tuple[Segment, ...]


def segment_is_definite(segment: Segment, *, is_leaf: bool) -> bool:
    """Whether the segment yields at most one node (Jayway's ``isTokenDefinite``)."""
    if isinstance(segment, Names):
        # A union of names at the end of a path merges into one object (Jayway's merge case).
        return len(segment.keys) == 1 or is_leaf
    if isinstance(segment, Indexes):
        return len(segment.indexes) == 1
    return isinstance(segment, FunctionCall)


class _SyntaxError(Exception):
    """Internal: a syntax problem at a character position."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class _Reader:
    """A cursor over the path text."""

    def __init__(self, text: str, position: int = 0, end: int | None = None) -> None:
        self.text = text
        self.pos = position
        self.end = len(text) if end is None else end

    def at_end(self) -> bool:
        return self.pos >= self.end

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < self.end else ""

    def startswith(self, prefix: str) -> bool:
        return self.text.startswith(prefix, self.pos, self.end)

    def skip_spaces(self) -> None:
        while self.pos < self.end and self.text[self.pos].isspace():
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = repr(self.peek()) if not self.at_end() else "end of path"
            raise _SyntaxError(f"expected {char!r} but found {found}", self.pos)
        self.pos += 1

    def fail(self, message: str) -> _SyntaxError:
        return _SyntaxError(message, self.pos)


def parse_path(text: str, *, location: str = "") -> ParsedPath:
    """Parse a whole path (``$...``, ``$$...`` or ``$var...``); raise DefinitionError if malformed."""
    try:
        return _parse_path(text)
    except _SyntaxError as failure:
        raise DefinitionError(
            f"Invalid JSONPath {text!r}: {failure.message} at position {failure.position}",
            location=location,
        ) from None


def _parse_path(text: str) -> ParsedPath:
    reader = _Reader(text)
    if not reader.startswith("$"):
        raise reader.fail("a path must start with '$'")
    reader.pos += 1
    root_kind = "input"
    variable_name: str | None = None
    if reader.peek() == "$":
        reader.pos += 1
        root_kind = "context"
    elif not reader.at_end() and reader.peek() not in ".[":
        match = _VARIABLE_NAME.match(text, reader.pos)
        if match is None:
            raise reader.fail("invalid variable name")
        root_kind = "variable"
        variable_name = match.group()
        reader.pos = match.end()
    segments = _parse_segments(reader, in_filter=False)
    if not reader.at_end():
        raise reader.fail(f"unexpected character {reader.peek()!r}")
    return ParsedPath(root_kind, variable_name, segments)


def _parse_segments(reader: _Reader, *, in_filter: bool) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    while not reader.at_end():
        char = reader.peek()
        if in_filter and (char.isspace() or char in "<>=~!&|)"):
            break
        if segments and isinstance(segments[-1], FunctionCall):
            raise reader.fail("a path function must be the last segment")
        if reader.startswith(".."):
            reader.pos += 2
            segments.append(RecursiveDescent())
            if reader.peek() == "*":
                reader.pos += 1
                segments.append(Wildcard())
            elif reader.peek() == "[":
                segments.append(_parse_bracket(reader))
            else:
                segments.append(_parse_dot_name(reader, in_filter=in_filter))
        elif char == ".":
            reader.pos += 1
            if reader.peek() == "*":
                reader.pos += 1
                segments.append(Wildcard())
            elif reader.peek() == "[":
                # Jayway reads the token after a single dot whatever it is, so ``$.['a b']`` and
                # ``$.[0]`` mean ``$['a b']`` and ``$[0]`` (AWS documents ``$.abc.['def ghi']``).
                segments.append(_parse_bracket(reader))
            else:
                segments.append(_parse_dot_name(reader, in_filter=in_filter))
        elif char == "[":
            segments.append(_parse_bracket(reader))
        else:
            raise reader.fail(f"unexpected character {char!r}")
    return tuple(segments)


def _parse_dot_name(reader: _Reader, *, in_filter: bool) -> Segment:
    start = reader.pos
    stops = ".[(" + ("<>=~!&|)" if in_filter else "")
    while not reader.at_end():
        char = reader.peek()
        if char in stops:
            break
        if char.isspace():
            if in_filter:
                break
            raise reader.fail("use bracket notation ['my prop'] for a name with blank characters")
        reader.pos += 1
    name = reader.text[start : reader.pos]
    if not name:
        raise reader.fail("expected a name after '.'")
    if reader.peek() == "(":
        reader.pos += 1
        reader.skip_spaces()
        reader.expect(")")
        if name not in PATH_FUNCTIONS:
            raise _SyntaxError(f"unknown path function {name}()", start)
        return FunctionCall(name)
    return Names((name,))


def _parse_bracket(reader: _Reader) -> Segment:
    reader.expect("[")
    reader.skip_spaces()
    char = reader.peek()
    segment: Segment
    if char == "*":
        reader.pos += 1
        segment = Wildcard()
    elif char == "?":
        reader.pos += 1
        reader.skip_spaces()
        reader.expect("(")
        expression = _parse_or(reader)
        reader.skip_spaces()
        reader.expect(")")
        segment = FilterSegment(expression)
    elif char in ("'", '"'):
        keys = [_parse_quoted_name(reader)]
        reader.skip_spaces()
        while reader.peek() == ",":
            reader.pos += 1
            reader.skip_spaces()
            if reader.peek() not in ("'", '"'):
                raise reader.fail("expected a quoted name after ','")
            keys.append(_parse_quoted_name(reader))
            reader.skip_spaces()
        segment = Names(tuple(keys))
    else:
        segment = _parse_index_or_slice(reader)
    reader.skip_spaces()
    reader.expect("]")
    return segment


def _parse_quoted_name(reader: _Reader) -> str:
    # AWS keeps a backslash in a bracketed name literally (``$['a\"b']`` names the key ``a\"b``);
    # the backslash only stops the next character from closing the name.
    quote = reader.peek()
    reader.pos += 1
    start = reader.pos
    while True:
        if reader.at_end():
            raise _SyntaxError("unterminated quoted name", start - 1)
        char = reader.peek()
        if char == "\\":
            reader.pos += 2
            continue
        if char == quote:
            name = reader.text[start : reader.pos]
            reader.pos += 1
            return name
        reader.pos += 1


def _read_int(reader: _Reader) -> int | None:
    reader.skip_spaces()
    match = _INTEGER.match(reader.text, reader.pos, reader.end)
    if match is None:
        return None
    reader.pos = match.end()
    reader.skip_spaces()
    return int(match.group())


def _parse_index_or_slice(reader: _Reader) -> Segment:
    first = _read_int(reader)
    if reader.peek() == ":":
        reader.pos += 1
        stop = _read_int(reader)
        step: int | None = None
        if reader.peek() == ":":
            reader.pos += 1
            step = _read_int(reader)
            if step == 0:
                raise reader.fail("slice step cannot be zero")
        return Slice(first, stop, step)
    if first is None:
        raise reader.fail("expected an index, a slice, '*', '?' or a quoted name")
    indexes = [first]
    while reader.peek() == ",":
        reader.pos += 1
        index = _read_int(reader)
        if index is None:
            raise reader.fail("expected an index after ','")
        indexes.append(index)
    return Indexes(tuple(indexes))


# ---- filter expressions: or := and ('||' and)* ; and := unary ('&&' unary)* ----


def _parse_or(reader: _Reader) -> FilterExpr:
    operands = [_parse_and(reader)]
    reader.skip_spaces()
    while reader.startswith("||"):
        reader.pos += 2
        operands.append(_parse_and(reader))
        reader.skip_spaces()
    return operands[0] if len(operands) == 1 else Or(tuple(operands))


def _parse_and(reader: _Reader) -> FilterExpr:
    operands = [_parse_unary(reader)]
    reader.skip_spaces()
    while reader.startswith("&&"):
        reader.pos += 2
        operands.append(_parse_unary(reader))
        reader.skip_spaces()
    return operands[0] if len(operands) == 1 else And(tuple(operands))


def _parse_unary(reader: _Reader) -> FilterExpr:
    reader.skip_spaces()
    if reader.peek() == "!" and reader.peek(1) != "=":
        reader.pos += 1
        return Not(_parse_unary(reader))
    if reader.peek() == "(":
        reader.pos += 1
        inner = _parse_or(reader)
        reader.skip_spaces()
        reader.expect(")")
        return inner
    left = _parse_operand(reader)
    reader.skip_spaces()
    operator = _read_operator(reader)
    if operator is None:
        if isinstance(left, RelativePath):
            return Exists(left)
        return left
    reader.skip_spaces()
    right = _parse_operand(reader)
    return Comparison(left, operator, right)


def _read_operator(reader: _Reader) -> str | None:
    for operator in _OPERATORS:
        if reader.startswith(operator):
            reader.pos += len(operator)
            return operator
    for word in _WORD_OPERATORS:
        if reader.startswith(word):
            after = reader.peek(len(word))
            if not (after.isalnum() or after == "_"):
                reader.pos += len(word)
                return word
    return None


def _parse_operand(reader: _Reader) -> Operand:
    reader.skip_spaces()
    char = reader.peek()
    if char in ("@", "$"):
        return _parse_relative_path(reader)
    if char in ("'", '"'):
        return Literal(_parse_string_literal(reader))
    if char == "/":
        return Literal(_parse_regex(reader))
    if char in ("[", "{"):
        return Literal(_parse_json_literal(reader))
    for word, value in (("true", True), ("false", False), ("null", None)):
        if reader.startswith(word):
            reader.pos += len(word)
            return Literal(value)
    match = _NUMBER.match(reader.text, reader.pos, reader.end)
    if match is not None:
        reader.pos = match.end()
        number = match.group()
        return Literal(float(number) if any(c in number for c in ".eE") else int(number))
    raise reader.fail("expected a filter operand")


def _parse_relative_path(reader: _Reader) -> RelativePath:
    from_root = reader.peek() == "$"
    reader.pos += 1
    segments = _parse_segments(reader, in_filter=True)
    definite = all(
        segment_is_definite(segment, is_leaf=index == len(segments) - 1) for index, segment in enumerate(segments)
    )
    return RelativePath(from_root, segments, definite)


def _parse_string_literal(reader: _Reader) -> str:
    quote = reader.peek()
    start = reader.pos
    reader.pos += 1
    chars: list[str] = []
    while True:
        if reader.at_end():
            raise _SyntaxError("unterminated string", start)
        char = reader.peek()
        if char == "\\" and reader.pos + 1 < reader.end:
            chars.append(reader.peek(1))
            reader.pos += 2
            continue
        reader.pos += 1
        if char == quote:
            return "".join(chars)
        chars.append(char)


def _parse_regex(reader: _Reader) -> re.Pattern[str]:
    start = reader.pos
    reader.pos += 1
    chars: list[str] = []
    while True:
        if reader.at_end():
            raise _SyntaxError("unterminated regular expression", start)
        char = reader.peek()
        if char == "\\" and reader.pos + 1 < reader.end:
            chars.append(reader.text[reader.pos : reader.pos + 2])
            reader.pos += 2
            continue
        reader.pos += 1
        if char == "/":
            break
        chars.append(char)
    flags = 0
    while reader.peek() in ("i", "m", "s", "x", "u") and reader.peek():
        flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "u": 0}[reader.peek()]
        reader.pos += 1
    try:
        return re.compile("".join(chars), flags)
    except re.error as error:
        raise _SyntaxError(f"invalid regular expression: {error}", start) from None


def _parse_json_literal(reader: _Reader) -> object:
    # Filters may compare against inline JSON: [?(@.size in ['S', 'M'])]. Jayway accepts single
    # quotes inside these, so normalize them to JSON before decoding.
    opening = reader.peek()
    closing = "]" if opening == "[" else "}"
    start = reader.pos
    depth = 0
    quote = ""
    while not reader.at_end():
        char = reader.peek()
        if quote:
            if char == "\\":
                reader.pos += 1
            elif char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                reader.pos += 1
                raw = reader.text[start : reader.pos]
                try:
                    return json.loads(_single_to_double_quotes(raw))
                except ValueError:
                    raise _SyntaxError("invalid JSON literal", start) from None
        reader.pos += 1
    raise _SyntaxError("unterminated JSON literal", start)


def _single_to_double_quotes(raw: str) -> str:
    out: list[str] = []
    quote = ""
    index = 0
    while index < len(raw):
        char = raw[index]
        if quote:
            if char == "\\" and index + 1 < len(raw):
                nxt = raw[index + 1]
                out.append(nxt if (quote == "'" and nxt == "'") else char + nxt)
                index += 2
                continue
            if char == quote:
                out.append('"')
                quote = ""
            elif char == '"':
                out.append('\\"')
            else:
                out.append(char)
        elif char in ("'", '"'):
            quote = char
            out.append('"')
        else:
            out.append(char)
        index += 1
    return "".join(out)
