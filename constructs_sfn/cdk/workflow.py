"""The common face of the constructs built on one ObservableStateMachine.

``SagaWorkflow``, ``ApprovalWorkflow`` and ``DistributedMapJob`` each own one
:class:`~constructs_sfn.cdk.ObservableStateMachine` (their child ``Machine``); what they expose of
it (the state machine, its role and log group, grants, the owner) is written once, here.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.observable_state_machine import ObservableStateMachine

__all__ = ["ObservableWorkflow"]


class ObservableWorkflow(Construct):
    """Base class: a construct whose workflow runs on the ObservableStateMachine ``self.machine``."""

    machine: ObservableStateMachine
    """The ObservableStateMachine the workflow runs on (child id ``Machine``)."""

    @property
    def state_machine(self) -> sfn.StateMachine:
        """The Step Functions state machine."""
        return self.machine.state_machine

    @property
    def state_machine_arn(self) -> str:
        """The ARN of the state machine."""
        return self.machine.state_machine_arn

    @property
    def role(self) -> iam.IRole:
        """The state machine's execution role."""
        return self.machine.role

    @property
    def log_group(self) -> logs.ILogGroup | None:
        """The state machine's log group (None when logging is off)."""
        return self.machine.log_group

    @property
    def owner(self) -> str:
        """The team tagged ``Owner`` on every resource of the workflow."""
        return self.machine.owner

    def grant_start_execution(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` states:StartExecution on the state machine."""
        return self.machine.grant_start_execution(identity)

    def grant_read(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` read access to the state machine and its executions."""
        return self.machine.grant_read(identity)
