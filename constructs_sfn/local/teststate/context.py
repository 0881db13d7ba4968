"""The execution TestState runs its one state in, and the context object (``$$``) it sees.

AWS runs a TestState call as an express execution of a throw-away state machine, so the context
object has an express execution ARN (``arn:...:express:<machine>:<execution>``), no
``RedriveCount``, ``RoleArn`` null when the call gave no role, and ``State.Name`` ``"StateName"``
even when a whole definition and a ``stateName`` were given. ``State.RetryCount`` is only present
for the states that can retry (Task, Map, Parallel); it is ``stateConfiguration.retrierRetryCount``.
A ``context`` given with the call replaces these values field by field, and its ``Task.Token`` is
the token a callback task sees. A state tested inside a Map (``stateName`` naming a state of an
``ItemProcessor``) sees the ``Map`` section the call gives (``Map.Item.Index``, ``Map.Item.Value``).

States inside an unmocked Map or Parallel run as in any execution: they retry and catch, and
their processing steps stay out of the tested state's inspection data.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from constructs_sfn.asl.model.states import State, StateMachineDefinition
from constructs_sfn.asl.runtime.clock import Clock
from constructs_sfn.asl.runtime.context import ExecutionContextInfo, format_timestamp
from constructs_sfn.asl.runtime.execution import Execution
from constructs_sfn.asl.runtime.frame import RETRYABLE_STATES, Frame, StateGen
from constructs_sfn.asl.services import TaskService

__all__ = ["CONTEXT_STATE_NAME", "TestStateExecution", "TestStateScope"]

CONTEXT_STATE_NAME = "StateName"
"""``$$.State.Name`` in TestState, whatever the state under test is called."""


@dataclass(frozen=True, slots=True)
class TestStateScope:
    """Where the TestState call happens: the ARN parts of the throw-away express execution."""

    __test__ = False  # not a pytest test class, despite the name

    region: str = "us-east-1"
    account_id: str = "123456789012"
    partition: str = "aws"


class TestStateExecution(Execution):
    """An :class:`Execution` whose context object for the tested state is TestState's."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        definition: StateMachineDefinition,
        state: State,
        input_value: Any,
        *,
        role_arn: str | None,
        scope: TestStateScope,
        services: TaskService | None,
        clock: Clock | None,
        given_context: Mapping[str, Any] | None,
        retry_count: int,
        rng_seed: int | None = 0,
    ) -> None:
        names = random.Random(rng_seed)
        machine_name = str(uuid.UUID(int=names.getrandbits(128), version=4))
        execution_name = str(uuid.UUID(int=names.getrandbits(128), version=4))
        prefix = f"arn:{scope.partition}:states:{scope.region}:{scope.account_id}"
        info = ExecutionContextInfo(
            execution_arn=f"{prefix}:express:{machine_name}:{execution_name}",
            execution_name=execution_name,
            state_machine_arn=f"{prefix}:stateMachine:{machine_name}",
            state_machine_name=machine_name,
            role_arn=role_arn or "",
            region=scope.region,
            account_id=scope.account_id,
            partition=scope.partition,
            state_machine_type="EXPRESS",
        )
        super().__init__(
            definition, input_value, info=info, services=services, clock=clock, rng_seed=rng_seed, record_history=False
        )
        self.records: dict[str, Any] = {}
        """What the tested state's processing steps produced (``inspect``), for inspectionData."""
        self._nested = 0
        self.tested_state = state
        self.retry_count = retry_count
        given = given_context or {}
        # Only the role the caller gave shows: AWS reports null rather than inventing one.
        execution = {**self.execution_object, "RoleArn": role_arn}
        self.execution_object = {**execution, **_section(given, "Execution")}
        self.state_machine_object = {**self.state_machine_object, **_section(given, "StateMachine")}
        self._given_state = _section(given, "State")
        self._given_task = _section(given, "Task")
        self._given_map = _section(given, "Map")

    def inspect(self, key: str, value: Any) -> None:
        """Record a processing step of the tested state (not of the states inside a Map/Parallel)."""
        if not self._nested:
            self.records[key] = value

    def run_state(self, frame: Frame, state: State, raw_input: Any) -> StateGen:
        """A state inside the tested Map or Parallel: an ordinary state of an ordinary execution."""
        # ``inspection`` stays None, so these states retry and catch as they would in an execution.
        self._nested += 1
        try:
            return (yield from super().run_state(frame, state, raw_input))
        finally:
            self._nested -= 1

    def context(self, state: State, entered_time: datetime, attempt: int, frame: Frame) -> dict[str, Any]:
        """TestState's context object for the tested state; the usual one for states inside it."""
        if state is not self.tested_state:
            return super().context(state, entered_time, attempt, frame)
        state_object: dict[str, Any] = {"Name": CONTEXT_STATE_NAME, "EnteredTime": format_timestamp(entered_time)}
        if isinstance(state, RETRYABLE_STATES):
            state_object["RetryCount"] = self.retry_count
        state_object.update(self._given_state)
        context: dict[str, Any] = {
            "Execution": self.execution_object,
            "StateMachine": self.state_machine_object,
            "State": state_object,
        }
        if self._given_map:
            context["Map"] = dict(self._given_map)
        if self._given_task:
            context["Task"] = dict(self._given_task)
            return _GivenTaskContext(context)
        return context


class _GivenTaskContext(dict[str, Any]):
    """A context object whose ``Task`` (given with the call) the task runtime cannot replace.

    A callback task hands out a fresh task token by writing ``$$.Task``; under TestState the
    caller's ``context.Task.Token`` is the one the state must see.
    """

    def __setitem__(self, key: str, value: Any) -> None:
        if key != "Task":
            super().__setitem__(key, value)


def _section(context: Mapping[str, Any], name: str) -> dict[str, Any]:
    section = context.get(name)
    return dict(section) if isinstance(section, Mapping) else {}
