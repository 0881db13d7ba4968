"""JSON values the way AWS's JSONata writes them.

AWS evaluates JSONata on a JavaScript-number model: an integral number prints without a fraction
(``3``, never ``3.0``), a large one switches to exponent notation only from ``1e21``, and a number
JSON cannot hold (``1/0``) reaches the output as the string JavaScript names it by. This module
owns those rules, the engine-to-plain-JSON conversion of results, and the compact JSON text AWS
quotes in its error messages.
"""

from __future__ import annotations

import math
from typing import Any

from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.utils import Utils

__all__ = [
    "UnsupportedResult",
    "format_js_number",
    "format_string_function_number",
    "js_type_name",
    "to_json_text",
    "to_plain_json",
]

# JavaScript prints every integral double below this bound in full and switches to exponent
# notation from it on; the same bound decides when an integral float may become a Python int.
_JS_EXPONENT_BOUND = 1e21
_NULL = Utils.NULL_VALUE
_NON_FINITE_NAMES = {math.inf: "Infinity", -math.inf: "-Infinity"}
# Values that are plain JSON as they are (``bool`` is listed apart from ``int`` on purpose: exact types).
_PLAIN_SCALARS = frozenset((str, bool, int, type(None)))


class UnsupportedResult(Exception):  # noqa: N818 - a signal between modules, not a domain error
    """The engine produced a value JSON cannot represent (a function, a regex)."""


def format_js_number(value: float | int) -> str:
    """``Number.prototype.toString`` for a finite number: shortest digits, JS exponent rules."""
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) < _JS_EXPONENT_BOUND:
            return str(value)
        value = float(value)
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    text = repr(abs(value))
    mantissa, _, exponent_text = text.partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    integer_part, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    digits = integer_part + fraction
    point = len(integer_part) + exponent
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    count = len(digits)
    if count <= point <= 21:
        return sign + digits + "0" * (point - count)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * (-point) + digits
    shown = point - 1
    exponent_sign = "+" if shown >= 0 else "-"
    head = digits if count == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{head}e{exponent_sign}{abs(shown)}"


def format_string_function_number(value: float | int) -> str:
    """How ``$string`` and ``&`` write a number: a fraction keeps 15 significant digits."""
    if isinstance(value, float) and not value.is_integer():
        value = float(f"{value:.15g}")
    return format_js_number(value)


def js_type_name(value: Any) -> str:
    """The JSON type name AWS prints in ``Expected 'array', but was 'string'``."""
    if value is None or value is _NULL:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "function"


def _json_string(text: str) -> str:
    # JSON.stringify escapes only the quote, the backslash and control characters.
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif code < 0x20:
            out.append(_CONTROL_ESCAPES.get(char, f"\\u{code:04x}"))
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


_CONTROL_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def to_json_text(value: Any, *, number_format: Any = format_js_number) -> str:
    """Compact JSON text as JavaScript's ``JSON.stringify`` writes it (no spaces)."""
    if value is None or value is _NULL:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return "null"
        text: str = number_format(value)
        return text
    if isinstance(value, dict):
        parts = [
            _json_string(str(key)) + ":" + to_json_text(item, number_format=number_format)
            for key, item in value.items()
        ]
        return "{" + ",".join(parts) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(to_json_text(item, number_format=number_format) for item in value) + "]"
    return '""'


def to_plain_json(value: Any) -> Any:
    """Turn an engine result into plain JSON, sharing every subtree that needs no change.

    ``None`` inside a container is JSON null (the input's own nulls); the caller handles a top-level
    ``None`` (undefined) before calling. Raises :class:`UnsupportedResult` for functions.
    """
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return value
    if kind is dict:
        changed: dict[str, Any] | None = None
        for key, item in value.items():
            if type(item) in _PLAIN_SCALARS:
                continue
            plain = to_plain_json(item)
            if plain is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = plain
        return value if changed is None else changed
    if kind is list:
        # Shared as it is unless a member changes (the common case: the caller's own JSON).
        for index, item in enumerate(value):
            if type(item) in _PLAIN_SCALARS:
                continue
            plain = to_plain_json(item)
            if plain is not item:
                return [*value[:index], plain, *[to_plain_json(rest) for rest in value[index + 1 :]]]
        return value
    if value is _NULL:
        return None
    if kind is float:
        return _plain_float(value)
    if isinstance(value, list):
        return [to_plain_json(item) for item in value]
    if isinstance(value, (Jsonata.JFunction, Parser.Symbol)) or callable(value):
        raise UnsupportedResult
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _plain_float(float(value))
    if isinstance(value, dict):
        return {str(key): to_plain_json(item) for key, item in value.items()}
    raise UnsupportedResult


def _plain_float(value: float) -> Any:
    if not math.isfinite(value):
        return _NON_FINITE_NAMES.get(value, "NaN")
    if value.is_integer() and abs(value) < _JS_EXPONENT_BOUND:
        return int(value)
    return value
