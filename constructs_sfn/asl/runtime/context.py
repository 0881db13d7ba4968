"""The context object (``$$``) and the identity of one execution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["ExecutionContextInfo", "format_timestamp"]


def format_timestamp(instant: datetime) -> str:
    """AWS's context-object timestamp form: ``2024-01-01T00:00:00.123Z`` (milliseconds, UTC)."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class ExecutionContextInfo:
    """Who an execution is: the values ``$$.Execution`` and ``$$.StateMachine`` expose."""

    execution_arn: str = "arn:aws:states:us-east-1:123456789012:execution:LocalStateMachine:local"
    execution_name: str = "local"
    state_machine_arn: str = "arn:aws:states:us-east-1:123456789012:stateMachine:LocalStateMachine"
    state_machine_name: str = "LocalStateMachine"
    role_arn: str = "arn:aws:iam::123456789012:role/LocalStepFunctionsRole"
    start_time: datetime | None = None
    redrive_count: int = 0
    redrive_time: datetime | None = None
    """When the execution was last redriven: ``$$.Execution.RedriveTime``, present only after a redrive."""
    region: str = "us-east-1"
    account_id: str = "123456789012"
    partition: str = "aws"
    test_case: str | None = None
    state_machine_type: str = "STANDARD"
    state_machine_version_arn: str | None = None
    """The version run, for an execution started through a version or an alias ARN."""
    state_machine_alias_arn: str | None = None
    """The alias an execution was started through, if any."""

    def execution_object(self, input_value: Any, start_time: datetime) -> dict[str, Any]:
        """``$$.Execution``."""
        execution = {
            "Id": self.execution_arn,
            "Input": input_value,
            "StartTime": format_timestamp(start_time),
            "Name": self.execution_name,
            "RoleArn": self.role_arn,
        }
        if self.state_machine_type != "EXPRESS":
            # Express executions cannot be redriven, and AWS leaves the count out of their context.
            execution["RedriveCount"] = self.redrive_count
            if self.redrive_time is not None and self.redrive_count > 0:
                # "RedriveTime Context object is only available if you've redriven an execution."
                execution["RedriveTime"] = format_timestamp(self.redrive_time)
        return execution

    def qualified_arns(self) -> dict[str, str]:
        """The alias and version an execution was started through, as ``ExecutionStarted`` names them."""
        arns: dict[str, str] = {}
        if self.state_machine_alias_arn is not None:
            arns["stateMachineAliasArn"] = self.state_machine_alias_arn
        if self.state_machine_version_arn is not None:
            arns["stateMachineVersionArn"] = self.state_machine_version_arn
        return arns

    def state_machine_object(self) -> dict[str, Any]:
        """``$$.StateMachine``."""
        return {"Id": self.state_machine_arn, "Name": self.state_machine_name}
