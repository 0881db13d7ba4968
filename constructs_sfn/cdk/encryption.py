"""Encryption at rest of a state machine's definition and execution history.

Step Functions always encrypts with an AWS-owned key; :class:`StateMachineEncryption` adds the
choice of a customer-managed KMS key (passed in, or created with rotation on) and wires the
permissions the AWS guide "Data at rest encryption in Step Functions" asks for:

- the execution role may ``kms:Decrypt`` / ``kms:GenerateDataKey`` only with the encryption
  context ``aws:states:stateMachineArn`` of this one machine (aws-cdk-lib's
  ``CustomerManagedEncryptionConfiguration`` adds that statement; it needs the machine's name to
  be known at synth time, see :func:`needs_known_name`);
- when the machine logs, the role may ``kms:GenerateDataKey`` with the encryption context
  ``SourceArn`` of this account's CloudWatch Logs, and the key policy lets the log delivery
  service (``delivery.logs.amazonaws.com``) ``kms:Decrypt`` so it can write the logs.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "DATA_KEY_REUSE_PERIOD_RANGE_SECONDS",
    "ENCRYPTION_KEY_ID",
    "StateMachineEncryption",
    "grant_log_delivery_use_of_key",
    "needs_known_name",
]

#: The child id of the key created by ``StateMachineEncryption.customer_managed()`` without a key.
ENCRYPTION_KEY_ID = "EncryptionKey"
#: Step Functions' bounds for KmsDataKeyReusePeriodSeconds (and its default, 300 s, in between).
DATA_KEY_REUSE_PERIOD_RANGE_SECONDS = (60, 900)


class StateMachineEncryption:
    """How the state machine's definition and execution history are encrypted at rest.

    Use :meth:`aws_owned` (Step Functions' default) or :meth:`customer_managed`; the
    constructor is private.
    """

    def __init__(self, customer_managed: bool, key: kms.IKey | None, data_key_reuse_period: Duration | None) -> None:
        self._customer_managed = customer_managed
        self._key = key
        self._data_key_reuse_period = data_key_reuse_period

    @staticmethod
    def aws_owned() -> StateMachineEncryption:
        """Step Functions' own encryption with an AWS-owned key; no KMS key to manage or pay for."""
        return StateMachineEncryption(False, None, None)

    @staticmethod
    def customer_managed(
        key: kms.IKey | None = None, *, data_key_reuse_period: Duration | None = None
    ) -> StateMachineEncryption:
        """A second layer of encryption with a symmetric customer-managed KMS key.

        :param key: the key. Default: a key is created (child ``EncryptionKey``) with yearly
            rotation on and the RETAIN removal policy (history encrypted with it stays readable).
            A key from another stack or account must already allow this account's IAM policies
            (the default key policy does); its policy cannot be changed here, so its owner must
            also allow ``delivery.logs.amazonaws.com`` ``kms:Decrypt`` when the machine logs.
        :param data_key_reuse_period: how long Step Functions reuses a data key before asking
            KMS for a new one, 1 to 15 minutes (not a token: aws-cdk-lib checks it at synth time).
            Default: 5 minutes.
        """
        return StateMachineEncryption(True, key, data_key_reuse_period)

    @property
    def is_customer_managed(self) -> bool:
        """Whether a customer-managed KMS key is used."""
        return self._customer_managed

    @property
    def key(self) -> kms.IKey | None:
        """The key passed in (None for AWS-owned, or when the construct creates the key)."""
        return self._key

    @property
    def data_key_reuse_period(self) -> Duration | None:
        """The data key reuse period passed in (None means Step Functions' 5 minutes)."""
        return self._data_key_reuse_period

    def __repr__(self) -> str:
        kind = "customer_managed" if self._customer_managed else "aws_owned"
        return f"StateMachineEncryption.{kind}()"

    def validate(self, check: PropsValidator, prop: str) -> None:
        """Raise ConstructPropsError for a key that is not a key or an out-of-range reuse period."""
        if self._key is not None and not hasattr(self._key, "key_arn"):
            check.fail(f"{prop}.key", f"must be a kms.IKey, got {type(self._key).__name__}")
        if self._data_key_reuse_period is None:
            return
        if not self._customer_managed:  # pragma: no cover - aws_owned() takes no period
            check.fail(f"{prop}.data_key_reuse_period", "applies only to customer-managed keys")
        if not isinstance(self._data_key_reuse_period, Duration):
            check.fail(f"{prop}.data_key_reuse_period", "must be a Duration")
        if check.is_token(self._data_key_reuse_period):
            # aws-cdk-lib's CustomerManagedEncryptionConfiguration compares it with its bounds at synth time.
            check.fail(
                f"{prop}.data_key_reuse_period", "must be known at synth time (aws-cdk-lib checks it), got a token"
            )
        seconds = check.seconds(f"{prop}.data_key_reuse_period", self._data_key_reuse_period)
        low, high = DATA_KEY_REUSE_PERIOD_RANGE_SECONDS
        if seconds is not None and not (low <= seconds <= high and seconds == int(seconds)):
            check.fail(
                f"{prop}.data_key_reuse_period",
                f"must be whole seconds from {low} to {high} (1 to 15 minutes), got {seconds:g} s",
            )

    def bind(self, scope: Construct) -> tuple[sfn.EncryptionConfiguration, kms.IKey | None]:
        """The configuration for ``sfn.StateMachine`` and the key in use (creating it if needed)."""
        if not self._customer_managed:
            return sfn.AwsOwnedEncryptionConfiguration(), None
        key = self._key or kms.Key(
            scope,
            ENCRYPTION_KEY_ID,
            enable_key_rotation=True,
            description=f"Encrypts the definition and execution history of the state machine {scope.node.path}",
            removal_policy=RemovalPolicy.RETAIN,
        )
        return sfn.CustomerManagedEncryptionConfiguration(key, self._data_key_reuse_period), key


def needs_known_name(encryption: StateMachineEncryption | None) -> bool:
    """Whether the machine must get a name at synth time.

    The key grant's condition names the machine's ARN, which must be known before the machine
    exists (referring to the machine's own ARN would be a dependency cycle: the machine waits for
    its role's policy).
    """
    return encryption is not None and encryption.is_customer_managed


def grant_log_delivery_use_of_key(role: iam.IRole, key: kms.IKey) -> bool:
    """Add the permissions a customer-managed key needs when the machine logs to CloudWatch Logs.

    Returns whether the key policy statement could be added (False for an imported key).
    """
    stack = Stack.of(role)
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["kms:GenerateDataKey"],
            resources=[key.key_arn],
            conditions={
                "StringEquals": {
                    "kms:EncryptionContext:SourceArn": stack.format_arn(
                        service="logs", resource="*", arn_format=ArnFormat.NO_RESOURCE_NAME
                    )
                }
            },
        )
    )
    added = key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("delivery.logs.amazonaws.com")],
            actions=["kms:Decrypt"],
            resources=["*"],
        )
    )
    return added.statement_added
