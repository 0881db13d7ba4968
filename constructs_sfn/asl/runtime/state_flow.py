"""Pass, Choice, Wait, Succeed and Fail: the states that do no outside work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName, FailStateError, StatesError
from constructs_sfn.asl.jsonpath.jsontext import json_type_name, to_json_text
from constructs_sfn.asl.model.states import ChoiceState, FailState, PassState, SucceedState, WaitState
from constructs_sfn.asl.runtime.dataflow import apply_input_path
from constructs_sfn.asl.runtime.finish import effective_input, finish_with_result, finish_without_result
from constructs_sfn.asl.runtime.scheduler import Sleep
from constructs_sfn.asl.runtime.timestamps import parse_timestamp_ns
from constructs_sfn.asl.runtime.trace import TraceEvent, TraceKind

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame, StateGen

__all__ = ["MAX_WAIT_SECONDS", "run_choice", "run_fail", "run_pass", "run_succeed", "run_wait"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NANOS_PER_SECOND = 1_000_000_000
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
"""The range of Java's ``long``, which is how AWS reads ``SecondsPath``."""
MAX_WAIT_SECONDS = 99_999_999
"""The largest Wait duration AWS accepts (``Seconds`` is validated against it at create time)."""


def run_pass(ex: Execution, frame: Frame, state: PassState, raw_input: Any, context: Any) -> StateGen:
    """Pass: Result (or the effective input) through the usual output processing."""
    if state.is_jsonata:
        output = finish_without_result(ex, frame, state, raw_input, raw_input, context)
        return state.next, output
    effective = effective_input(ex, frame, state, raw_input, context)
    result = state.result if state.has_result else effective
    output = finish_with_result(ex, frame, state, raw_input, result, context)
    return state.next, output
    yield  # a generator like every state handler


def run_succeed(ex: Execution, frame: Frame, state: SucceedState, raw_input: Any, context: Any) -> StateGen:
    """Succeed: ends this branch with the filtered input."""
    effective = raw_input if state.is_jsonata else apply_input_path(state, raw_input, context, frame.variables)
    if not state.is_jsonata:
        ex.inspect("afterInputPath", effective)
    output = finish_without_result(ex, frame, state, raw_input, effective, context)
    return None, output
    yield


def run_fail(ex: Execution, frame: Frame, state: FailState, raw_input: Any, context: Any) -> StateGen:
    """Fail: raises the state's error and cause."""
    variables = frame.variables
    if state.is_jsonata:
        states = {"input": raw_input, "context": context}
        error = (
            state.error.evaluate(states, variables, field="Error", rng=ex.rng, now_millis=ex.now_millis())
            if state.error is not None
            else None
        )
        cause = (
            state.cause.evaluate(states, variables, field="Cause", rng=ex.rng, now_millis=ex.now_millis())
            if state.cause is not None
            else None
        )
        for value, name in ((error, "Error"), (cause, "Cause")):
            if value is not None and not isinstance(value, str):
                raise StatesError(
                    ErrorName.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression specified for the field '{name}' returned an unexpected result type. "
                    f"Expected 'string', but was '{json_type_name(value)}' for value: {to_json_text(value)}",
                )
    else:
        ex.inspect("afterInputPath", raw_input)
        error = _fail_field(state.error, state.error_path, raw_input, context, variables, "ErrorPath")
        cause = _fail_field(state.cause, state.cause_path, raw_input, context, variables, "CausePath")
    raise FailStateError(error, cause)
    yield


def _fail_field(literal: Any, path: Any, raw_input: Any, context: Any, variables: Any, field: str) -> str | None:
    if path is None:
        return literal if isinstance(literal, str) else None
    if hasattr(path, "find"):
        try:
            value = path.find(raw_input, context, variables)
        except StatesError:
            raise
        except Exception as missing:
            raise StatesError(
                ErrorName.RUNTIME,
                f"The JSONPath '{path.text}' specified for the field '{field}' could not be found in the input "
                f"'{to_json_text(raw_input)}'",
            ) from missing
    else:
        value = path.evaluate(raw_input, context, variables)
    if not isinstance(value, str):
        raise StatesError(
            ErrorName.RUNTIME,
            f"The JSONPath '{getattr(path, 'text', '')}' specified for the field '{field}' "
            f"must reference a string value, but found '{to_json_text(value)}'",
        )
    return value


def run_choice(ex: Execution, frame: Frame, state: ChoiceState, raw_input: Any, context: Any) -> StateGen:
    """Choice: the first matching rule's Next, else Default, else States.NoChoiceMatched."""
    variables = frame.variables
    if state.is_jsonata:
        states = {"input": raw_input, "context": context}
        for index, rule in enumerate(state.choices):
            if (
                rule.condition.evaluate(states, variables, field="Condition", rng=ex.rng, now_millis=ex.now_millis())
                is True
            ):
                output = finish_without_result(
                    ex,
                    frame,
                    state,
                    raw_input,
                    raw_input,
                    context,
                    assign=rule.assign,
                    jsonata_output=rule.output,
                )
                if ex.observer is not None:
                    _trace_choice(ex, state, index, rule.next)
                return rule.next, output
    else:
        effective = apply_input_path(state, raw_input, context, variables)
        ex.inspect("afterInputPath", effective)
        for index, (rule, next_name, assign) in enumerate(state.choices):
            if rule.matches(effective, context, variables):
                output = finish_without_result(ex, frame, state, raw_input, effective, context, assign=assign)
                if ex.observer is not None:
                    _trace_choice(ex, state, index, next_name)
                return next_name, output
    if state.default is None:
        raise StatesError(ErrorName.NO_CHOICE_MATCHED, "No Matches!")
    effective = raw_input if state.is_jsonata else apply_input_path(state, raw_input, context, variables)
    output = finish_without_result(ex, frame, state, raw_input, effective, context)
    if ex.observer is not None:
        _trace_choice(ex, state, None, state.default)
    return state.default, output
    yield


