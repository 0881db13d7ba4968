"""JSON text the way AWS Step Functions writes it (history ``input``/``output``, causes, ...).

AWS writes compact JSON (no spaces after ``,`` or ``:``), keeps object key order and writes
non-ASCII characters as themselves (UTF-8), not as ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Final

__all__ = ["json_type_name", "to_json_text"]

# One pre-configured encoder: json.dumps would rebuild it on every call with non-default options.
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# JSONEncoder.encode builds a C encoder on every call; the executor encodes every payload of every
# state, so one is built here, once (a third of the cost of encoding a small payload). It checks no
# reference cycles: the values are JSON trees (a cycle would end in RecursionError, not a loop).
_C_ENCODER: Final = (
    c_make_encoder(None, _not_json, encode_basestring, None, ":", ",", False, False, False)
    if c_make_encoder is not None
    else None
)


def to_json_text(value: Any) -> str:
    """Render a JSON value as compact JSON text, exactly as AWS does in events and causes."""
    if _C_ENCODER is None:  # pragma: no cover - CPython always has the C accelerator
        return _ENCODER.encode(value)
    return "".join(_C_ENCODER(value, 0))


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
