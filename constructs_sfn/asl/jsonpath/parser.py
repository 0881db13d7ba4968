"""Text -> syntax tree for JSONPath, following Jayway JsonPath's grammar as AWS accepts it.

One recursive-descent pass over the characters; every error carries the character position so
the definition error says where the path went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath.literals import parse_literal
from constructs_sfn.asl.jsonpath.nodes import (
    And,
    Comparison,
    Exists,
    FilterExpr,
    FilterSegment,
    Indexes,
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
from constructs_sfn.asl.jsonpath.reader import PathSyntaxError, Reader

__all__ = ["ParsedPath", "parse_path", "segment_is_definite"]

# Workflow variable names: a letter or underscore, then letters, digits or underscores.
_VARIABLE_NAME = re.compile(r"[^\W\d]\w*")
_INTEGER = re.compile(r"-?\d+")
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
    return False


def parse_path(text: str, *, location: str = "") -> ParsedPath:
    """Parse a whole path (``$...``, ``$$...`` or ``$var...``); raise DefinitionError if malformed."""
    try:
        return _parse_path(text)
    except PathSyntaxError as failure:
        raise DefinitionError(
            f"Invalid JSONPath {text!r}: {failure.message} at position {failure.position}",
            location=location,
        ) from None


def _parse_path(text: str) -> ParsedPath:
    reader = Reader(text)
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


def _parse_segments(reader: Reader, *, in_filter: bool) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    while not reader.at_end():
        char = reader.peek()
        if in_filter and (char.isspace() or char in "<>=~!&|)"):
            break
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


def _parse_dot_name(reader: Reader, *, in_filter: bool) -> Segment:
    # AWS: "Functions such as length() aren't supported" - the engine reads a dot name up to the
    # next '.' or '[', so ``$.items.length()`` names a property called ``length()`` and fails to
    # find it at runtime, which is what AWS reports. Inside a filter the name also stops at a
    # blank, an operator or the filter's closing parenthesis; a parenthesised group that is part
    # of the name (``@.x.length()``) is kept whole.
    start = reader.pos
    stops = ".[" + ("<>=~!&|)" if in_filter else "")
    while not reader.at_end():
        char = reader.peek()
        if char == "(" and in_filter:
            _skip_group(reader)
            continue
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
    return Names((name,))


def _skip_group(reader: Reader) -> None:
    """Move past a balanced ``(...)`` that belongs to a name inside a filter."""
    start = reader.pos
    depth = 0
    while not reader.at_end():
        char = reader.peek()
        reader.pos += 1
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return
    raise PathSyntaxError("unbalanced '(' in a name", start)


def _parse_bracket(reader: Reader) -> Segment:
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


def _parse_quoted_name(reader: Reader) -> str:
    # AWS keeps a backslash in a bracketed name literally (``$['a\"b']`` names the key ``a\"b``);
    # the backslash only stops the next character from closing the name.
    quote = reader.peek()
    reader.pos += 1
    start = reader.pos
    while True:
        if reader.at_end():
            raise PathSyntaxError("unterminated quoted name", start - 1)
        char = reader.peek()
        if char == "\\":
            reader.pos += 2
            continue
        if char == quote:
            name = reader.text[start : reader.pos]
            reader.pos += 1
            return name
        reader.pos += 1


def _read_int(reader: Reader) -> int | None:
    reader.skip_spaces()
    match = _INTEGER.match(reader.text, reader.pos, reader.end)
    if match is None:
        return None
    reader.pos = match.end()
    reader.skip_spaces()
    return int(match.group())


def _parse_index_or_slice(reader: Reader) -> Segment:
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


def _parse_or(reader: Reader) -> FilterExpr:
    operands = [_parse_and(reader)]
    reader.skip_spaces()
    while reader.startswith("||"):
        reader.pos += 2
        operands.append(_parse_and(reader))
        reader.skip_spaces()
    return operands[0] if len(operands) == 1 else Or(tuple(operands))


def _parse_and(reader: Reader) -> FilterExpr:
    operands = [_parse_unary(reader)]
    reader.skip_spaces()
    while reader.startswith("&&"):
        reader.pos += 2
        operands.append(_parse_unary(reader))
        reader.skip_spaces()
    return operands[0] if len(operands) == 1 else And(tuple(operands))


def _parse_unary(reader: Reader) -> FilterExpr:
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


def _read_operator(reader: Reader) -> str | None:
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


def _parse_operand(reader: Reader) -> Operand:
    reader.skip_spaces()
    char = reader.peek()
    if char in ("@", "$"):
        return _parse_relative_path(reader)
    return parse_literal(reader)


def _parse_relative_path(reader: Reader) -> RelativePath:
    from_root = reader.peek() == "$"
    reader.pos += 1
    segments = _parse_segments(reader, in_filter=True)
    definite = all(
        segment_is_definite(segment, is_leaf=index == len(segments) - 1) for index, segment in enumerate(segments)
    )
    return RelativePath(from_root, segments, definite)
