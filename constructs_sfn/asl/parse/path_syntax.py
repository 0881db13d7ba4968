"""Syntax checks for JSONPath paths and intrinsic function calls, as AWS applies them at creation.

The answer must agree with the compilers the parser runs next, so both questions are put to the
expression engines (:mod:`constructs_sfn.asl.jsonpath`, :mod:`constructs_sfn.asl.intrinsics`):
what they refuse with a :class:`DefinitionError` is invalid. The recognisers below are the
fallback when an engine fails for any other reason (an engine bug must not refuse a definition).
Their grammar is the Jayway dialect AWS uses: ``$`` (input), ``$$`` (context object) or
``$name`` (a workflow variable) followed by ``.name``, ``..name``, ``.*``, ``[n]``, ``['a']``,
``[*]``, ``[a:b]``, ``[n,m]`` and ``[?(...)]`` steps; a bracket may also follow a single dot
(``$.abc.['def ghi']``, as AWS's pages write it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_sfn.asl.errors import DefinitionError

__all__ = [
    "INTRINSIC_FUNCTIONS",
    "PathShape",
    "is_intrinsic_call",
    "own_intrinsic_call",
    "own_path_shape",
    "path_shape",
]

INTRINSIC_FUNCTIONS = frozenset(
    {
        "States.Array",
        "States.ArrayContains",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayPartition",
        "States.ArrayRange",
        "States.ArrayUnique",
        "States.Base64Decode",
        "States.Base64Encode",
        "States.Format",
        "States.Hash",
        "States.JsonMerge",
        "States.JsonToString",
        "States.MathAdd",
        "States.MathRandom",
        "States.StringSplit",
        "States.StringToJson",
        "States.UUID",
    }
)

_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(r"-?\d+")
_SLICE = re.compile(r"(-?\d+)?:(-?\d+)?(:(-?\d+)?)?")
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_FUNCTION_NAME = re.compile(r"States\.[A-Za-z0-9]+")
_CALL_LIKE = re.compile(r"[^\W\d]\w*\(.*\)", re.DOTALL)
# Characters that end an unquoted property name in dot notation.
_NAME_STOP = frozenset(".[")


@dataclass(frozen=True, slots=True)
class PathShape:
    """What a syntactically valid path refers to."""

    root: str  # "input", "context" or "variable"
    definite: bool  # a Reference Path: selects at most one node


def path_shape(text: str) -> PathShape | None:
    """The shape of ``text`` as a path, or ``None`` when it is not a valid path.

    ``definite`` means the path is a valid Reference Path (it selects a single node).
    """
    from constructs_sfn.asl.jsonpath import compile_path, compile_reference_path

    try:
        path = compile_path(text)
    except DefinitionError:
        return None
    except Exception:  # an engine bug: answer with the recogniser
        return own_path_shape(text)
    try:
        compile_reference_path(text)
        definite = True
    except DefinitionError:
        definite = False
    except Exception:
        definite = path.is_definite
    return PathShape(root=path.root_kind, definite=definite)


def own_path_shape(text: str) -> PathShape | None:
    """The recogniser's answer for :func:`path_shape`, without the JSONPath engine."""
    if not text.startswith("$"):
        return None
    if text.startswith("$$"):
        root, position = "context", 2
    else:
        match = _VARIABLE_NAME.match(text, 1)
        if match is not None:
            root, position = "variable", match.end()
        else:
            root, position = "input", 1
    definite = _steps_definite(text, position)
    if definite is None:
        return None
    return PathShape(root=root, definite=definite)


def _steps_definite(text: str, position: int) -> bool | None:
    """Walk the steps after the root; ``None`` on a syntax error, else whether all are definite."""
    definite = True
    end = len(text)
    while position < end:
        char = text[position]
        if char == ".":
            if text.startswith("..", position):
                definite = False
                position += 2
                if position < end and text[position] == "[":
                    continue
            else:
                position += 1
                if position < end and text[position] == "[":
                    continue  # ``$.['a b']`` and ``$.[0]``: a bracket may follow a single dot
            start = position
            while position < end and text[position] not in _NAME_STOP:
                position += 1
            name = text[start:position]
            if not name or name.strip() != name or "]" in name:
                return None
            if name == "*" or _CALL_LIKE.fullmatch(name):
                definite = False  # ``.length()``: a property to the engine, never a Reference Path
        elif char == "[":
            close = _matching_bracket(text, position)
            if close is None:
                return None
            selector_definite = _bracket_definite(text[position + 1 : close])
            if selector_definite is None:
                return None
            definite = definite and selector_definite
            position = close + 1
        else:
            return None
    return definite


