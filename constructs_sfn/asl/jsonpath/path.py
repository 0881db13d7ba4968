"""Compiled JSONPath expressions: ``compile_path`` once at parse time, ``Path.find`` per use.

Paths made only of plain names and single indexes (``$.a.b[0]``, the vast majority) are
evaluated by a tight loop over a precomputed tuple of keys; everything else goes through the
Jayway-compatible walker in :mod:`constructs_sfn.asl.jsonpath.evaluate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath.evaluate import PathNotFound, SegmentWalker
from constructs_sfn.asl.jsonpath.nodes import FunctionCall, Indexes, Names, Segment
from constructs_sfn.asl.jsonpath.parser import parse_path

__all__ = ["Path", "PathNotFound", "compile_path", "compile_reference_path"]

_ROOT_INPUT = "input"
_ROOT_CONTEXT = "context"
_ROOT_VARIABLE = "variable"


class _MissError(Exception):
    """Internal: the fast path could not follow a step; the walker then explains why."""


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


class Path:
    """A compiled JSONPath.

    Attributes: ``text`` (as written), ``root_kind`` (``"input"``, ``"context"`` or
    ``"variable"``), ``variable_name`` (for ``$name...`` paths), ``segments`` (the syntax tree)
    and ``is_definite`` (the path selects at most one node: a "Reference Path").
    """

    __slots__ = ("_steps", "_walker", "is_definite", "root_kind", "segments", "text", "variable_name")

    def __init__(
        self, text: str, root_kind: str, variable_name: str | None, segments: tuple[Segment, ...]
    ) -> None:
        self.text = text
        self.root_kind = root_kind
        self.variable_name = variable_name
        self.segments = segments
        self._walker = SegmentWalker(segments)
        self.is_definite: bool = self._walker.is_definite
        self._steps = _simple_steps(segments)

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

    def find(self, input: Any, context: Any = None, variables: Mapping[str, Any] | None = None) -> Any:
        """Evaluate the path.

        A definite path returns the selected value or raises :class:`PathNotFound` (with
        Jayway's message, e.g. ``No results for path: $['a']``); an indefinite path returns the
        list of all matches, possibly empty.
        """
        if self.root_kind == _ROOT_INPUT:
            node = input
        else:
            node = self.root_value(input, context, variables)
        steps = self._steps
        if steps is not None:
            try:
                for step in steps:
                    if step.__class__ is int and not isinstance(node, list):
                        raise _MissError
                    node = node[step]
            except (_MissError, LookupError, TypeError):
                return self._find_slow(self.root_value(input, context, variables))
            return node
        return self._find_slow(node)

    def find_all(
        self, input: Any, context: Any = None, variables: Mapping[str, Any] | None = None
    ) -> list[Any]:
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


def compile_path(text: str, *, location: str = "") -> Path:
    """Compile a JSONPath (``$...``, ``$$...`` or ``$var...``); raise DefinitionError if malformed."""
    if not isinstance(text, str):
        raise DefinitionError(f"a JSONPath must be a string, not {type(text).__name__}", location=location)
    parsed = parse_path(text, location=location)
    return Path(text, parsed.root_kind, parsed.variable_name, parsed.segments)


def compile_reference_path(text: str, *, location: str = "") -> Path:
    """Compile a Reference Path: a definite path without wildcards, filters, slices, unions,
    ``..`` or functions such as ``length()``."""
    path = compile_path(text, location=location)
    if not path.is_definite or any(isinstance(segment, FunctionCall) for segment in path.segments):
        raise DefinitionError(
            f"The value {text!r} is not a valid Reference Path: it must select a single node",
            location=location,
        )
    return path
