"""The row transform the CSV job runs once per row: parse, validate, price.

A Distributed Map's CSV reader hands each row over as an object of strings keyed by the header
row, e.g. ``{"sku": "A-1", "quantity": "3", "unit_price": "2.50"}``. A row that cannot be priced
raises :class:`InvalidRowError`; the job tolerates a few of those before the Map Run fails.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["InvalidRowError", "handler"]


class InvalidRowError(Exception):
    """The row is missing a field or holds a value that is not a number."""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One priced line: ``{"sku", "quantity", "total"}`` (total as a string with two decimals)."""
    sku = (event.get("sku") or "").strip()
    if not sku:
        raise InvalidRowError(f"row without a sku: {event!r}")
    try:
        quantity = int(event.get("quantity", ""))
        unit_price = Decimal(event.get("unit_price", ""))
    except (ValueError, InvalidOperation) as bad:
        raise InvalidRowError(f"row {sku}: quantity and unit_price must be numbers") from bad
    if quantity < 0 or unit_price < 0:
        raise InvalidRowError(f"row {sku}: negative quantity or price")
    return {"sku": sku, "quantity": quantity, "total": str((unit_price * quantity).quantize(Decimal("0.01")))}
