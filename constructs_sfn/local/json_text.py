"""Reading JSON text the way Step Functions' service (Java, Jackson) reads it.

Valid JSON is decoded with :func:`json.loads`. Anything else gets the message Jackson's parser
produces for it, because AWS echoes that message (``Invalid State Machine Execution Input:
'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null',
'true' or 'false')'``). Jackson's defaults also decide two corner cases: ``NaN``/``Infinity`` are
rejected, and text after the first complete value is ignored. Jackson's read constraints hold
too (:data:`~constructs_sfn.asl.parse.json_text.MAX_NESTING_DEPTH` levels,
:data:`~constructs_sfn.asl.parse.json_text.MAX_NUMBER_LENGTH` characters per number): deeper or
longer input fails with Jackson's message, never with Python's ``RecursionError`` or its
4,300-digit integer limit. The reader keeps its own stack of open containers.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from constructs_sfn.asl.jsonpath.jsontext import to_json_text
from constructs_sfn.asl.parse.json_text import (
    MAX_NESTING_DEPTH,
    MAX_NUMBER_LENGTH,
    ensure_recursion_headroom,
    json_float,
    loads_json,
    may_exceed_double,
    may_exceed_limits,
    nesting_depth_message,
    number_length,
    number_length_message,
)

__all__ = ["JsonSyntaxError", "held_json_text", "parse_json_text"]

_VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_MAX_TOKEN = 256
_MAX_SOURCE = 500


class JsonSyntaxError(Exception):
    """Text that is not JSON, with Jackson's message and where Jackson stopped (1-based)."""

    def __init__(self, message: str, text: str, line: int, column: int) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.text = text
        super().__init__(message)

    @property
    def location(self) -> str:
        """Jackson's location suffix: ``[Source: (String)"..."; line: 1, column: 4]``."""
        return _source_location(self.text, self.line, self.column)


def parse_json_text(text: str) -> Any:
    """Decode ``text`` as Jackson would; raise :class:`JsonSyntaxError` where Jackson fails.

    Empty (or all white space) text raises with message ``""``: callers word that case
    themselves (AWS says ``Invalid execution input.`` for an empty execution input).
    """
    value: Any
    if not may_exceed_limits(text):
        try:
            value = loads_json(text)
        except (ValueError, RecursionError):
            pass  # not JSON, or nested deeper than Python's recursion limit: the exact reader decides
        else:  # valid JSON; once the recursion limit is raised, ``json`` also decodes what is too deep
            if ensure_recursion_headroom(text) <= MAX_NESTING_DEPTH:
                return value
    value = _JacksonReader(text).read_root()
    ensure_recursion_headroom(text)
    return value


def held_json_text(text: str, value: Any) -> str:
    """``text`` (already read as ``value``) as the executor may pass it on: unchanged, unless a number
    in it is beyond the double range (``1e400``), which Python's ``json`` would turn into an
    infinity no JSON text can hold; then the compact text of ``value`` (``"Infinity"``)."""
    if not may_exceed_double(text):
        return text
    return to_json_text(value)


def _source_location(text: str, line: int, column: int) -> str:
    shown = text
    if len(text) > _MAX_SOURCE:
        shown = f'{text[:_MAX_SOURCE]}"[truncated {len(text) - _MAX_SOURCE} chars]'
        return f'[Source: (String)"{shown}; line: {line}, column: {column}]'
    return f'[Source: (String)"{shown}"; line: {line}, column: {column}]'


def _char_desc(char: str) -> str:
    code = ord(char)
    if unicodedata.category(char) == "Cc":
        return f"(CTRL-CHAR, code {code})"
    if code > 255:
        return f"'{char}' (code {code} / 0x{code:x})"
    return f"'{char}' (code {code})"


def _is_identifier_start(char: str) -> bool:
    return char.isalpha() or char in "$_" or unicodedata.category(char) in ("Sc", "Pc", "Nl")


def _is_identifier_part(char: str) -> bool:
    return (
        _is_identifier_start(char)
        or char.isdigit()
        or unicodedata.category(char) in ("Mn", "Mc", "Nd", "Cf")
        or ord(char) <= 0x08
        or 0x0E <= ord(char) <= 0x1B
        or 0x7F <= ord(char) <= 0x9F
    )


class _Container:
    __slots__ = ("key", "kind", "start", "value")

    def __init__(self, kind: str, start: int) -> None:
        self.kind = kind
        self.start = start  # where its bracket is; line and column are only worked out for a message
        self.key = ""
        self.value: Any = {} if kind == "Object" else []

    @property
    def closer(self) -> str:
        return "}" if self.kind == "Object" else "]"

    def add(self, item: Any) -> None:
        if self.kind == "Object":
            self.value[self.key] = item
        else:
            self.value.append(item)


