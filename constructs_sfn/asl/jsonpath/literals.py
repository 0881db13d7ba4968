"""Constant operands inside JSONPath filters: strings, numbers, booleans, null, /regex/, inline JSON
and the bare words AWS's samples compare with (``[?(@.category==home)]``)."""

from __future__ import annotations

import contextlib
import json
import re

from constructs_sfn.asl.jsonpath.nodes import Literal
from constructs_sfn.asl.jsonpath.reader import PathSyntaxError, Reader

__all__ = ["parse_literal"]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def parse_literal(reader: Reader) -> Literal:
    """Read the constant operand at the reader's position."""
    char = reader.peek()
    if char in ("'", '"'):
        return Literal(_parse_string_literal(reader))
    if char == "/":
        start = reader.pos
        with contextlib.suppress(PathSyntaxError):
            pattern = _parse_regex(reader)
            if _at_operand_end(reader):
                return Literal(pattern)
        # Not a /regex/ after all: ``@.Name == /eggs/cooked`` compares with the bare text.
        reader.pos = start
        return Literal(_read_bare_word(reader))
    if char in ("[", "{"):
        return Literal(_parse_json_literal(reader))
    for word, value in (("true", True), ("false", False), ("null", None)):
        if reader.startswith(word) and _at_operand_end(reader, len(word)):
            reader.pos += len(word)
            return Literal(value)
    match = _NUMBER.match(reader.text, reader.pos, reader.end)
    if match is not None and _at_operand_end(reader, match.end() - reader.pos):
        reader.pos = match.end()
        number = match.group()
        return Literal(float(number) if any(c in number for c in ".eE") else int(number))
    # AWS's own samples compare with unquoted text, e.g. ``$..interests[?(@.category==home)]``
    # (aws-samples/serverless-account-signup-service): a bare word is a string literal.
    return Literal(_read_bare_word(reader))


# Characters that end a bare-word operand inside a filter.
_BARE_WORD_STOPS = frozenset("()[]<>=~!&|,'\"")


def _at_operand_end(reader: Reader, offset: int = 0) -> bool:
    after = reader.peek(offset)
    return after == "" or after.isspace() or after in ")&|]<>=!~,"


def _read_bare_word(reader: Reader) -> str:
    start = reader.pos
    while not reader.at_end():
        char = reader.peek()
        if char.isspace() or char in _BARE_WORD_STOPS:
            break
        reader.pos += 1
    if reader.pos == start:
        raise reader.fail("expected a filter operand")
    return reader.text[start : reader.pos]


def _parse_string_literal(reader: Reader) -> str:
    quote = reader.peek()
    start = reader.pos
    reader.pos += 1
    chars: list[str] = []
    while True:
        if reader.at_end():
            raise PathSyntaxError("unterminated string", start)
        char = reader.peek()
        if char == "\\" and reader.pos + 1 < reader.end:
            chars.append(reader.peek(1))
            reader.pos += 2
            continue
        reader.pos += 1
        if char == quote:
            return "".join(chars)
        chars.append(char)


def _parse_regex(reader: Reader) -> re.Pattern[str]:
    start = reader.pos
    reader.pos += 1
    chars: list[str] = []
    while True:
        if reader.at_end():
            raise PathSyntaxError("unterminated regular expression", start)
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
        raise PathSyntaxError(f"invalid regular expression: {error}", start) from None


def _parse_json_literal(reader: Reader) -> object:
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
                    raise PathSyntaxError("invalid JSON literal", start) from None
        reader.pos += 1
    raise PathSyntaxError("unterminated JSON literal", start)


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
