"""Text -> syntax tree for intrinsic function calls: ``States.Format('{} x', $.a, States.UUID())``.

Arguments are string literals (single-quoted; the only escapes are ``\\'``, ``\\{``, ``\\}`` and
``\\\\`` - anything else after a backslash is rejected, as AWS rejects it), numbers, ``true``,
``false``, ``null``, paths (``$...``, ``$$...``, ``$var...``) and nested calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath.path import Path, compile_path

__all__ = ["MAX_NESTING", "Argument", "Call", "LiteralArg", "PathArg", "StringArg", "parse_call"]

#: AWS: "You can nest up to 10 intrinsic functions within a field".
MAX_NESTING = 10

_NAME = re.compile(r"States\.([A-Za-z0-9]+)")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPABLE = frozenset("'{}\\")


@dataclass(frozen=True, slots=True)
class StringArg:
    """A quoted string literal: ``value`` is unescaped; ``pieces`` keeps the ``{}`` placeholders
    apart from escaped braces, which States.Format needs."""

    value: str
    pieces: tuple[str | None, ...]  # None marks an unescaped "{}" placeholder


@dataclass(frozen=True, slots=True)
class LiteralArg:
    """A number, ``true``, ``false`` or ``null``."""

    value: Any


@dataclass(frozen=True, slots=True)
class PathArg:
    """A path argument, evaluated against the input, the context object or a variable."""

    path: Path


@dataclass(frozen=True, slots=True)
class Call:
    """``States.<name>(<args>)``; ``text`` is the call as written (for error messages)."""

    name: str
    args: tuple[Argument, ...]
    text: str


Argument: TypeAlias = StringArg | LiteralArg | PathArg | Call


class _SyntaxError(Exception):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def parse_call(text: str, *, location: str = "", known: frozenset[str] | None = None) -> Call:
    """Parse one intrinsic call filling the whole text; raise DefinitionError when malformed.

    ``known`` (the supported function names) makes unknown names a syntax error.
    """
    parser = _Parser(text, known)
    try:
        call = parser.call(depth=1)
        parser.skip_spaces()
        if parser.pos != len(text):
            raise _SyntaxError(f"unexpected text after the call: {text[parser.pos :]!r}", parser.pos)
    except _SyntaxError as failure:
        raise DefinitionError(
            f"Invalid intrinsic function call {text!r}: {failure.message} at position {failure.position}",
            location=location,
        ) from None
    except DefinitionError as failure:
        raise DefinitionError(
            f"Invalid intrinsic function call {text!r}: {failure.message}", location=location
        ) from None
    return call


class _Parser:
    def __init__(self, text: str, known: frozenset[str] | None) -> None:
        self.text = text
        self.pos = 0
        self.known = known

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def call(self, depth: int) -> Call:
        if depth > MAX_NESTING:
            raise _SyntaxError(f"intrinsic functions can be nested at most {MAX_NESTING} deep", self.pos)
        start = self.pos
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise _SyntaxError("expected 'States.<FunctionName>('", self.pos)
        name = f"States.{match.group(1)}"
        if self.known is not None and name not in self.known:
            raise _SyntaxError(f"unknown intrinsic function {name}", start)
        self.pos = match.end()
        self.skip_spaces()
        if self.peek() != "(":
            raise _SyntaxError("expected '('", self.pos)
        self.pos += 1
        args: list[Argument] = []
        self.skip_spaces()
        if self.peek() == ")":
            self.pos += 1
            return Call(name, (), self.text[start : self.pos])
        while True:
            self.skip_spaces()
            args.append(self.argument(depth))
            self.skip_spaces()
            char = self.peek()
            if char == ",":
                self.pos += 1
                continue
            if char == ")":
                self.pos += 1
                return Call(name, tuple(args), self.text[start : self.pos])
            raise _SyntaxError("expected ',' or ')'", self.pos)

    def argument(self, depth: int) -> Argument:
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith("States.", self.pos):
            return self.call(depth + 1)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return LiteralArg(value)
        match = _NUMBER.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()
            number = match.group()
            return LiteralArg(float(number) if any(c in number for c in ".eE") else int(number))
        raise _SyntaxError("expected a string, number, boolean, null, path or intrinsic function", self.pos)

    def string(self) -> StringArg:
        start = self.pos
        self.pos += 1
        pieces: list[str | None] = []
        chunk: list[str] = []
        value: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise _SyntaxError("unterminated string literal", start)
            char = text[self.pos]
            if char == "\\":
                escaped = text[self.pos + 1] if self.pos + 1 < len(text) else ""
                if escaped not in _ESCAPABLE or not escaped:
                    raise _SyntaxError(f"invalid escape sequence '\\{escaped}'", self.pos)
                chunk.append(escaped)
                value.append(escaped)
                self.pos += 2
                continue
            if char == "'":
                self.pos += 1
                break
            if char == "{" and text.startswith("{}", self.pos):
                pieces.append("".join(chunk))
                pieces.append(None)
                chunk = []
                value.append("{}")
                self.pos += 2
                continue
            chunk.append(char)
            value.append(char)
            self.pos += 1
        pieces.append("".join(chunk))
        return StringArg("".join(value), tuple(pieces))

    def path(self) -> PathArg:
        # A path runs to the next top-level ',' or ')'; brackets, parentheses and quotes nest.
        start = self.pos
        depth = 0
        quote = ""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if quote:
                if char == "\\":
                    self.pos += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            self.pos += 1
        raw = text[start : self.pos].rstrip()
        offending = _non_shorthand_dot_name(raw)
        if offending is not None:
            raise _SyntaxError(
                f"the name {offending!r} needs bracket notation (['{offending}']) in an intrinsic function argument",
                start,
            )
        try:
            return PathArg(compile_path(raw))
        except DefinitionError as failure:
            raise _SyntaxError(failure.message, start) from None


# JSONPath ABNF ``member-name-shorthand``: name-first (ALPHA / "_" / non-ASCII) then name-chars.
_SHORTHAND = re.compile(r"[A-Za-z_\u0080-\U0010FFFF][A-Za-z0-9_\u0080-\U0010FFFF]*")


def _non_shorthand_dot_name(path: str) -> str | None:
    """The first dot-notation name that is not a ``member-name-shorthand``, outside brackets.

    AWS: "You must use square bracket notation for a Path passed as an argument to an Intrinsic
    Function if the field name contains any character that is not included in the
    member-name-shorthand definition of the JsonPath ABNF rule [...] For example, $.abc.['def ghi']."
    """
    depth = 0
    quote = ""
    index = 0
    while index < len(path):
        char = path[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "." and depth == 0:
            start = index + 1
            if path.startswith(".", start):
                start += 1
            end = start
            while end < len(path) and path[end] not in ".[":
                end += 1
            name = path[start:end]
            if name and name != "*" and _SHORTHAND.fullmatch(name) is None:
                return name
            index = end
            continue
        index += 1
    return None
