"""JSON syntax errors worded as AWS words them (AWS decodes with Jackson).

``jackson_syntax_error(text)`` scans ``text`` and returns the first syntax error the way Jackson
reports it, or ``None`` when the text is one valid JSON value. Examples of AWS's texts::

    Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null',
    'true' or 'false')
    Unexpected character (''' (code 39)): was expecting double-quote to start field name

``ValidateStateMachineDefinition`` puts ``message`` plus ``\\n at [Source: ...]`` in the
diagnostic and the ``[Source: ...]`` part in its location; ``StartExecution`` wraps only the first
line in ``Invalid State Machine Execution Input: '...'``.

AWS's Jackson applies its default read constraints (``StreamReadConstraints``, Jackson 2.15 and
later): at most :data:`MAX_NESTING_DEPTH` open arrays/objects and at most
:data:`MAX_NUMBER_LENGTH` characters per number. Both limits, and their messages, live here for
every JSON reader of the package (:mod:`constructs_sfn.local.json_text` reads values with them).
The scanner keeps its own stack, so hostile nesting never reaches Python's recursion limit.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_NESTING_DEPTH",
    "MAX_NUMBER_LENGTH",
    "JsonDecodeError",
    "JsonSyntaxError",
    "decode_json_text",
    "ensure_recursion_headroom",
    "jackson_syntax_error",
    "json_text_depth",
    "json_float",
    "may_exceed_double",
    "may_exceed_limits",
    "loads_json",
    "nesting_depth_message",
    "number_length",
    "number_length_message",
    "reserve_recursion_for_depth",
    "value_depth",
]

MAX_NESTING_DEPTH = 1000
"""Jackson's default ``StreamReadConstraints.getMaxNestingDepth()``: open arrays and objects."""
MAX_NUMBER_LENGTH = 1000
"""Jackson's default ``StreamReadConstraints.getMaxNumberLength()``: characters of one number."""

_VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_KEYWORD_LIST = "('true', 'false' or 'null')"
_SNIPPET_LIMIT = 500
_WHITESPACE = " \t\r\n"
_ESCAPES = frozenset('"\\/bfnrtu')
# Text with a run this long might hold a number over Jackson's limit: it takes the exact scanner.
_MAYBE_LONG_NUMBER = re.compile(f"[-+.0-9eE]{{{MAX_NUMBER_LENGTH + 1},}}")
# Brackets outside strings, for measuring the nesting depth of valid JSON text.
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_SHALLOW = 100
# A float literal that might exceed the double range: a 3-digit exponent or 309 digits in a row.
_MAYBE_HUGE_FLOAT = re.compile(r"[eE]\+?[0-9]{3}|[0-9]{309}")
_FRAMES_PER_LEVEL = 25


@dataclass(frozen=True, slots=True)
class JsonSyntaxError:
    """One Jackson-style syntax error."""

    message: str
    line: int
    column: int
    source: str

    @property
    def location(self) -> str:
        """``[Source: (String)"..."; line: L, column: C]`` as Jackson prints it."""
        return f"[Source: {_source_description(self.source)}; line: {self.line}, column: {self.column}]"

    @property
    def full_message(self) -> str:
        """The message followed by Jackson's location line."""
        return f"{self.message}\n at {self.location}"


class _SyntaxError(Exception):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def nesting_depth_message(depth: int) -> str:
    """Jackson's message for a document nested ``depth`` deep (more than :data:`MAX_NESTING_DEPTH`)."""
    return (
        f"Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_NESTING_DEPTH}, from "
        "`StreamReadConstraints.getMaxNestingDepth()`)"
    )


def number_length_message(length: int) -> str:
    """Jackson's message for a number of ``length`` characters (more than :data:`MAX_NUMBER_LENGTH`)."""
    return (
        f"Number value length ({length}) exceeds the maximum allowed ({MAX_NUMBER_LENGTH}, from "
        "`StreamReadConstraints.getMaxNumberLength()`)"
    )


