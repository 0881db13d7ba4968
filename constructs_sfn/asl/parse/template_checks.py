"""Checks of the fields that carry data templates: payload templates, JSONata values and Assign.

* JSONPath payload templates (``Parameters``, ``ResultSelector``, ``ItemSelector``, ``Assign``):
  every key ending in ``.$`` must hold a path or an intrinsic call. AWS reports the key at the
  template's own field: ``The value for the field 'parsed.$' must be a valid JSONPath or a valid
  intrinsic function call at /States/S/Parameters``.
* JSONata values: every ``{% ... %}`` string must parse and may only read what AWS binds; these
  problems are located at the string itself (``/States/E/Output/v``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.parse.jsonata_syntax import expression_body, jsonata_expression_problem
from constructs_sfn.asl.parse.path_syntax import is_intrinsic_call, path_shape
from constructs_sfn.asl.parse.schema_context import JSONPATH, ProblemSink, at_field, at_index

__all__ = [
    "check_assign",
    "check_jsonata_value",
    "check_payload_template",
    "is_path_or_intrinsic",
    "path_or_intrinsic_message",
]

_MAX_DEPTH = 256
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_VARIABLE_NAME = 80


def is_path_or_intrinsic(text: Any) -> bool:
    """Whether ``text`` is what a ``.$`` key may hold."""
    if not isinstance(text, str):
        return False
    if text.startswith("$"):
        return path_shape(text) is not None
    return is_intrinsic_call(text)


def path_or_intrinsic_message(field: str, value: Any) -> str:
    """AWS's message for a bad ``.$`` value: a ``$...`` text can only have been meant as a path."""
    if isinstance(value, str) and value.startswith("$"):
        return f"The value for the field '{field}' must be a valid JSONPath"
    return f"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"


def check_payload_template(sink: ProblemSink, template: Any, location: str) -> None:
    """Check the ``.$`` keys of a JSONPath payload template (nested objects and arrays too)."""
    stack: list[tuple[Any, int]] = [(template, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and key.endswith(".$") and len(key) > 2:
                    if not is_path_or_intrinsic(item):
                        sink.error(path_or_intrinsic_message(key, item), location)
                    continue
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def check_jsonata_value(sink: ProblemSink, value: Any, location: str, *, error_output_available: bool = False) -> None:
    """Check every JSONata expression inside a JSONata-mode field value."""
    stack: list[tuple[Any, str, int]] = [(value, location, 0)]
    while stack:
        item, where, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return
        if isinstance(item, str):
            body = expression_body(item)
            if body is None:
                continue
            problem = jsonata_expression_problem(body, error_output_available=error_output_available)
            if problem is not None:
                sink.error(problem[1], where, code=problem[0])
        elif isinstance(item, Mapping):
            children = [(v, at_field(where, str(k)), depth + 1) for k, v in item.items()]
            stack.extend(reversed(children))
        elif isinstance(item, list):
            children = [(v, at_index(where, i), depth + 1) for i, v in enumerate(item)]
            stack.extend(reversed(children))


def check_assign(
    sink: ProblemSink,
    assign: Any,
    location: str,
    query_language: str,
    *,
    error_output_available: bool = False,
) -> None:
    """``Assign``: an object of variable names; its values follow the state's query language."""
    if not sink.expect_type(assign, "OBJECT", location):
        return
    for key in assign:
        name = key[:-2] if query_language == JSONPATH and key.endswith(".$") else key
        # Unverified wording: AWS documents the rules (an identifier, at most 80 characters, not
        # the reserved $states) but no example message was recorded.
        if _VARIABLE_NAME.fullmatch(name) is None or len(name) > _MAX_VARIABLE_NAME:
            sink.error(f"Invalid variable name '{name}'", location)
        elif name == "states":
            sink.error("The variable name 'states' is reserved", location)
    if query_language == JSONPATH:
        check_payload_template(sink, assign, location)
    else:
        check_jsonata_value(sink, assign, location, error_output_available=error_output_available)
