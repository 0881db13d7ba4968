"""The syntax tree of a compiled JSONPath: one node per path segment, plus filter expressions.

Nodes are frozen dataclasses so a compiled path can be shared freely between executions.
``render`` gives each segment's normalized (Jayway) spelling, which AWS quotes in its
``No results for path: $['a'][0]`` causes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

__all__ = [
    "And",
    "Comparison",
    "Exists",
    "FilterExpr",
    "FilterSegment",
    "Indexes",
    "Literal",
    "Names",
    "Not",
    "Or",
    "Operand",
    "RecursiveDescent",
    "RelativePath",
    "Segment",
    "Slice",
    "Wildcard",
]


@dataclass(frozen=True, slots=True)
class Names:
    """``.name``, ``['name']`` or the union ``['a','b']``."""

    keys: tuple[str, ...]

    def render(self) -> str:
        """Jayway's normalized form: ``['a','b']``."""
        return "[" + ",".join(f"'{key}'" for key in self.keys) + "]"


@dataclass(frozen=True, slots=True)
class Indexes:
    """``[0]``, ``[-1]`` or the union ``[0,2]``."""

    indexes: tuple[int, ...]

    def render(self) -> str:
        """Jayway's normalized form: ``[0,2]``."""
        return "[" + ",".join(str(index) for index in self.indexes) + "]"


@dataclass(frozen=True, slots=True)
class Slice:
    """``[start:stop:step]``; any part may be omitted."""

    start: int | None
    stop: int | None
    step: int | None

    def render(self) -> str:
        """Normalized form: ``[1:3]``."""
        start = "" if self.start is None else str(self.start)
        stop = "" if self.stop is None else str(self.stop)
        step = "" if self.step is None else f":{self.step}"
        return f"[{start}:{stop}{step}]"


@dataclass(frozen=True, slots=True)
class Wildcard:
    """``.*`` or ``[*]``: every member value of an object or element of an array."""

    def render(self) -> str:
        """Normalized form."""
        return "[*]"


@dataclass(frozen=True, slots=True)
class RecursiveDescent:
    """``..``: the current node and all its descendants, in document order."""

    def render(self) -> str:
        """Normalized form."""
        return ".."


@dataclass(frozen=True, slots=True)
class FilterSegment:
    """``[?(<expression>)]``."""

    expression: FilterExpr

    def render(self) -> str:
        """Jayway renders every filter as ``[?]``."""
        return "[?]"


Segment: TypeAlias = Names | Indexes | Slice | Wildcard | RecursiveDescent | FilterSegment


@dataclass(frozen=True, slots=True)
class RelativePath:
    """A path inside a filter: ``@.a`` (current node) or ``$.a`` (document root)."""

    from_root: bool
    segments: tuple[Segment, ...]
    is_definite: bool


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant operand inside a filter (number, string, boolean, null, array, object)."""

    value: Any


Operand: TypeAlias = RelativePath | Literal


@dataclass(frozen=True, slots=True)
class Exists:
    """``@.a`` alone in a filter: true when the path yields something."""

    path: RelativePath


@dataclass(frozen=True, slots=True)
class Comparison:
    """``left <op> right`` with a Jayway relational operator."""

    left: Operand
    operator: str
    right: Operand


@dataclass(frozen=True, slots=True)
class Not:
    """``!expr``."""

    operand: FilterExpr


@dataclass(frozen=True, slots=True)
class And:
    """``a && b && ...``."""

    operands: tuple[FilterExpr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """``a || b || ...``."""

    operands: tuple[FilterExpr, ...]


FilterExpr: TypeAlias = Exists | Comparison | Not | And | Or | Literal
