"""The definition-time checks AWS applies to every JSONata expression's references.

A Step Functions expression is evaluated with no context item: the input is ``$states.input``.
A path that starts with a bare field name (``phone``, ``a.b``) would read a context that does not
exist, and AWS refuses the definition with ``UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone'
at the top level is not supported.``; ``$$`` is refused wherever it appears. Names inside a
predicate, a later path step, an order-by, a transform or a function body are relative to a value
the expression produced, and are fine (the parser's own check reads them the same way).
"""

from __future__ import annotations

from typing import Any

from jsonata.parser import Parser

__all__ = ["unsupported_references"]

# Children evaluated against the value their node produced, not against the top-level context.
_RELATIVE_CHILDREN = ("predicate", "stages", "group", "terms", "pattern", "update", "delete", "body")
# Children evaluated in the same context as their node.
_INHERITING_CHILDREN = (
    "expression",
    "procedure",
    "arguments",
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


def unsupported_references(ast: Any) -> list[str]:
    """AWS's message for each distinct reference ``ast`` may not make, in order of appearance."""
    found: list[str] = []
    _visit(ast, top=True, found=found, depth=0)
    return found


def _note(found: list[str], message: str) -> None:
    if message not in found:
        found.append(message)


def _visit(node: Any, *, top: bool, found: list[str], depth: int) -> None:
    if isinstance(node, (list, tuple)):
        for item in node:
            _visit(item, top=top, found=found, depth=depth)
        return
    if not isinstance(node, Parser.Symbol) or depth > 10_000:
        return
    attributes = vars(node)
    if node.type == "name" and top:
        _note(found, f"Reference to '{node.value}' at the top level is not supported.")
    elif node.type == "variable" and node.value == "$":
        _note(found, "Reference to '$$' is not supported.")
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