def _matching_bracket(text: str, start: int) -> int | None:
    """The index of the ``]`` closing the ``[`` at ``start``, skipping quoted text and nesting."""
    depth = 0
    quote = ""
    position = start
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return position if char == "]" else None
        position += 1
    return None


def _bracket_definite(selector: str) -> bool | None:
    body = selector.strip()
    if not body:
        return None
    if body == "*":
        return False
    if body.startswith("?(") and body.endswith(")"):
        return False
    if _INDEX.fullmatch(body):
        return True
    if _SLICE.fullmatch(body):
        return False
    parts = _split_union(body)
    if parts is None:
        return None
    if all(_INDEX.fullmatch(part) for part in parts):
        return len(parts) == 1
    if all(_quoted_name(part) for part in parts):
        return len(parts) == 1
    return None


def _split_union(body: str) -> list[str] | None:
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in body:
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current.append(char)
        elif char == ",":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if quote:
        return None
    parts.append("".join(current).strip())
    return parts if all(parts) else None


def _quoted_name(part: str) -> bool:
    return len(part) >= 2 and part[0] == part[-1] and part[0] in "'\""


def is_intrinsic_call(text: str) -> bool:
    """Whether ``text`` is a well-formed call of a known intrinsic function (arity included)."""
    from constructs_sfn.asl.intrinsics import compile_intrinsic

    try:
        compile_intrinsic(text)
    except DefinitionError:
        return False
    except Exception:  # an engine bug: answer with the recogniser
        return own_intrinsic_call(text)
    return True


def own_intrinsic_call(text: str) -> bool:
    """The recogniser's answer for :func:`is_intrinsic_call`, without the intrinsics engine."""
    return _IntrinsicParser(text).parse()


class _IntrinsicParser:
    """Recursive descent over ``States.F(arg, ...)``; arguments are literals, paths or calls."""

    __slots__ = ("position", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def parse(self) -> bool:
        self._skip_spaces()
        if not self._call(depth=0):
            return False
        self._skip_spaces()
        return self.position == len(self.text)

    def _skip_spaces(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\n\r":
            self.position += 1

    def _call(self, depth: int) -> bool:
        if depth > 32:
            return False
        match = _FUNCTION_NAME.match(self.text, self.position)
        if match is None or match.group() not in INTRINSIC_FUNCTIONS:
            return False
        self.position = match.end()
        if not self.text.startswith("(", self.position):
            return False
        self.position += 1
        self._skip_spaces()
        if self.text.startswith(")", self.position):
            self.position += 1
            return True
        while True:
            self._skip_spaces()
            if not self._argument(depth):
                return False
            self._skip_spaces()
            if self.text.startswith(",", self.position):
                self.position += 1
                continue
            if self.text.startswith(")", self.position):
                self.position += 1
                return True
            return False

    def _argument(self, depth: int) -> bool:
        text = self.text
        if self.position >= len(text):
            return False
        char = text[self.position]
        if char == "'":
            return self._string()
        if char == "$":
            return self._path()
        if text.startswith("States.", self.position):
            return self._call(depth + 1)
        for literal in ("true", "false", "null"):
            if text.startswith(literal, self.position):
                self.position += len(literal)
                return True
        match = _NUMBER.match(text, self.position)
        if match is not None:
            self.position = match.end()
            return True
        return False

    def _string(self) -> bool:
        # Inside an intrinsic string only \' \{ \} and \\ are escapes; anything else is refused.
        position = self.position + 1
        text = self.text
        while position < len(text):
            char = text[position]
            if char == "\\":
                if position + 1 >= len(text) or text[position + 1] not in "'{}\\":
                    return False
                position += 2
                continue
            if char == "'":
                self.position = position + 1
                return True
            position += 1
        return False

    def _path(self) -> bool:
        start = self.position
        depth = 0
        quote = ""
        position = start
        text = self.text
        while position < len(text):
            char = text[position]
            if quote:
                if char == quote:
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
            position += 1
        candidate = text[start:position].rstrip()
        if own_path_shape(candidate) is None:
            return False
        self.position = start + len(candidate)
        return True
