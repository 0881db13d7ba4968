"""What running a state records: history events, payload text within AWS's limit, assigned
variables, the context object (``$$``), and TestState's inspection data.

:class:`ExecutionRecording` is a base class of :class:`~constructs_sfn.asl.runtime.execution.Execution`
holding these steps, which the state modules (``state_*.py``) call on the execution they receive.
It declares the execution's attributes it uses; the execution sets them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.jsonpath.jsontext import to_json_text as _shared_json_text
from constructs_sfn.asl.model.states import State
from constructs_sfn.asl.runtime.clock import Clock
from constructs_sfn.asl.runtime.context import format_timestamp
from constructs_sfn.asl.runtime.frame import RETRYABLE_STATES, Frame
from constructs_sfn.asl.runtime.history import NOT_TRUNCATED, History
from constructs_sfn.asl.runtime.limits import (
    MAX_PAYLOAD_BYTES,
    assigned_variable_texts,
    check_stored_variables,
    payload_too_large,
)

__all__ = ["ExecutionRecording"]

_QUARTER_PAYLOAD = MAX_PAYLOAD_BYTES // 4
"""A text this long or shorter is within the limit whatever its characters (UTF-8: at most 4 bytes each)."""


class ExecutionRecording:
    """The recording steps of an execution (see the module docstring)."""

    clock: Clock
    history: History
    execution_object: dict[str, Any]
    state_machine_object: dict[str, Any]
    variable_bytes: int
    """Bytes of variable values assigned so far (for the 10 MiB per-execution limit)."""
    inspection: dict[str, Any] | None
    """TestState: the intermediate values of the one state under test, else None."""
    _last_payload: tuple[Any, str] | None
    _timestamp_cache: tuple[datetime, str] | None

    def now_millis(self) -> int:
        """The execution clock in epoch milliseconds (JSONata's ``$now()`` and ``$millis()``)."""
        return int(self.clock.now().timestamp() * 1000)

    def inspect(self, key: str, value: Any) -> None:
        """Record an intermediate value for TestState's inspectionData (no-op in executions)."""
        if self.inspection is not None:
            self.inspection[key] = value

    def context(self, state: State, entered_time: datetime, attempt: int, frame: Frame) -> dict[str, Any]:
        """The context object for one attempt of one state."""
        cached = self._timestamp_cache
        if cached is not None and cached[0] == entered_time:
            entered_text = cached[1]
        else:
            entered_text = format_timestamp(entered_time)
            self._timestamp_cache = (entered_time, entered_text)
        state_obj: dict[str, Any] = {"Name": state.name, "EnteredTime": entered_text}
        if isinstance(state, RETRYABLE_STATES):
            # The states that may carry a Retry field always show the count (0 on the first attempt).
            state_obj["RetryCount"] = attempt
        ctx: dict[str, Any] = {
            "Execution": self.execution_object,
            "StateMachine": self.state_machine_object,
            "State": state_obj,
        }
        return ctx

    def event(self, frame: Frame, event_type: str, details: dict[str, Any] | None, *, side: bool = False) -> int:
        """Append a history event on ``frame``'s chain; returns its id.

        A ``side`` event (MapStateSucceeded, MapRunSucceeded...) links to the newest event and
        leaves the chain where it was, as AWS records them.
        """
        if not frame.record:
            return frame.cursor
        previous = self.history.last_id if side else frame.cursor
        event_id = self.history.add(event_type, self.clock.now(), previous, details)
        if not side:
            frame.cursor = event_id
        if event_id > self.history.limit:
            raise StatesError(
                ErrorName.RUNTIME,
                f"The execution reached the maximum number of history events ({self.history.limit}).",
            )
        return event_id

    def check_payload(self, value: Any, state: State | None) -> str:
        """Serialise a payload, enforcing the 256 KiB limit with States.DataLimitExceeded.

        A state's output is the next state's input, the very same object: the text of the last
        payload is remembered so each value is serialised once (values are never mutated).
        """
        last = self._last_payload
        if last is not None and last[0] is value:
            return last[1]
        text = _shared_json_text(value)
        self._last_payload = (value, text)
        if len(text) > _QUARTER_PAYLOAD and len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
            raise payload_too_large(state.name if state is not None else None)
        return text

    def apply_assignments(self, frame: Frame, assigned: dict[str, Any] | None) -> dict[str, str] | None:
        """Write variables into ``frame``'s own scope; returns ``assignedVariables`` for history."""
        if not assigned:
            return None
        texts, size = assigned_variable_texts(assigned)
        frame.own_variables.update(assigned)
        self.variable_bytes += size
        check_stored_variables(self.variable_bytes)
        return texts

    def exit_state(self, frame: Frame, state: State, output: Any, assigned: dict[str, Any] | None) -> None:
        """Apply assignments and append the ...StateExited event."""
        output_text = self.check_payload(output, state)
        recorded = self.apply_assignments(frame, assigned)
        details: dict[str, Any] = {
            "name": state.name,
            "output": output_text,
            "outputDetails": NOT_TRUNCATED,
        }
        if recorded is not None:
            details["assignedVariables"] = recorded
            details["assignedVariablesDetails"] = NOT_TRUNCATED
        self.event(frame, f"{state.type}StateExited", details)
