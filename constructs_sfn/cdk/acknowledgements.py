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

__all__ = ["MIN_REASON_LENGTH", "acknowledge_rule"]

#: cdk-nag's own floor for a suppression reason; shorter reasons are not explanations.
MIN_REASON_LENGTH = 10


def acknowledge_rule(scope: IConstruct, rule_id: str, reason: str, *, finding: str | None = None) -> None:
    """Acknowledge ``rule_id`` (optionally one ``finding`` of it) on ``scope`` and its children.

    ``reason`` is the written justification auditors will read; it must say why the finding is
    acceptable, so a blank or token-sized reason is refused.
    """
    text = reason.strip()
    if len(text) < MIN_REASON_LENGTH:
        raise ConstructPropsError(
            scope.node.path,
            "reason",
            f"acknowledging {rule_id} needs a written reason of at least {MIN_REASON_LENGTH} "
            f"characters, got {reason!r}",
        )
    qualified = f"{rule_id}[{finding}]" if finding else rule_id
    Validations.of(scope).acknowledge(Acknowledgment(id=qualified, reason=text))
