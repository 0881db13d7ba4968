"""Creation-time checks AWS applies to the JSONata expressions of a definition.

AWS parses every ``{% ... %}`` string when the state machine is created and refuses:

* an expression that does not parse: ``INVALID_JSONATA_EXPRESSION`` with the JSONata parser's
  message, its ``Sxxxx`` code stripped (``Expected "]", got ","``);
* a reference AWS never binds: ``UNSUPPORTED_JSONATA_EXPRESSION``, for ``$$``
  (``Reference to '$$' is not supported.``), a bare name read from the top-level context
  (``Reference to 'phone' at the top level is not supported.``) and ``$states.errorOutput`` outside
  a Catch (``Field '$states.errorOutput' does not exist.``).

The parser is jsonata-python's; its messages are re-rendered with JSONata's own templates, where a
``{{token}}`` is JSON-quoted, because that is the text AWS returns.
"""

from __future__ import annotations

import json
import re
from typing import Any

from constructs_sfn.asl.parse.schema_context import (
    INVALID_JSONATA_EXPRESSION,
    UNSUPPORTED_JSONATA_EXPRESSION,
)

__all__ = ["expression_body", "jsonata_expression_problem"]

_PLACEHOLDER = re.compile(r"\{\{\{?\w+\}?\}\}")
_STEP_CHILDREN = ("stages", "predicate", "group", "focus", "index", "tuple")


def expression_body(value: Any) -> str | None:
    """The expression inside a JSONata string ``{% ... %}``, or ``None`` for any other value."""
    if isinstance(value, str) and value.startswith("{%") and value.endswith("%}") and len(value) >= 4:
        return value[2:-2]
    return None


def jsonata_expression_problem(expression: str, *, error_output_available: bool) -> tuple[str, str] | None:
    """``(code, message)`` when AWS would refuse ``expression`` at creation, else ``None``."""
    try:
        from jsonata import parser as jsonata_parser
        from jsonata.jexception import JException
    except ImportError:  # pragma: no cover - jsonata-python is a dependency
        return None
    try:
        tree = jsonata_parser.Parser().parse(expression)
    except JException as error:
        return INVALID_JSONATA_EXPRESSION, _message(error)
    except (RecursionError, Exception):
        # An engine bug (or a pathological nesting) must not make us refuse a definition.
        return None
    try:
        return _unsupported_reference(tree, error_output_available=error_output_available)
    except RecursionError:
        return None


def _message(error: Any) -> str:
    from jsonata.jexception import JException

    template = JException.error_codes.get(getattr(error, "error", ""))
    if not isinstance(template, str):
        return str(error)
    arguments = iter((getattr(error, "current", None), getattr(error, "expected", None)))

    def fill(match: re.Match[str]) -> str:
        value = next(arguments, None)
        if match.group().startswith("{{{"):
            return str(value)
        return json.dumps(value, ensure_ascii=False)

    return _PLACEHOLDER.sub(fill, template)


def _unsupported_reference(tree: Any, *, error_output_available: bool) -> tuple[str, str] | None:
    """Walk the parse tree looking for the references AWS refuses."""
    stack: list[tuple[Any, bool]] = [(tree, True)]
    while stack:
        node, at_top = stack.pop()
        if node is None or not hasattr(node, "type"):
            continue
        kind = node.type
        if kind == "variable" and node.value == "$":
            return UNSUPPORTED_JSONATA_EXPRESSION, "Reference to '$$' is not supported."
        if kind == "path":
            problem = _path_problem(node, at_top, error_output_available=error_output_available)
            if problem is not None:
                return problem
        if kind == "name" and at_top:
            return _top_level(node.value)
        stack.extend(_children(node, at_top))
    return None


def _path_problem(node: Any, at_top: bool, *, error_output_available: bool) -> tuple[str, str] | None:
    steps = getattr(node, "steps", None) or []
    if not steps:
        return None
    first = steps[0]
    if at_top and getattr(first, "type", None) == "name":
        return _top_level(first.value)
    if (
        not error_output_available
        and getattr(first, "type", None) == "variable"
        and first.value == "states"
        and len(steps) > 1
        and getattr(steps[1], "type", None) == "name"
        and steps[1].value == "errorOutput"
    ):
        return UNSUPPORTED_JSONATA_EXPRESSION, "Field '$states.errorOutput' does not exist."
    return None


def _top_level(name: Any) -> tuple[str, str]:
    return (
        UNSUPPORTED_JSONATA_EXPRESSION,
        f"Reference to '{name}' at the top level is not supported.",
    )


def _children(node: Any, at_top: bool) -> list[tuple[Any, bool]]:
    """The sub-expressions of ``node`` and whether each is evaluated against the top context."""
    out: list[tuple[Any, bool]] = []
    kind = node.type
    if kind == "path":
        for position, step in enumerate(getattr(node, "steps", None) or []):
            # Only the first step reads the top context; later steps read the previous result.
            step_top = at_top and position == 0
            if getattr(step, "type", None) not in ("name", "variable"):
                out.append((step, step_top))
            out.extend(_relative_parts(step))
        return out
    if kind == "lambda":
        return [(getattr(node, "body", None), False)]
    for attribute in ("lhs", "rhs", "condition", "then", "_else", "procedure", "expression"):
        child = getattr(node, attribute, None)
        if child is not None and hasattr(child, "type"):
            out.append((child, at_top))
    for attribute in ("expressions", "arguments"):
        out.extend((child, at_top) for child in getattr(node, attribute, None) or [])
    for pair in getattr(node, "lhs_object", None) or []:
        if isinstance(pair, list | tuple):
            out.extend((part, at_top) for part in pair)
    out.extend(_relative_parts(node))
    return out


def _relative_parts(node: Any) -> list[tuple[Any, bool]]:
    """Predicates, grouping and focus bindings read the step's own context, never the top."""
    out: list[tuple[Any, bool]] = []
    for attribute in _STEP_CHILDREN:
        value = getattr(node, attribute, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, list | tuple):
                    out.extend((part, False) for part in item)
                else:
                    out.append((item, False))
        elif value is not None and hasattr(value, "type"):
            out.append((value, False))
    group = getattr(node, "group", None)
    if group is not None:
        for pair in getattr(group, "lhs_object", None) or []:
            if isinstance(pair, list | tuple):
                out.extend((part, False) for part in pair)
    return out
