"""JSON text the way AWS Step Functions writes it (history ``input``/``output``, causes, ...).

AWS writes compact JSON (no spaces after ``,`` or ``:``), keeps object key order and writes
non-ASCII characters as themselves (UTF-8), not as ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import json
from typing import Any, Final

__all__ = ["json_type_name", "to_json_text"]

# One pre-configured encoder: json.dumps would rebuild it on every call with non-default options.
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def to_json_text(value: Any) -> str:
    """Render a JSON value as compact JSON text, exactly as AWS does in events and causes."""
    return _ENCODER.encode(value)


def json_type_name(value: Any) -> str:
    """The JSON type AWS names in causes: null, boolean, number, string, array or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list | tuple) else "object"
