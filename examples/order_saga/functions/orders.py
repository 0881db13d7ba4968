"""Lambda handlers of the order saga: reserve stock, charge the card, ship; and their undo actions.

They stand in for real inventory, payment and carrier services, with the same contract: every
call carries an ``idempotencyKey`` derived from the execution name, and the ids they hand back are
derived from it, so a retried call returns the same reservation, charge or parcel instead of a
second one. Business failures raise their own exception; Step Functions sees its class name as
the error (``OutOfStockError``, ``PaymentDeclinedError``, ``ShippingUnavailableError``).
"""

from __future__ import annotations

from typing import Any

#: Units in stock per SKU.
STOCK = {"book": 10, "lamp": 2, "desk": 1}
#: The largest amount the card provider accepts in one charge.
CHARGE_LIMIT = 1000
#: Countries the carrier delivers to.
SHIPPING_COUNTRIES = frozenset({"DE", "FR", "NL", "US"})


class OutOfStockError(Exception):
    """A SKU has fewer units in stock than ordered."""


class PaymentDeclinedError(Exception):
    """The card provider refused the charge."""


class ShippingUnavailableError(Exception):
    """The carrier does not deliver to the address."""


def reserve_inventory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Reserve every item of the order, or none: raise OutOfStockError."""
    items = event["input"]["items"]
    for item in items:
        if item["quantity"] > STOCK.get(item["sku"], 0):
            raise OutOfStockError(f"{item['sku']}: {item['quantity']} ordered, {STOCK.get(item['sku'], 0)} in stock")
    return {"reservationId": f"res-{event['idempotencyKey']}", "items": items}


def release_inventory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Release the reservation made by reserve_inventory (compensation)."""
    reservation = event["results"]["ReserveInventory"]["reservationId"]
    return {"released": reservation, "reason": event["failedStep"]}


def charge_payment(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Charge the order's amount, or raise PaymentDeclinedError."""
    amount = event["input"]["amount"]
    if amount > CHARGE_LIMIT:
        raise PaymentDeclinedError(f"amount {amount} exceeds the card limit of {CHARGE_LIMIT}")
    return {"chargeId": f"ch-{event['idempotencyKey']}", "amount": amount}


def refund_payment(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Refund the charge made by charge_payment (compensation)."""
    charge = event["results"]["ChargePayment"]
    return {"refundId": f"rf-{event['idempotencyKey']}", "chargeId": charge["chargeId"], "amount": charge["amount"]}


def ship_order(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Hand the parcel to the carrier, or raise ShippingUnavailableError."""
    country = event["input"]["address"]["country"]
    if country not in SHIPPING_COUNTRIES:
        raise ShippingUnavailableError(f"no delivery to {country}")
    return {"trackingNumber": f"trk-{event['idempotencyKey']}"}
