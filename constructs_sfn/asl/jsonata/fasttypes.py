"""The shapes the direct evaluator compiles JSONata nodes into (see :mod:`.fastpath`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Call", "Node", "Scope", "Step"]

Scope = tuple[Mapping[str, Any], Mapping[str, Any], dict[str, Any]]
"""What names resolve to: ``($states, workflow variables, parameters of the functions being
applied)``. A tuple, not an object: one is made per evaluation and per function application."""

Node = Callable[[Any, Scope], Any]
"""A compiled node: (context value, scope) -> the engine's value for that node."""

Call = Callable[[Any, Scope, Any], Any]
"""A compiled call: (context value, scope, the context the signature may substitute) -> raw result."""

Step = tuple[Node, tuple[Callable[[Any, Scope], Any], ...], str | None]
"""A path step: its evaluation, its stages, and its key when it is a field name (read inline)."""
