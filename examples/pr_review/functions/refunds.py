"""The Lambda handlers of the refund workflow; the tests bind them to the functions' constructs.

Every id a handler returns is derived from the refund id, so a retried or repeated call gives the
same hold, credit or payout back instead of a second one.
"""

from __future__ import annotations

from typing import Any

REVIEW_LIMIT = 2000
"""A reviewer approves refunds up to this amount."""


class PayoutRejectedError(Exception):
    """The customer's account cannot receive the payout."""


def review_refund(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A person's decision, played by a rule: refunds up to REVIEW_LIMIT are approved."""
    return {"approved": event["amount"] <= REVIEW_LIMIT, "by": "finance-review"}


def hold_funds(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Hold the refund amount on the merchant balance."""
    return {"holdId": f"hold-{event['refundId']}", "amount": event["amount"]}


def credit_ledger(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Credit the customer's ledger with the refund."""
    return {"entryId": f"credit-{event['refundId']}"}


def send_payout(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Send the money; a closed account refuses it."""
    if event["account"].startswith("closed-"):
        raise PayoutRejectedError(f"account {event['account']} is closed")
    return {"payoutId": f"payout-{event['refundId']}"}


def reverse_credit(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Undo credit_ledger."""
    return {"reversed": event["credit"]["entryId"]}


def release_funds(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Undo hold_funds."""
    return {"released": event["hold"]["holdId"]}
