"""Option types for ObservableStateMachine: logging, tracing and alarm tuning.

They are enum-like classes with static factories (CDK idiom) rather than loose flags, so that
turning an observability default *down* is always an explicit, named call that carries a written
reason; the reason becomes the cdk-nag acknowledgement of the finding the choice causes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aws_cdk import Duration
from aws_cdk import aws_stepfunctions as sfn

__all__ = ["AlarmOptions", "ExecutionAlarm", "StateMachineLogging", "Tracing"]


class StateMachineLogging:
    """How the state machine logs executions to CloudWatch Logs.

    Use :meth:`all` (the default), :meth:`errors_only` or :meth:`off`; the constructor is private.
    """

    def __init__(self, level: sfn.LogLevel, include_execution_data: bool, reason: str | None) -> None:
        self._level = level
        self._include_execution_data = include_execution_data
        self._reason = reason

    @staticmethod
    def all(*, include_execution_data: bool = True) -> StateMachineLogging:
        """Log every event (level ALL), with execution input and output by default.

        ``include_execution_data=False`` keeps payloads (which may hold personal data) out of the
        logs; it is refused for EXPRESS state machines, whose logs are their only history.
        """
        return StateMachineLogging(sfn.LogLevel.ALL, include_execution_data, None)

    @staticmethod
    def errors_only(*, reason: str, include_execution_data: bool = False) -> StateMachineLogging:
        """Log only error events (level ERROR). STANDARD state machines only.

        ``reason`` is required: it is recorded as the acknowledgement of cdk-nag's
        AwsSolutions-SF1 (which asks for level ALL).
        """
        return StateMachineLogging(sfn.LogLevel.ERROR, include_execution_data, reason)

    @staticmethod
    def off(*, reason: str) -> StateMachineLogging:
        """No logging and no log group: the explicit opt-out.

        ``reason`` is required: it is recorded as the acknowledgement of AwsSolutions-SF1.
        """
        return StateMachineLogging(sfn.LogLevel.OFF, False, reason)

    @property
    def level(self) -> sfn.LogLevel:
        """The Step Functions log level."""
        return self._level

    @property
    def include_execution_data(self) -> bool:
        """Whether execution input, output and state data are logged."""
        return self._include_execution_data

    @property
    def reason(self) -> str | None:
        """Why logging was turned down (None for the full default)."""
        return self._reason

    @property
    def enabled(self) -> bool:
        """Whether a log group is created and wired to the state machine."""
        return self._level != sfn.LogLevel.OFF

    def __repr__(self) -> str:
        return f"StateMachineLogging(level={self._level.value}, include_execution_data={self._include_execution_data})"


class Tracing:
    """Whether executions are traced with AWS X-Ray.

    Use :meth:`active` (the default) or :meth:`disabled`; the constructor is private.
    """

    def __init__(self, enabled: bool, reason: str | None) -> None:
        self._enabled = enabled
        self._reason = reason

    @staticmethod
    def active() -> Tracing:
        """Trace executions with X-Ray (the default)."""
        return Tracing(True, None)

    @staticmethod
    def disabled(*, reason: str) -> Tracing:
        """No X-Ray tracing. ``reason`` is recorded as the acknowledgement of AwsSolutions-SF2."""
        return Tracing(False, reason)

    @property
    def enabled(self) -> bool:
        """Whether X-Ray tracing is on."""
        return self._enabled

    @property
    def reason(self) -> str | None:
        """Why tracing was disabled (None when it is on)."""
        return self._reason

    def __repr__(self) -> str:
        return f"Tracing(enabled={self._enabled})"


class ExecutionAlarm(StrEnum):
    """The alarms ObservableStateMachine creates, named after the metric each one watches."""

    FAILED = "ExecutionsFailed"
    TIMED_OUT = "ExecutionsTimedOut"
    THROTTLED = "ExecutionThrottled"
    ABORTED = "ExecutionsAborted"
    #: p99 of ExecutionTime above ``execution_time_threshold``.
    DURATION_P99 = "ExecutionTimeP99"


@dataclass(frozen=True, kw_only=True)
class AlarmOptions:
    """Overrides for one alarm; every field left as None keeps the construct's default.

    For :attr:`ExecutionAlarm.DURATION_P99` the threshold is set with the construct's
    ``execution_time_threshold`` prop (a Duration), not here.
    """

    #: Set False to skip creating this one alarm. Default: the alarm is created.
    enabled: bool = True
    #: Count of executions in one period that triggers the alarm. Default: 1.
    threshold: float | None = None
    #: Length of one evaluation period: 10 s, 30 s or a multiple of 60 s. Default: 5 minutes.
    period: Duration | None = None
    #: Number of periods evaluated. Default: 1 for counts, 3 for the duration alarm.
    evaluation_periods: int | None = None
    #: Breaching periods (of ``evaluation_periods``) that raise the alarm.
    #: Default: 1 for counts, 2 for the duration alarm.
    datapoints_to_alarm: int | None = None
