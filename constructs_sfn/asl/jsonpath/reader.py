"""A cursor over JSONPath text and the syntax error it raises, shared by the path and literal parsers."""

from __future__ import annotations

__all__ = ["PathSyntaxError", "Reader"]


class PathSyntaxError(Exception):
    """A syntax problem at a character position (turned into a DefinitionError by the parser)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class Reader:
    """A cursor over the path text."""

    def __init__(self, text: str, position: int = 0, end: int | None = None) -> None:
        self.text = text
        self.pos = position
        self.end = len(text) if end is None else end

    def at_end(self) -> bool:
        """Whether the cursor has passed the last character."""
        return self.pos >= self.end

    def peek(self, offset: int = 0) -> str:
        """The character ``offset`` places ahead, or ``""`` past the end."""
        index = self.pos + offset
        return self.text[index] if index < self.end else ""

    def startswith(self, prefix: str) -> bool:
        """Whether the text continues with ``prefix``."""
        return self.text.startswith(prefix, self.pos, self.end)

    def skip_spaces(self) -> None:
        """Move past blank characters."""
        while self.pos < self.end and self.text[self.pos].isspace():
            self.pos += 1

    def expect(self, char: str) -> None:
        """Consume ``char`` or raise PathSyntaxError."""
        if self.peek() != char:
            found = repr(self.peek()) if not self.at_end() else "end of path"
            raise PathSyntaxError(f"expected {char!r} but found {found}", self.pos)
        self.pos += 1

    def fail(self, message: str) -> PathSyntaxError:
        """A PathSyntaxError at the cursor (for ``raise reader.fail(...)``)."""
        return PathSyntaxError(message, self.pos)
