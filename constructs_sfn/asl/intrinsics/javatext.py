"""How AWS turns a JSON value into text inside ``States.Format``: Java's ``toString``.

Objects print as ``{key=value, key2=value2}``, arrays as ``[a, b]``, strings without quotes,
``null`` as ``null`` and doubles as Java's ``Double.toString`` does (``1.0E10``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["java_double_text", "java_text"]


def java_text(value: Any) -> str:
    """``String.valueOf`` of the Java object AWS holds for this JSON value."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double_text(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    return "[" + ", ".join(java_text(item) for item in value) + "]"


def java_double_text(value: float) -> str:
    """``Double.toString``: plain notation in [1e-3, 1e7), otherwise ``d.dddE<n>``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        # Python's repr uses plain notation throughout this range, with the same shortest digits.
        return repr(value)
    # repr gives the shortest round-tripping digits; re-spell them in Java's scientific form.
    sign, digits, exponent = Decimal(repr(magnitude)).as_tuple()
    del sign
    text = "".join(str(digit) for digit in digits).rstrip("0") or "0"
    scientific_exponent = int(exponent) + len(digits) - 1
    fraction = text[1:] or "0"
    prefix = "-" if value < 0 else ""
    return f"{prefix}{text[0]}.{fraction}E{scientific_exponent}"
