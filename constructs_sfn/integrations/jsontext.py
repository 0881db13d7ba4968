"""JSON text the way Step Functions writes it: compact, UTF-8, no added whitespace.

AWS serializes ``Cause`` payloads, message bodies and execution inputs with a Java JSON writer
that emits no spaces (``{"errorMessage":"...","errorType":"..."}``); the corpus confirms it
(the ETag of an S3 object written from ``{"Dict": "Value"}`` is the MD5 of ``{"Dict":"Value"}``).
"""

from __future__ import annotations

import json
from typing import Any

from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text

__all__ = ["compact_json", "json_text_or_value", "to_json_value"]


def compact_json(value: Any) -> str:
    """Serialize ``value`` as compact JSON text, keeping non-ASCII characters as they are."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def to_json_value(value: Any) -> Any:
    """A fresh JSON value equal to ``value`` once serialized (tuples become lists, and so on).

    Raises ``TypeError``/``ValueError`` when ``value`` is not JSON serializable (a value nested too
    deeply for Python to write included); callers turn that into the error the service reports.
    """
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except RecursionError as error:
        raise ValueError("the value is nested too deeply to be written as JSON") from error


def json_text_or_value(text: str) -> Any:
    """Parse ``text`` as JSON by Jackson's rules (``decode_json_text``: at most 1000 levels and
    1000-character numbers, no ``NaN``, ``1e400`` as ``"Infinity"``), or return it unchanged when
    it is not JSON by those rules (a Lambda's raw output)."""
    try:
        return decode_json_text(text)
    except JsonDecodeError:
        return text