class _JacksonReader:
    """A recursive-descent JSON reader that fails exactly where (and as) Jackson fails."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.stack: list[_Container] = []

    # -- positions and failures -------------------------------------------------------------
    def _line_column(self, pos: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, pos) + 1
        start = self.text.rfind("\n", 0, pos) + 1
        return line, pos - start + 1

    def _fail(self, message: str, pos: int | None = None) -> JsonSyntaxError:
        line, column = self._line_column(self.pos if pos is None else pos)
        return JsonSyntaxError(message, self.text, line, column)

    def _unexpected(self, char: str, comment: str) -> JsonSyntaxError:
        suffix = f": {comment}" if comment else ""
        return self._fail(f"Unexpected character ({_char_desc(char)}){suffix}", self.pos + 1)

    def _eof(self, detail: str) -> JsonSyntaxError:
        return self._fail(f"Unexpected end-of-input{detail}")

    def _container_desc(self) -> str:
        return "Array" if self.stack and self.stack[-1].kind == "Array" else "Object"

    def _start_marker(self) -> str:
        line, column = self._line_column(self.stack[-1].start)
        return _source_location(self.text, line, column)

    def _invalid_token(self, start: int) -> JsonSyntaxError:
        end = start
        while end < len(self.text) and _is_identifier_part(self.text[end]):
            end += 1
            if end - start >= _MAX_TOKEN:
                break
        token = self.text[start:end]
        if end - start >= _MAX_TOKEN and end < len(self.text):
            token += "..."
        self.pos = end
        return self._fail(f"Unrecognized token '{token}': was expecting {_VALUE_LIST}", end)

    # -- scanning -----------------------------------------------------------------------------
    def _skip_ws(self) -> str | None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1
        return text[self.pos] if self.pos < len(text) else None

    def read_root(self) -> Any:
        char = self._skip_ws()
        if char is None:
            raise self._fail("")
        value = self._value(char, root=True)
        is_number = char == "-" or "0" <= char <= "9"
        if is_number and self.pos < len(self.text) and self.text[self.pos] not in " \t\r\n":
            # Jackson wants white space after a root-level number; any later text is ignored.
            raise self._unexpected(self.text[self.pos], "Expected space separating root-level values")
        return value

    def _value(self, char: str, *, root: bool = False) -> Any:
        if char in "{[":
            return self._containers(char)
        return self._scalar(char, root=root)

    def _scalar(self, char: str, *, root: bool = False) -> Any:
        if char == '"':
            self.pos += 1
            return self._string("string value")
        if char == "-" or (char.isdigit() and char.isascii()):
            return self._number()
        for literal, value in (("true", True), ("false", False), ("null", None)):
            if char == literal[0]:
                return self._literal(literal, value)
        if char in "NI" or (char == "+" and self.text.startswith("+Infinity", self.pos)):
            for word in ("NaN", "Infinity", "+Infinity"):
                if self.text.startswith(word, self.pos):
                    self.pos += len(word)
                    raise self._fail(
                        f"Non-standard token '{word}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"
                    )
        if char in "]}" and root:
            expected = "}" if char == "]" else "]"
            raise self._fail(
                f"Unexpected close marker '{char}': expected '{expected}' (for root starting at "
                f"{_source_location(self.text, 1, 0)})",
                self.pos + 1,
            )
        if _is_identifier_start(char):
            raise self._invalid_token(self.pos)
        raise self._unexpected(char, f"expected a valid value {_VALUE_LIST}")

    def _literal(self, word: str, value: Any) -> Any:
        start = self.pos
        for offset, expected in enumerate(word):
            index = start + offset
            if index >= len(self.text) or self.text[index] != expected:
                raise self._invalid_token(start)
        self.pos = start + len(word)
        if self.pos < len(self.text) and _is_identifier_part(self.text[self.pos]):
            raise self._invalid_token(start)
        return value

    def _digits(self) -> int:
        start = self.pos
        while self.pos < len(self.text) and "0" <= self.text[self.pos] <= "9":
            self.pos += 1
        return self.pos - start

    def _number(self) -> Any:
        start = self.pos
        text = self.text
        if text[self.pos] == "-":
            self.pos += 1
            if self.pos >= len(text):
                raise self._eof(" in numeric value")
            if not "0" <= text[self.pos] <= "9":
                if text.startswith("Infinity", self.pos):
                    self.pos += len("Infinity")
                    raise self._fail(
                        "Non-standard token '-Infinity': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow"
                    )
                raise self._fail(
                    f"Unexpected character ({_char_desc(text[self.pos])}) in numeric value: "
                    "expected digit (0-9) to follow minus sign, for valid numeric value",
                    self.pos + 1,
                )
        integer_start = self.pos
        self._digits()
        if text[integer_start] == "0" and self.pos - integer_start > 1:
            raise self._fail("Invalid numeric value: Leading zeroes not allowed", integer_start + 2)
        is_float = False
        if self.pos < len(text) and text[self.pos] == ".":
            is_float = True
            self.pos += 1
            if self._digits() == 0:
                if self.pos >= len(text):
                    raise self._eof(" in numeric value")
                raise self._fail(
                    f"Unexpected character ({_char_desc(text[self.pos])}) in numeric value: "
                    "Decimal point not followed by a digit",
                    self.pos + 1,
                )
        if self.pos < len(text) and text[self.pos] in "eE":
            is_float = True
            self.pos += 1
            if self.pos < len(text) and text[self.pos] in "+-":
                self.pos += 1
            if self._digits() == 0:
                if self.pos >= len(text):
                    raise self._eof(" in numeric value")
                raise self._fail(
                    f"Unexpected character ({_char_desc(text[self.pos])}) in numeric value: "
                    "Exponent indicator not followed by a digit",
                    self.pos + 1,
                )
        literal = text[start : self.pos]
        length = number_length(literal)
        if length > MAX_NUMBER_LENGTH:
            raise self._fail(number_length_message(length))
        return json_float(literal) if is_float else int(literal)

    def _string(self, what: str) -> str:
        text = self.text
        out: list[str] = []
        while True:
            if self.pos >= len(text):
                raise self._eof(
                    " in field name" if what == "name" else ": was expecting closing quote for a string value"
                )
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(out)
            if char == "\\":
                out.append(self._escape())
                continue
            if ord(char) < 0x20:
                raise self._fail(
                    f"Illegal unquoted character ({_char_desc(char)}): has to be escaped using "
                    f"backslash to be included in {what}",
                    self.pos + 1,
                )
            out.append(char)
            self.pos += 1

    def _escape(self) -> str:
        text = self.text
        self.pos += 1
        if self.pos >= len(text):
            raise self._eof(" in character escape sequence")
        char = text[self.pos]
        self.pos += 1
        simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
        if char in simple:
            return simple[char]
        if char != "u":
            raise self._fail(f"Unrecognized character escape {_char_desc(char)}", self.pos)
        code = 0
        for _ in range(4):
            if self.pos >= len(text):
                raise self._eof(" in character escape sequence")
            digit = text[self.pos]
            self.pos += 1
            if digit not in "0123456789abcdefABCDEF":
                raise self._fail(
                    f"Unexpected character ({_char_desc(digit)}): expected a hex-digit for character escape sequence",
                    self.pos,
                )
            code = code * 16 + int(digit, 16)
        return chr(code)

    def _open(self, kind: str) -> _Container:
        if len(self.stack) >= MAX_NESTING_DEPTH:
            raise self._fail(nesting_depth_message(len(self.stack) + 1), self.pos + 1)
        container = _Container(kind, self.pos)
        self.stack.append(container)
        self.pos += 1
        return container

    def _close_or_fail(self, char: str | None, closer: str) -> bool:
        """Whether ``char`` closes the current container; fail on EOF or a mismatched closer."""
        if char is None:
            raise self._eof(
                f": expected close marker for {self._container_desc()} (start marker at {self._start_marker()})"
            )
        if char == closer:
            self.pos += 1
            self.stack.pop()
            return True
        if char in "]}":
            raise self._fail(
                f"Unexpected close marker '{char}': expected '{closer}' (for "
                f"{self._container_desc()} starting at {self._start_marker()})",
                self.pos + 1,
            )
        return False

    def _after_comma(self) -> str:
        self.pos += 1
        char = self._skip_ws()
        if char is None:
            raise self._eof(f" within/between {self._container_desc()} entries")
        return char

    def _containers(self, char: str) -> Any:
        """The array or object starting at ``char``, nested ones included, read without recursion."""
        while True:
            # ``char`` starts a value: open a container, or read a scalar into the innermost one.
            if char in "{[":
                container = self._open("Object" if char == "{" else "Array")
                after = self._skip_ws()
                if not self._close_or_fail(after, container.closer):
                    assert after is not None  # _close_or_fail raised at end of input
                    char = self._entry_start(container, after)
                    continue
                value = container.value
            else:
                value = self._scalar(char)
            # A value is complete: add it to its container, closing containers that end here.
            while True:
                if not self.stack:
                    return value
                container = self.stack[-1]
                container.add(value)
                after = self._skip_ws()
                if self._close_or_fail(after, container.closer):
                    value = container.value
                    continue
                if after != ",":
                    raise self._unexpected(str(after), f"was expecting comma to separate {container.kind} entries")
                char = self._entry_start(container, self._after_comma())
                break

    def _entry_start(self, container: _Container, char: str) -> str:
        """At an entry of ``container``: read an object's field name and colon; the value's first char."""
        if container.kind == "Array":
            return char
        if char != '"':
            raise self._unexpected(char, "was expecting double-quote to start field name")
        self.pos += 1
        container.key = self._string("name")
        after = self._skip_ws()
        if after is None:
            raise self._eof(" within/between Object entries")
        if after != ":":
            raise self._unexpected(after, "was expecting a colon to separate field name and value")
        return self._after_comma()
