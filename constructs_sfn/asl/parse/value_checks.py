"""Single-value checks shared by the state validators: paths, timestamps, numeric fields."""

from __future__ import annotations

import re
from typing import Any

from constructs_sfn.asl.parse.jsonata_syntax import expression_body
from constructs_sfn.asl.parse.path_syntax import path_shape
from constructs_sfn.asl.parse.schema_context import JSONATA, ProblemSink, is_integer
from constructs_sfn.asl.parse.template_checks import (
    check_jsonata_value,
    is_path_or_intrinsic,
    path_or_intrinsic_message,
)

__all__ = [
    "check_integer_field",
    "check_path",
    "check_path_or_intrinsic",
    "check_reference_path",
    "is_timestamp",
]

_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})")


def is_timestamp(text: Any) -> bool:
    """An RFC 3339 timestamp as ASL requires it in a definition.

    The ASL spec's profile: upper-case ``T``, seconds, an explicit ``Z`` or ``+hh:mm`` offset, ASCII
    digits. Its fields must also name a real instant (RFC 3339 section 5.7: month 01-12, a day the
    month has, hour 00-23 ...) that the runtime can read, so a definition never holds a timestamp
    its own Wait or Choice state would refuse.
    """
    if not isinstance(text, str) or _TIMESTAMP.fullmatch(text) is None:
        return False
    # Imported here: the runtime package imports the parser, so a module-level import would be circular.
    from constructs_sfn.asl.runtime.timestamps import parse_timestamp_ns

    return parse_timestamp_ns(text) is not None


def check_path(sink: ProblemSink, value: Any, location: str, field: str, *, nullable: bool = True) -> None:
    """``InputPath``/``OutputPath``-like fields: a path (``null`` allowed where it means "none")."""
    if value is None and nullable:
        return
    if not sink.expect_type(value, "STRING", location):
        return
    if path_shape(value) is None:
        sink.error(f"The value for the field '{field}' must be a valid JSONPath", location)


def check_reference_path(
    sink: ProblemSink,
    value: Any,
    location: str,
    field: str,
    *,
    nullable: bool = True,
    input_only: bool = False,
) -> None:
    """A Reference Path: a path selecting a single node (``ResultPath`` also refuses ``$$``)."""
    if value is None and nullable:
        return
    if not sink.expect_type(value, "STRING", location):
        return
    shape = path_shape(value)
    if shape is None or not shape.definite or (input_only and shape.root != "input"):
        sink.error(f"The value for the field '{field}' must be a valid ReferencePath", location)


def check_path_or_intrinsic(sink: ProblemSink, value: Any, location: str, field: str) -> None:
    """``ErrorPath``/``CausePath``: a reference path or an intrinsic function call."""
    if not sink.expect_type(value, "STRING", location):
        return
    if not is_path_or_intrinsic(value):
        sink.error(path_or_intrinsic_message(field, value), location)


def check_integer_field(
    sink: ProblemSink,
    value: Any,
    location: str,
    query_language: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> None:
    """An integer field; in JSONata a ``{% %}`` expression may stand in for the number."""
    if query_language == JSONATA and expression_body(value) is not None:
        check_jsonata_value(sink, value, location)
        return
    if not is_integer(value):
        sink.error("Expected value of type [INTEGER]", location)
        return
    sink.integer_in_range(value, location, minimum=minimum, maximum=maximum)
