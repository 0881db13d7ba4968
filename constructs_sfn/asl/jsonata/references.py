"""The definition-time check AWS applies to every JSONata expression: no top-level field names.

A Step Functions expression is evaluated with no context item: the input is ``$states.input``.
A path that starts with a bare field name (``phone``, ``a.b``) would read a context that does not
exist, and AWS refuses the definition with ``UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone'
at the top level is not supported.``. Names inside a predicate, a later path step, an order-by or
a transform are relative to a value the expression produced, and are fine.
"""

from __future__ import annotations

from typing import Any

from jsonata.parser import Parser

__all__ = ["top_level_references"]

# Children evaluated against the value their node produced, not against the top-level context.
_RELATIVE_CHILDREN = ("predicate", "stages", "group", "terms", "pattern", "update", "delete")
# Children evaluated in the same context as their node.
_INHERITING_CHILDREN = (
    "expression",
    "procedure",
    "arguments",
    "body",
    "expr",
    "lhs",
    "rhs",
    "lhs_object",
    "rhs_object",
    "rhs_terms",
    "condition",
    "then",
    "_else",
    "expressions",
)


def top_level_references(ast: Any) -> list[str]:
    """The distinct field names read at the top level of ``ast``, in order of appearance."""
    found: list[str] = []
    _visit(ast, top=True, found=found, depth=0)
    return found


def _visit(node: Any, *, top: bool, found: list[str], depth: int) -> None:
    if isinstance(node, (list, tuple)):
        for item in node:
            _visit(item, top=top, found=found, depth=depth)
        return
    if not isinstance(node, Parser.Symbol) or depth > 10_000:
        return
    attributes = vars(node)
    if node.type == "name" and top:
        name = str(node.value)
        if name not in found:
            found.append(name)
    steps = attributes.get("steps")
    if node.type == "path" and steps:
        for index, step in enumerate(steps):
            _visit(step, top=top and index == 0, found=found, depth=depth + 1)
    for key in _INHERITING_CHILDREN:
        child = attributes.get(key)
        if child is not None:
            _visit(child, top=top, found=found, depth=depth + 1)
    for key in _RELATIVE_CHILDREN:
        child = attributes.get(key)
        if child is not None:
            _visit(child, top=False, found=found, depth=depth + 1)
