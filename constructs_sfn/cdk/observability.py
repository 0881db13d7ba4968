"""Wiring a state machine's logging and X-Ray tracing, with their permissions in a policy of their own.

Split out of ObservableStateMachine by purpose: what the machine logs and traces, and the IAM and
KMS statements that makes necessary.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Aws, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.options import StateMachineLogging, Tracing

__all__ = [
    "LOG_DELIVERY_ACTIONS",
    "OBSERVABILITY_POLICY_ID",
    "XRAY_ACTIONS",
    "configure_observability",
    "grant_logs_use_of_key",
]

#: Child id of the policy holding the log-delivery and X-Ray statements.
OBSERVABILITY_POLICY_ID = "ObservabilityPolicy"

# The log-delivery and X-Ray actions Step Functions needs. AWS defines no resource-level
# permissions for them, so "*" is the narrowest resource there is.
LOG_DELIVERY_ACTIONS = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
)
XRAY_ACTIONS = (
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
)
_WILDCARD_REASON = (
    "Step Functions log delivery (logs:*LogDelivery*, PutResourcePolicy, DescribeResourcePolicies, "
    "DescribeLogGroups) and X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) support no "
    "resource-level permissions, so AWS documents Resource '*' for them. This policy holds only those "
    "statements; the state machine's task permissions live in the role's default policy and are "
    "checked separately."
)


def grant_logs_use_of_key(key: kms.IKey, log_group_name: str, scope: Construct) -> None:
    """Let CloudWatch Logs of this region use ``key`` for the one log group ``log_group_name``.

    An imported key's policy cannot be changed here: its owner must add the equivalent statement.
    """
    log_group_arn = Stack.of(scope).format_arn(
        service="logs",
        resource="log-group",
        resource_name=log_group_name,
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
            actions=[
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            resources=["*"],
            conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
        )
    )


def configure_observability(
    scope: Construct,
    state_machine: sfn.StateMachine,
    role: iam.IRole,
    log_group: logs.ILogGroup | None,
    logging: StateMachineLogging,
    tracing: Tracing,
) -> iam.Policy | None:
    """Set logging and tracing on the machine; return the ``ObservabilityPolicy`` (None if not needed).

    They are set on the L1 resource, not through StateMachine's ``logs`` and ``tracing_enabled``,
    because those add their wildcard statements to the role's default policy, next to the task
    grants; a cdk-nag acknowledgement there would also hide any wildcard a task grant introduces.
    Here they live in a policy of their own.
    """
    cfn = state_machine.node.default_child
    if not isinstance(cfn, sfn.CfnStateMachine):  # pragma: no cover - CDK invariant
        raise TypeError("StateMachine's default child is not a CfnStateMachine")
    actions: list[str] = []
    if log_group is not None:
        cfn.logging_configuration = sfn.CfnStateMachine.LoggingConfigurationProperty(
            destinations=[
                sfn.CfnStateMachine.LogDestinationProperty(
                    cloud_watch_logs_log_group=sfn.CfnStateMachine.CloudWatchLogsLogGroupProperty(
                        log_group_arn=log_group.log_group_arn
                    )
                )
            ],
            include_execution_data=logging.include_execution_data,
            level=logging.level.value,
        )
        actions.extend(LOG_DELIVERY_ACTIONS)
    cfn.tracing_configuration = sfn.CfnStateMachine.TracingConfigurationProperty(enabled=tracing.enabled)
    if tracing.enabled:
        actions.extend(XRAY_ACTIONS)
    if logging.reason is not None:
        acknowledge_rule(state_machine, "AwsSolutions-SF1", logging.reason)
    if tracing.reason is not None:
        acknowledge_rule(state_machine, "AwsSolutions-SF2", tracing.reason)
    if not actions:
        return None
    policy = iam.Policy(
        scope,
        OBSERVABILITY_POLICY_ID,
        roles=[role],
        statements=[iam.PolicyStatement(actions=actions, resources=["*"])],
    )
    acknowledge_rule(policy, "AwsSolutions-IAM5", _WILDCARD_REASON, finding="Resource::*")
    # Step Functions checks log-delivery permissions when the machine is created.
    state_machine.node.add_dependency(policy)
    return policy
