"""Compiled JSONPath expressions: ``compile_path`` once at parse time, ``Path.find`` per use.

Paths made only of plain names and single indexes (``$.a.b[0]``, the vast majority) are
evaluated by a tight loop over a precomputed tuple of keys; everything else goes through the
Jayway-compatible walker in :mod:`constructs_sfn.asl.jsonpath.evaluate`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath.evaluate import PathNotFound, SegmentWalker
from constructs_sfn.asl.jsonpath.nodes import Indexes, Names, Segment
from constructs_sfn.asl.jsonpath.parser import parse_path

__all__ = ["Finder", "Path", "PathNotFound", "compile_path", "compile_reference_path"]

_ROOT_INPUT = "input"
_ROOT_CONTEXT = "context"
_ROOT_VARIABLE = "variable"


def _simple_steps(segments: tuple[Segment, ...]) -> tuple[str | int, ...] | None:
    steps: list[str | int] = []
    for segment in segments:
        if isinstance(segment, Names) and len(segment.keys) == 1:
            steps.append(segment.keys[0])
        elif isinstance(segment, Indexes) and len(segment.indexes) == 1:
            steps.append(segment.indexes[0])
        else:
            return None
    return tuple(steps)


class Finder(Protocol):
    """The signature of :attr:`Path.find`."""

    def __call__(self, input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
        """Evaluate the path (see :class:`Path`)."""


class Path:
    """A compiled JSONPath.

    Attributes: ``text`` (as written), ``root_kind`` (``"input"``, ``"context"`` or
    ``"variable"``), ``variable_name`` (for ``$name...`` paths), ``segments`` (the syntax tree)
    ``is_definite`` (the path selects at most one node: a "Reference Path") and ``steps`` (the
    keys and indexes of a path made only of plain names and single indexes, else None).

    ``find(input, context=None, variables=None)`` evaluates the path: a definite path returns
    the selected value or raises :class:`PathNotFound` (with Jayway's message, e.g.
    ``No results for path: $['a']``); an indefinite path returns the list of all matches,
    possibly empty. It is a per-path specialised function (an attribute, not a method) so that
    ``$.a.b`` costs little more than two dictionary lookups.
    """

    __slots__ = ("_walker", "find", "is_definite", "root_kind", "segments", "steps", "text", "variable_name")

    find: Finder

    def __init__(self, text: str, root_kind: str, variable_name: str | None, segments: tuple[Segment, ...]) -> None:
        self.text = text
        self.root_kind = root_kind
        self.variable_name = variable_name
        self.segments = segments
        self._walker = SegmentWalker(segments)
        self.is_definite: bool = self._walker.is_definite
        self.steps = _simple_steps(segments)
        self.find = self._make_finder(self.steps)

    def __repr__(self) -> str:
        return f"Path({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @property
    def is_root(self) -> bool:
        """True for the bare root (``$``, ``$$`` or ``$var``): the path selects its whole document."""
        return not self.segments

    @property
    def normalized(self) -> str:
        """Jayway's normalized spelling (``$['a'][0]``), as AWS quotes it in causes."""
        return self._walker.rendered

    def root_value(self, input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
        """The document the path starts from; raises PathNotFound for an unassigned variable."""
        if self.root_kind == _ROOT_INPUT:
            return input
        if self.root_kind == _ROOT_CONTEXT:
            return context
        name = self.variable_name
        if name is None or variables is None or name not in variables:
            raise PathNotFound(f"The variable '{name}' is not defined", path_text=self.text)
        return variables[name]

    def find_all(self, input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> list[Any]:
        """Every selected node as a list, never raising for a miss (definite or not)."""
        root = self.root_value(input, context, variables)
        try:
            return self._walker.select(root, root)
        except PathNotFound:
            return []

    def _find_slow(self, root: Any) -> Any:
        try:
            if self.is_definite:
                return self._walker.select_one(root, root)
            return self._walker.select(root, root)
        except PathNotFound as missing:
            missing.path_text = self.text
            raise

    def _make_finder(self, steps: tuple[str | int, ...] | None) -> Finder:
        root_value = self.root_value
        slow = self._find_slow
        from_input = self.root_kind == _ROOT_INPUT
        from_context = self.root_kind == _ROOT_CONTEXT

        if steps is None:

            def find_general(input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
                return slow(input if from_input else root_value(input, context, variables))

            return find_general

        if not steps and from_input:

            def find_input(input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
                return input

            return find_input

        if from_input and len(steps) <= 2 and all(isinstance(step, str) for step in steps):
            # Subscripting a str, list, number or null with a str key raises TypeError and a
            # dict without the key raises KeyError: both fall back to the walker for the message.
            first = steps[0]
            if len(steps) == 1:

                def find_one(input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
                    try:
                        return input[first]
                    except (LookupError, TypeError):
                        return slow(input)

                return find_one
            second = steps[1]

            def find_two(input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
                try:
                    return input[first][second]
                except (LookupError, TypeError):
                    return slow(input)

            return find_two

        if not any(isinstance(step, int) for step in steps):

            def find_keys(input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
                if from_input:
                    root = input
                elif from_context:
                    root = context
                else:
                    root = root_value(input, context, variables)
                node = root
                try:
                    for step in steps:
                        node = node[step]
                except (LookupError, TypeError):
                    return slow(root)
                return node

            return find_keys

        checked = tuple((step, isinstance(step, int)) for step in steps)

        def find_steps(input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
            root = input if from_input else root_value(input, context, variables)
            node = root
            try:
                for step, is_index in checked:
                    # A str is subscriptable by an int, but a JSON index only applies to arrays.
                    if is_index and not isinstance(node, list):
                        return slow(root)
                    node = node[step]
            except (LookupError, TypeError):
                return slow(root)
            return node

        return find_steps


_CALL_SYNTAX = re.compile(r"[^\W\d]\w*\(.*\)", re.DOTALL)


def _has_call_syntax(path: Path) -> bool:
    # A dot name written like a call (``$.a.length()``) is only a property name to the engine, but a
    # Reference Path refuses it outright. The same name in brackets (``$['length()']``) is fine.
    return any(
        isinstance(segment, Names) and _CALL_SYNTAX.fullmatch(segment.keys[0]) and f".{segment.keys[0]}" in path.text
        for segment in path.segments
    )


def compile_path(text: str, *, location: str = "") -> Path:
    """Compile a JSONPath (``$...``, ``$$...`` or ``$var...``); raise DefinitionError if malformed."""
    if not isinstance(text, str):
        raise DefinitionError(f"a JSONPath must be a string, not {type(text).__name__}", location=location)
    parsed = parse_path(text, location=location)
    return Path(text, parsed.root_kind, parsed.variable_name, parsed.segments)


def compile_reference_path(text: str, *, location: str = "") -> Path:
    """Compile a Reference Path: a definite path without wildcards, filters, slices, unions, ``..``
    or a function call such as ``.length()`` ("Functions such as length() aren't supported")."""
    path = compile_path(text, location=location)
    if not path.is_definite or _has_call_syntax(path):
        raise DefinitionError(
            f"The value {text!r} is not a valid Reference Path: it must select a single node",
            location=location,
        )
    return path
