"""The option factories: what each one configures and what it requires."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing


def test_logging_all_defaults_to_execution_data() -> None:
    logging = StateMachineLogging.all()
    assert (logging.level, logging.include_execution_data, logging.reason, logging.enabled) == (
        sfn.LogLevel.ALL,
        True,
        None,
        True,
    )
    assert StateMachineLogging.all(include_execution_data=False).include_execution_data is False


def test_logging_errors_only_carries_its_reason() -> None:
    logging = StateMachineLogging.errors_only(reason="only failures are investigated")
    assert (logging.level, logging.include_execution_data, logging.reason, logging.enabled) == (
        sfn.LogLevel.ERROR,
        False,
        "only failures are investigated",
        True,
    )


def test_logging_off_disables_and_carries_its_reason() -> None:
    logging = StateMachineLogging.off(reason="sandbox machine, deleted nightly")
    assert (logging.level, logging.enabled, logging.reason) == (
        sfn.LogLevel.OFF,
        False,
        "sandbox machine, deleted nightly",
    )
    assert repr(logging) == "StateMachineLogging(level=OFF, include_execution_data=False)"


def test_tracing_factories() -> None:
    assert (Tracing.active().enabled, Tracing.active().reason) == (True, None)
    disabled = Tracing.disabled(reason="X-Ray unavailable here")
    assert (disabled.enabled, disabled.reason) == (False, "X-Ray unavailable here")
    assert repr(disabled) == "Tracing(enabled=False)"


def test_execution_alarm_values_are_the_metric_names() -> None:
    assert [alarm.value for alarm in ExecutionAlarm] == [
        "ExecutionsFailed",
        "ExecutionsTimedOut",
        "ExecutionThrottled",
        "ExecutionsAborted",
        "ExecutionTimeP99",
    ]
    assert ExecutionAlarm.FAILED == "ExecutionsFailed"


def test_alarm_options_default_to_keeping_the_construct_defaults() -> None:
    options = AlarmOptions()
    assert options.enabled is True
    assert (options.threshold, options.period, options.evaluation_periods, options.datapoints_to_alarm) == (
        None,
        None,
        None,
        None,
    )
