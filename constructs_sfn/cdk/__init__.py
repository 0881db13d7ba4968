"""AWS CDK constructs for Step Functions; the only layer of constructs_sfn that imports aws_cdk.

``ObservableStateMachine`` is the foundation: a state machine with logging, X-Ray tracing,
alarms, a dashboard, an owner tag and a least-privilege role, all on by default.
"""

from __future__ import annotations

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.errors import ConstructPropsError
from constructs_sfn.cdk.observable_state_machine import (
    DEFAULT_LOG_RETENTION,
    LOG_GROUP_PREFIX,
    OWNER_CONTEXT_KEY,
    OWNER_TAG_KEY,
    ObservableStateMachine,
)
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing

__all__ = [
    "DEFAULT_LOG_RETENTION",
    "LOG_GROUP_PREFIX",
    "OWNER_CONTEXT_KEY",
    "OWNER_TAG_KEY",
    "AlarmOptions",
    "ConstructPropsError",
    "ExecutionAlarm",
    "ObservableStateMachine",
    "StateMachineLogging",
    "Tracing",
    "acknowledge_rule",
]
