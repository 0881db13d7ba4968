"""Recording cdk-nag acknowledgements (suppressions) with their written reasons.

cdk-nag 3 is a CDK policy-validation plugin: it reads acknowledgements that CDK core's
``Validations.of(scope).acknowledge`` records in construct metadata, so the constructs need no
import of cdk-nag at run time. A granular finding is acknowledged as ``RuleId[Finding]``
(``AwsSolutions-IAM5[Resource::*]``), which silences that one finding and nothing else.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

from constructs_sfn.cdk.errors import ConstructPropsError

__all__ = ["MIN_REASON_LENGTH", "acknowledge_rule", "reason_problem"]

#: cdk-nag's own floor for a suppression reason; shorter reasons are not explanations.
MIN_REASON_LENGTH = 10


def reason_problem(rule_id: str, reason: object) -> str | None:
    """What is wrong with ``reason`` as the justification for acknowledging ``rule_id``, or None."""
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_LENGTH:
        return (
            f"acknowledging {rule_id} needs a written reason of at least {MIN_REASON_LENGTH} characters, got {reason!r}"
        )
    return None


def acknowledge_rule(scope: IConstruct, rule_id: str, reason: str, *, finding: str | None = None) -> None:
    """Acknowledge ``rule_id`` (optionally one ``finding`` of it) on ``scope`` and its children.

    ``reason`` is the written justification auditors will read; it must say why the finding is
    acceptable, so a blank or token-sized reason is refused with :class:`ConstructPropsError`.
    """
    problem = reason_problem(rule_id, reason)
    if problem is not None:
        raise ConstructPropsError(scope.node.path, "reason", problem)
    qualified = f"{rule_id}[{finding}]" if finding else rule_id
    Validations.of(scope).acknowledge(Acknowledgment(id=qualified, reason=reason.strip()))
