"""JSON syntax errors worded as AWS words them (AWS decodes with Jackson).

``jackson_syntax_error(text)`` scans ``text`` and returns the first syntax error the way Jackson
reports it, or ``None`` when the text is one valid JSON value. Examples of AWS's texts::

    Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null',
    'true' or 'false')
    Unexpected character (''' (code 39)): was expecting double-quote to start field name

``ValidateStateMachineDefinition`` puts ``message`` plus ``\\n at [Source: ...]`` in the
diagnostic and the ``[Source: ...]`` part in its location; ``StartExecution`` wraps only the first
line in ``Invalid State Machine Execution Input: '...'``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JsonSyntaxError", "jackson_syntax_error"]

_VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_KEYWORD_LIST = "('true', 'false' or 'null')"
_SNIPPET_LIMIT = 500
_WHITESPACE = " \t\r\n"
_ESCAPES = frozenset('"\\/bfnrtu')


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


def jackson_syntax_error(text: str) -> JsonSyntaxError | None:
    """The first syntax error of ``text`` in Jackson's words, or ``None`` if it is valid JSON."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except _SyntaxError as failure:
        line, column = _line_column(text, failure.position)
        return JsonSyntaxError(failure.message, line, column, text)
    except RecursionError:
        line, column = _line_column(text, scanner.position)
        return JsonSyntaxError("Document nesting depth exceeds the maximum allowed", line, column, text)
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
    __slots__ = ("position", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

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
        char = self._next_significant()
        if char is None:
            raise _SyntaxError("Unexpected end-of-input: expected a value", self.position)
        if char == "{":
            self._object()
        elif char == "[":
            self._array()
        elif char == '"':
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

    def _object(self) -> None:
        start = self.position
        self.position += 1
        char = self._next_significant()
        if char == "}":
            self.position += 1
            return
        while True:
            if char is None:
                raise self._eof_in("Object", start)
            if char != '"':
                raise self._unexpected(char, "was expecting double-quote to start field name")
            self._string()
            char = self._next_significant()
            if char is None:
                raise self._eof_in("Object", start)
            if char != ":":
                raise self._unexpected(char, "was expecting a colon to separate field name and value")
            self.position += 1
            self._value()
            char = self._next_significant()
            if char == "}":
                self.position += 1
                return
            if char is None:
                raise self._eof_in("Object", start)
            if char != ",":
                raise self._unexpected(char, "was expecting comma to separate Object entries")
            self.position += 1
            char = self._next_significant()

    def _array(self) -> None:
        start = self.position
        self.position += 1
        char = self._next_significant()
        if char == "]":
            self.position += 1
            return
        while True:
            if char is None:
                raise self._eof_in("Array", start)
            self._value()
            char = self._next_significant()
            if char == "]":
                self.position += 1
                return
            if char is None:
                raise self._eof_in("Array", start)
            if char != ",":
                raise self._unexpected(char, "was expecting comma to separate Array entries")
            self.position += 1
            char = self._next_significant()

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


def _identifier_part(char: str) -> bool:
    return char.isalnum() or char in "_$"