def jackson_syntax_error(text: str) -> JsonSyntaxError | None:
    """The first syntax error of ``text`` in Jackson's words, or ``None`` if it is valid JSON."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except _SyntaxError as failure:
        line, column = _line_column(text, failure.position)
        return JsonSyntaxError(failure.message, line, column, text)
    return None


def _source_description(text: str) -> str:
    snippet = f'(String)"{text[:_SNIPPET_LIMIT]}"'
    if len(text) > _SNIPPET_LIMIT:
        snippet += f"[truncated {len(text) - _SNIPPET_LIMIT} chars]"
    return snippet


def _line_column(text: str, position: int) -> tuple[int, int]:
    """Jackson's 1-based line and column of the character *after* ``position`` characters."""
    consumed = text[:position]
    line = consumed.count("\n") + 1
    column = position - (consumed.rfind("\n") + 1) + 1
    return line, column


def _char_description(char: str) -> str:
    code = ord(char)
    if code < 32 or 127 <= code <= 159:
        return f"(CTRL-CHAR, code {code})"
    if code > 255:
        return f"'{char}' (code {code} / 0x{code:x})"
    return f"'{char}' (code {code})"


class _Scanner:
    __slots__ = ("_starts", "position", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self._starts: list[int] = []  # where each open container began

    def document(self) -> None:
        if self._next_significant() is None:
            raise _SyntaxError("No content to map due to end-of-input", self.position)
        self._value()

    def _next_significant(self) -> str | None:
        text = self.text
        while self.position < len(text) and text[self.position] in _WHITESPACE:
            self.position += 1
        return text[self.position] if self.position < len(text) else None

    def _unexpected(self, char: str, comment: str) -> _SyntaxError:
        self.position += 1
        return _SyntaxError(f"Unexpected character ({_char_description(char)}): {comment}", self.position)

    def _value(self) -> None:
        """One value; arrays and objects are walked with an explicit stack of their kinds."""
        open_kinds: list[str] = []
        while True:
            char = self._next_significant()
            if char is None:
                raise _SyntaxError("Unexpected end-of-input: expected a value", self.position)
            if char in "{[":
                if len(open_kinds) >= MAX_NESTING_DEPTH:
                    raise _SyntaxError(nesting_depth_message(len(open_kinds) + 1), self.position + 1)
                kind = "Object" if char == "{" else "Array"
                self._starts.append(self.position)
                open_kinds.append(kind)
                self.position += 1
                if self._first_entry(kind):
                    continue  # a value follows
                open_kinds.pop()
                self._starts.pop()
            else:
                self._scalar(char)
            # A value ended: close containers until one expects another entry.
            while open_kinds:
                if self._next_entry(open_kinds[-1]):
                    break
                open_kinds.pop()
                self._starts.pop()
            else:
                return

    def _first_entry(self, kind: str) -> bool:
        """After ``{``/``[``: False when the container closes at once, True when a value follows."""
        char = self._next_significant()
        if char == ("}" if kind == "Object" else "]"):
            self.position += 1
            return False
        if kind == "Object":
            self._field_name(char)
        elif char is None:
            raise self._eof_in(kind, self._starts[-1])
        return True

    def _next_entry(self, kind: str) -> bool:
        """After an entry: False when the container closes, True when another value follows."""
        char = self._next_significant()
        if char == ("}" if kind == "Object" else "]"):
            self.position += 1
            return False
        if char is None:
            raise self._eof_in(kind, self._starts[-1])
        if char != ",":
            raise self._unexpected(char, f"was expecting comma to separate {kind} entries")
        self.position += 1
        if kind == "Object":
            self._field_name(self._next_significant())
        elif self._next_significant() is None:
            raise self._eof_in(kind, self._starts[-1])
        return True

    def _field_name(self, char: str | None) -> None:
        if char is None:
            raise self._eof_in("Object", self._starts[-1])
        if char != '"':
            raise self._unexpected(char, "was expecting double-quote to start field name")
        self._string()
        char = self._next_significant()
        if char is None:
            raise self._eof_in("Object", self._starts[-1])
        if char != ":":
            raise self._unexpected(char, "was expecting a colon to separate field name and value")
        self.position += 1

    def _scalar(self, char: str) -> None:
        if char == '"':
            self._string()
        elif char == "-" or char.isdigit():
            self._number()
        elif char in "tfn":
            self._keyword()
        elif char.isidentifier():
            self._invalid_token(_KEYWORD_LIST)
        else:
            raise self._unexpected(char, f"expected a valid value {_VALUE_LIST}")

    def _keyword(self) -> None:
        text = self.text
        for word in ("true", "false", "null"):
            if text.startswith(word, self.position):
                end = self.position + len(word)
                if end >= len(text) or not _identifier_part(text[end]):
                    self.position = end
                    return
        self._invalid_token(_VALUE_LIST)

    def _invalid_token(self, expected: str) -> None:
        text = self.text
        start = self.position
        self.position += 1
        while self.position < len(text) and _identifier_part(text[self.position]):
            self.position += 1
        raise _SyntaxError(
            f"Unrecognized token '{text[start : self.position]}': was expecting {expected}", self.position
        )

    def _eof_in(self, kind: str, start: int) -> _SyntaxError:
        line, column = _line_column(self.text, start)
        return _SyntaxError(
            f"Unexpected end-of-input: expected close marker for {kind} (start marker at "
            f"[Source: {_source_description(self.text)}; line: {line}, column: {column}])",
            self.position,
        )

    def _string(self) -> None:
        text = self.text
        self.position += 1
        while self.position < len(text):
            char = text[self.position]
            self.position += 1
            if char == '"':
                return
            if char == "\\":
                if self.position >= len(text):
                    break
                escape = text[self.position]
                self.position += 1
                if escape not in _ESCAPES:
                    raise _SyntaxError(f"Unrecognized character escape {_char_description(escape)}", self.position)
                if escape == "u":
                    digits = text[self.position : self.position + 4]
                    if len(digits) < 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
                        raise _SyntaxError(
                            "Unexpected character in unicode escape: expected a hex-digit for "
                            "character escape sequence",
                            self.position + 1,
                        )
                    self.position += 4
            elif ord(char) < 32:
                raise _SyntaxError(
                    f"Illegal unquoted character ({_char_description(char)}): has to be escaped using "
                    "backslash to be included in string value",
                    self.position,
                )
        raise _SyntaxError("Unexpected end-of-input: was expecting closing quote for a string value", self.position)

    def _number(self) -> None:
        start = self.position
        self._number_syntax()
        length = number_length(self.text[start : self.position])
        if length > MAX_NUMBER_LENGTH:
            raise _SyntaxError(number_length_message(length), self.position)

    def _number_syntax(self) -> None:
        text = self.text
        if text[self.position] == "-":
            self.position += 1
        digits_start = self.position
        while self.position < len(text) and text[self.position].isdigit():
            self.position += 1
        integer = text[digits_start : self.position]
        if not integer:
            raise _SyntaxError(
                "Unexpected character: expected digit (0-9) to follow minus sign, for valid numeric value",
                self.position + 1,
            )
        if len(integer) > 1 and integer[0] == "0":
            raise _SyntaxError("Invalid numeric value: Leading zeroes not allowed", digits_start + 1)
        if self.position < len(text) and text[self.position] == ".":
            self.position += 1
            fraction_start = self.position
            while self.position < len(text) and text[self.position].isdigit():
                self.position += 1
            if fraction_start == self.position:
                raise _SyntaxError("Unexpected character: Decimal point not followed by a digit", self.position + 1)
        if self.position < len(text) and text[self.position] in "eE":
            self.position += 1
            if self.position < len(text) and text[self.position] in "+-":
                self.position += 1
            exponent_start = self.position
            while self.position < len(text) and text[self.position].isdigit():
                self.position += 1
            if exponent_start == self.position:
                raise _SyntaxError(
                    "Unexpected character: Exponent indicator not followed by a digit", self.position + 1
                )


def number_length(literal: str) -> int:
    """How Jackson measures a number for :data:`MAX_NUMBER_LENGTH`: digits of an integer, all of a float."""
    if any(char in ".eE" for char in literal):
        return len(literal)
    return len(literal) - literal.startswith("-")


def _identifier_part(char: str) -> bool:
    return char.isalnum() or char in "_$"


class JsonDecodeError(Exception):
    """``decode_json_text`` refused the text: ``syntax`` is Jackson's error, or None when Jackson
    would accept the text but it is nested deeper than Python's recursion limit lets ``json`` decode."""

    def __init__(self, message: str, syntax: JsonSyntaxError | None) -> None:
        super().__init__(message)
        self.message = message
        self.syntax = syntax


def decode_json_text(text: str) -> Any:
    """Decode ``text`` into JSON values by Jackson's rules (no ``NaN``, the read constraints above).

    Raises :class:`JsonDecodeError`; never ``RecursionError`` or ``ValueError``.
    """
    if _MAYBE_LONG_NUMBER.search(text) is None:
        try:
            value = loads_json(text)
        except (ValueError, RecursionError):
            pass
        else:  # valid JSON; once the recursion limit is raised, ``json`` also decodes what is too deep
            if ensure_recursion_headroom(text) <= MAX_NESTING_DEPTH:
                return value
    syntax = jackson_syntax_error(text)
    if syntax is not None:
        raise JsonDecodeError(syntax.message, syntax)
    # Valid for Jackson: every number is short, so only the nesting could still stop ``json``.
    ensure_recursion_headroom(text)
    try:
        return loads_json(text)
    except (ValueError, RecursionError):  # pragma: no cover - the headroom covers every valid depth
        raise JsonDecodeError("The JSON text is nested deeper than Python can decode here", None) from None


def ensure_recursion_headroom(text: str) -> int:
    """Let Python recurse deep enough for the executor to work on the (valid) JSON ``text``.

    AWS accepts values nested up to :data:`MAX_NESTING_DEPTH` levels, but Python's default
    recursion limit (1000 frames) is used up by much less: the executor's recursive steps
    (copying, paths, ``json`` encoding) take a few frames per level. For text nested more than
    100 levels :func:`reserve_recursion_for_depth` raises the interpreter's limit. Returns
    :func:`json_text_depth` of ``text``.
    """
    depth = json_text_depth(text)
    reserve_recursion_for_depth(depth)
    return depth


def json_text_depth(text: str) -> int:
    """How deeply arrays/objects nest in valid JSON ``text``; exact above 100, and an upper bound
    (the number of ``[``/``{``) below."""
    opened = text.count("[") + text.count("{")
    if opened <= _SHALLOW:
        return opened
    depth = deepest = 0
    for piece in _STRUCTURE.findall(text):
        if piece in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif piece in "]}":
            depth -= 1
    return deepest


def reserve_recursion_for_depth(depth: int) -> None:
    """Raise (never lower) Python's recursion limit to 25 frames per level of a ``depth``-deep value.

    Only for depths over 100, capped at :data:`MAX_NESTING_DEPTH`. Python 3.11+ keeps Python
    frames off the C stack, and every value is bounded by the nesting limit, so the higher limit
    stays safe.
    """
    if depth > _SHALLOW:
        needed = _FRAMES_PER_LEVEL * min(depth, MAX_NESTING_DEPTH) + 1000
        if sys.getrecursionlimit() < needed:
            sys.setrecursionlimit(needed)


def value_depth(value: Any, *, limit: int = MAX_NESTING_DEPTH) -> int:
    """How deeply arrays/objects nest in the Python value ``value`` (``[]`` is 1), counted without
    recursion; the count stops at ``limit + 1``, so cyclic values end too."""
    deepest = 0
    reached: dict[int, int] = {}  # container id -> deepest level it was reached at (shared values)
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if reached.get(id(item), 0) >= depth:
            continue
        reached[id(item)] = depth
        deepest = max(deepest, depth)
        if depth > limit:
            return depth
        pending.extend((child, depth + 1) for child in children)
    return deepest


def may_exceed_limits(text: str) -> bool:
    """Whether ``text`` might hold a number longer than :data:`MAX_NUMBER_LENGTH` (a cheap search:
    False is certain, True only means "read it exactly")."""
    return _MAYBE_LONG_NUMBER.search(text) is not None


def may_exceed_double(text: str) -> bool:
    """Whether ``text`` might hold a number literal beyond the double range (False is certain)."""
    return _MAYBE_HUGE_FLOAT.search(text) is not None


def json_float(literal: str) -> float | str:
    """A JSON number literal with a fraction or exponent as Step Functions holds it.

    Jackson reads a literal beyond the double range (``1e400``) as infinity and writes infinity
    as the string ``"Infinity"`` (its default ``WRITE_NAN_AS_STRINGS``); JSON text cannot hold
    infinity, so the value is that string from the start.
    """
    value = float(literal)
    if math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    return value


def loads_json(text: str) -> Any:
    """``json.loads`` of text known to be valid by Jackson's rules, with :func:`json_float` for
    literals that could exceed the double range; ``ValueError``/``RecursionError`` as ``json``."""
    if _MAYBE_HUGE_FLOAT.search(text) is None:
        return json.loads(text, parse_constant=_reject_constant)
    return json.loads(text, parse_constant=_reject_constant, parse_float=json_float)


def _reject_constant(name: str) -> Any:
    raise ValueError(name)
