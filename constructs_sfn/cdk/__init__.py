"""AWS CDK constructs for Step Functions; the only layer of constructs_sfn that imports aws_cdk.

``ObservableStateMachine`` is the foundation: a state machine with logging, X-Ray tracing,
alarms, a dashboard, an owner tag, a least-privilege role and, optionally, a schedule and a
customer-managed key, all on by default. On it:

* ``SagaWorkflow`` - ordered steps with reverse compensation and a dead-letter record;
* ``ApprovalWorkflow`` - a human decision through a task token, a callback API, reminders;
* ``DistributedMapJob`` - a Distributed Map over S3 with least-privilege IAM and a Map Run alarm.
"""

from __future__ import annotations

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.approval import APPROVAL_RESULT_PATH, DEFAULT_DEADLINE, TIMED_OUT_ERROR, ApprovalWorkflow
from constructs_sfn.cdk.approval_options import ApprovalNotification, CallbackAuthorization, NotificationKind
from constructs_sfn.cdk.distributed_map_job import DEFAULT_RESULT_PREFIX, MAP_STATE_ID, DistributedMapJob
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.errors import ConstructPropsError
from constructs_sfn.cdk.item_sources import ItemSource, ItemSourceKind
from constructs_sfn.cdk.lint_aspect import LINT_WARNING_PREFIX, StateMachineLint
from constructs_sfn.cdk.map_job_options import ItemBatching, ItemProcessor
from constructs_sfn.cdk.map_run_alarm import MAP_RUNS_FAILED
from constructs_sfn.cdk.observable_state_machine import (
    DEFAULT_LOG_RETENTION,
    LINT_CONTEXT_KEY,
    LOG_GROUP_PREFIX,
    OWNER_CONTEXT_KEY,
    OWNER_TAG_KEY,
    ObservableStateMachine,
)
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.saga import (
    COMPENSATED_ERROR,
    COMPENSATION_FAILED_ERROR,
    DEFAULT_DEAD_LETTER_RETENTION,
    SagaWorkflow,
)
from constructs_sfn.cdk.saga_steps import (
    SagaAction,
    SagaRetry,
    SagaStep,
    compensation_idempotency_key,
    idempotency_key,
)
from constructs_sfn.cdk.schedule import ExecutionSchedule
from constructs_sfn.cdk.workflow import ObservableWorkflow

__all__ = [
    "APPROVAL_RESULT_PATH",
    "COMPENSATED_ERROR",
    "COMPENSATION_FAILED_ERROR",
    "DEFAULT_DEADLINE",
    "DEFAULT_DEAD_LETTER_RETENTION",
    "DEFAULT_LOG_RETENTION",
    "DEFAULT_RESULT_PREFIX",
    "LINT_CONTEXT_KEY",
    "LINT_WARNING_PREFIX",
    "LOG_GROUP_PREFIX",
    "MAP_RUNS_FAILED",
    "MAP_STATE_ID",
    "OWNER_CONTEXT_KEY",
    "OWNER_TAG_KEY",
    "TIMED_OUT_ERROR",
    "AlarmOptions",
    "ApprovalNotification",
    "ApprovalWorkflow",
    "CallbackAuthorization",
    "ConstructPropsError",
    "DistributedMapJob",
    "ExecutionAlarm",
    "ExecutionSchedule",
    "ItemBatching",
    "ItemProcessor",
    "ItemSource",
    "ItemSourceKind",
    "NotificationKind",
    "ObservableStateMachine",
    "ObservableWorkflow",
    "SagaAction",
    "SagaRetry",
    "SagaStep",
    "SagaWorkflow",
    "StateMachineEncryption",
    "StateMachineLint",
    "StateMachineLogging",
    "Tracing",
    "acknowledge_rule",
    "compensation_idempotency_key",
    "idempotency_key",
]