def _trace_choice(ex: Execution, state: ChoiceState, index: int | None, next_name: str) -> None:
    kind = TraceKind.CHOICE_DEFAULT if index is None else TraceKind.CHOICE_RULE
    if ex.observer is not None:
        ex.observer.on_event(ex, TraceEvent(kind, state.pointer, state.name, index=index, next=next_name))


def run_wait(ex: Execution, frame: Frame, state: WaitState, raw_input: Any, context: Any) -> StateGen:
    """Wait: sleeps on the execution's clock (virtual by default)."""
    variables = frame.variables
    if state.is_jsonata:
        effective = raw_input
        seconds = _wait_seconds_jsonata(ex, state, raw_input, context, variables)
    else:
        effective = apply_input_path(state, raw_input, context, variables)
        ex.inspect("afterInputPath", effective)
        seconds = _wait_seconds_jsonpath(ex, state, effective, context, variables)
    if seconds > 0:
        yield Sleep(seconds)
    output = finish_without_result(ex, frame, state, raw_input, effective, context)
    return state.next, output


def _wait_seconds_jsonpath(ex: Execution, state: WaitState, effective: Any, context: Any, variables: Any) -> float:
    if state.seconds is not None:
        return float(state.seconds)
    if state.timestamp is not None:
        return _until(
            ex,
            _parse_ts_or_fail(
                state.timestamp,
                "The Timestamp field cannot be parsed as an ISO-8601 "
                f"extended offset date-time format string: {state.timestamp}",
            ),
        )
    if state.seconds_path is not None:
        path = state.seconds_path
        try:
            value = path.find(effective, context, variables)
        except StatesError:
            raise
        except Exception as missing:
            raise StatesError(
                ErrorName.RUNTIME, f"The SecondsPath parameter does not reference an input value: {path.text}"
            ) from missing
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not value.is_integer())
            or not _LONG_MIN <= value <= _LONG_MAX
        ):
            raise StatesError(
                ErrorName.RUNTIME,
                f"The SecondsPath parameter cannot be parsed as a long value: {path.text} == {to_json_text(value)}",
            )
        if value < 0:
            raise StatesError(
                ErrorName.RUNTIME,
                f"The SecondsPath parameter references a negative value: {path.text} == {to_json_text(value)}",
            )
        # No range beyond a long's: a longer wait than the execution may last ends in its time limit
        # (one year STANDARD, five minutes EXPRESS), as the Wait page says.
        return float(value)
    path = state.timestamp_path
    try:
        value = path.find(effective, context, variables)
    except StatesError:
        raise
    except Exception as missing:
        raise StatesError(
            ErrorName.RUNTIME, f"The TimestampPath parameter does not reference an input value: {path.text}"
        ) from missing
    message = (
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format "
        f"string: {path.text} == {value if isinstance(value, str) else to_json_text(value)}"
    )
    return _until(ex, _parse_ts_or_fail(value, message))


def _wait_seconds_jsonata(ex: Execution, state: WaitState, raw_input: Any, context: Any, variables: Any) -> float:
    states = {"input": raw_input, "context": context}
    if state.seconds is not None:
        value = state.seconds
        if hasattr(value, "evaluate"):
            value = value.evaluate(states, variables, field="Seconds", rng=ex.rng, now_millis=ex.now_millis())
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or value < 0
                or (isinstance(value, float) and not value.is_integer())
            ):
                raise StatesError(
                    ErrorName.QUERY_EVALUATION_ERROR,
                    "The JSONata expression specified for the field 'Seconds' returned an unexpected result type. "
                    f"Expected 'integer', but was '{json_type_name(value)}' for value: {to_json_text(value)}",
                )
            if value > MAX_WAIT_SECONDS:
                # The Wait page: the expression "must evaluate to an integer within the stated range".
                raise StatesError(
                    ErrorName.QUERY_EVALUATION_ERROR,
                    "The JSONata expression specified for the field 'Seconds' returned a value out of range. "
                    f"Expected an integer from 0 to {MAX_WAIT_SECONDS}, but was: {to_json_text(value)}",
                )
        return float(value)
    value = state.timestamp
    if hasattr(value, "evaluate"):
        value = value.evaluate(states, variables, field="Timestamp", rng=ex.rng, now_millis=ex.now_millis())
    return _until(
        ex,
        _parse_ts_or_fail(
            value,
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "
            f"{value if isinstance(value, str) else to_json_text(value)}",
            error=ErrorName.QUERY_EVALUATION_ERROR,
        ),
    )


def _parse_ts_or_fail(value: Any, message: str, *, error: str = ErrorName.RUNTIME) -> int:
    """Nanoseconds since the epoch of a timestamp AWS reads (year 0000 too: it is just long past)."""
    parsed = parse_timestamp_ns(value) if isinstance(value, str) else None
    if parsed is None:
        failure = StatesError(error, message)
        failure.field = "Timestamp"  # type: ignore[attr-defined]
        raise failure
    return parsed


def _until(ex: Execution, instant_ns: int) -> float:
    """Seconds from now until ``instant_ns``, which AWS reads to the second (it drops the fraction)."""
    instant_ns -= instant_ns % _NANOS_PER_SECOND
    now = ex.clock.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    now_ns = (now - _EPOCH) // timedelta(microseconds=1) * 1000
    return max((instant_ns - now_ns) / _NANOS_PER_SECOND, 0.0)
