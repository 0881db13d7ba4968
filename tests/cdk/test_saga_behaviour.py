"""SagaWorkflow's guarantee, proven by running the synthesized definition on the local executor.

The stack is synthesized once; the definition is read out of the cloud assembly's template by
``SynthesizedApp`` (never from the in-memory construct) and run with the Lambda functions bound to
Python handlers that record every call. A failure is injected at every step in turn: the
compensations of the earlier steps must run exactly in reverse order, each retried, each handed
the original input, the error and its idempotency key. A compensation that keeps failing must
reach the dead-letter queue (a moto server through real boto3, or a recording service) and end
in the distinct ``CompensationFailed`` state. A deliberately miswired copy of the definition shows
the order assertion rejects a wrong order.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_lambda as lambda_

from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.cdk.saga import SagaWorkflow
from constructs_sfn.cdk.saga_steps import SagaAction, SagaRetry, SagaStep
from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.testing import StateMachineUnderTest, SynthesizedApp, WorkflowRunner

pytestmark = pytest.mark.synth

REGION = "us-east-1"
ORDER = {"orderId": "o-42", "amount": 125.5, "items": [{"sku": "book", "quantity": 2}]}
#: Step name -> whether it has a compensation. "Audit" has none; "Confirm" is last (none needed).
STEPS = {"Reserve": True, "Charge": True, "Audit": False, "Ship": True, "Confirm": False}
ACTION_RETRIES = 2
COMPENSATION_RETRIES = 3
#: Caps the third compensation retry wait (1 s doubling would be 4 s).
COMPENSATION_MAX_DELAY_SECONDS = 3


class OutOfStockError(Exception):
    """A business failure raised by a handler."""


class Saga:
    """The synthesized saga and the Lambda function constructs it calls."""

    def __init__(self) -> None:
        app = cdk.App()
        stack = cdk.Stack(app, "Test")
        self.functions: dict[str, lambda_.Function] = {}
        steps = []
        for name, compensated in STEPS.items():
            action = SagaAction.lambda_function(self._function(stack, f"{name}Fn"))
            compensation = SagaAction.lambda_function(self._function(stack, f"Undo{name}Fn")) if compensated else None
            steps.append(
                SagaStep(
                    name,
                    action=action,
                    compensation=compensation,
                    retry=SagaRetry(max_attempts=ACTION_RETRIES),
                    compensation_retry=SagaRetry(
                        max_attempts=COMPENSATION_RETRIES,
                        max_delay=cdk.Duration.seconds(COMPENSATION_MAX_DELAY_SECONDS),
                    )
                    if compensated
                    else None,
                )
            )
        self.saga = SagaWorkflow(stack, "Saga", steps=steps, owner="team-orders", timeout=cdk.Duration.hours(1))
        self.synth = SynthesizedApp.from_stack(stack)
        self.machine = self.synth.state_machine("Test/Saga/Machine")

    def _function(self, stack: cdk.Stack, name: str) -> lambda_.Function:
        function = lambda_.Function(
            stack,
            name,
            runtime=lambda_.Runtime.PYTHON_3_13,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
        )
        self.functions[name] = function
        return function


@pytest.fixture(scope="module")
def saga() -> Saga:
    """The saga, synthesized once for the module."""
    return Saga()


class Calls:
    """Every handler call, in order: (function id, event)."""

    def __init__(self) -> None:
        self.log: list[tuple[str, dict[str, Any]]] = []

    def handler(self, name: str, *, fails: bool = False, fail_times: int | None = None) -> Callable[..., Any]:
        """A handler that records its call, then returns a result or raises OutOfStockError."""

        def handle(event: dict[str, Any], context: Any) -> Any:
            self.log.append((name, event))
            failures_so_far = sum(1 for called, _ in self.log if called == name) - 1
            if fails and (fail_times is None or failures_so_far < fail_times):
                raise OutOfStockError(f"{name} cannot go on")
            return {"done": name}

        return handle

    def names(self) -> list[str]:
        """Function ids in call order."""
        return [name for name, _ in self.log]

    def events_of(self, name: str) -> list[dict[str, Any]]:
        """The events ``name`` received."""
        return [event for called, event in self.log if called == name]


def runner_for(
    saga: Saga,
    machine: StateMachineUnderTest,
    calls: Calls,
    *,
    failing_action: str | None = None,
    failing_compensation: str | None = None,
    **options: Any,
) -> WorkflowRunner:
    """A runner with every function bound; the named action or compensation always fails."""
    runner = machine.runner(**options)
    for name, compensated in STEPS.items():
        runner.bind_lambda(saga.functions[f"{name}Fn"], calls.handler(name, fails=name == failing_action))
        if compensated:
            undo = f"Undo{name}"
            runner.bind_lambda(saga.functions[f"{undo}Fn"], calls.handler(undo, fails=name == failing_compensation))
    return runner


def compensated_before(step: str) -> list[str]:
    """The steps before ``step`` that have a compensation, in reverse order."""
    names = list(STEPS)
    return [name for name in reversed(names[: names.index(step)]) if STEPS[name]]


def assert_compensated_in_reverse(run: Any, calls: Calls, failed_step: str) -> None:
    """The saga guarantee for a failure of ``failed_step``; raises AssertionError when broken."""
    names = list(STEPS)
    done = names[: names.index(failed_step)]
    undone = compensated_before(failed_step)
    # The failed action ran 1 + retries times, after the earlier actions and before any compensation.
    assert calls.names() == [*done, *[failed_step] * (1 + ACTION_RETRIES), *[f"Undo{name}" for name in undone]], (
        calls.names()
    )
    expected_states = [
        "Start",
        *done,
        failed_step,
        f"{failed_step}Failed",
        *[f"Compensate{name}" for name in undone],
        "Compensated",
    ]
    assert run.states_entered == expected_states, run.describe()
    assert run.status == "FAILED", run.describe()
    assert run.error == "Saga.Compensated"
    assert run.cause.startswith(f"Step {failed_step} failed (OutOfStockError)"), run.cause
    for name in undone:
        [event] = calls.events_of(f"Undo{name}")
        error = event.pop("error")
        assert error["Error"] == "OutOfStockError"
        assert json.loads(error["Cause"])["errorMessage"] == f"{failed_step} cannot go on"
        assert event == {
            "input": ORDER,
            "results": {done_name: {"done": done_name} for done_name in done},
            "failedStep": failed_step,
            "step": name,
            "idempotencyKey": f"{run.name}:{name}:compensation",
            "actionIdempotencyKey": f"{run.name}:{name}",
        }


def test_the_happy_path_runs_every_step_once_and_succeeds(saga: Saga) -> None:
    calls = Calls()
    run = runner_for(saga, saga.machine, calls).run(ORDER, name="happy")
    assert run.status == "SUCCEEDED", run.describe()
    assert run.states_entered == ["Start", *STEPS, "Succeeded"]
    assert calls.names() == list(STEPS)
    assert run.output == {
        "input": ORDER,
        "results": {name: {"done": name} for name in STEPS},
        "compensations": {},
    }
    # Each forward action gets the input, the results so far and its idempotency key.
    charge = calls.events_of("Charge")[0]
    assert charge == {
        "input": ORDER,
        "results": {"Reserve": {"done": "Reserve"}},
        "step": "Charge",
        "idempotencyKey": "happy:Charge",
    }


@pytest.mark.parametrize("failed_step", list(STEPS))
def test_a_failed_step_compensates_the_earlier_steps_in_reverse_order(saga: Saga, failed_step: str) -> None:
    calls = Calls()
    runner = runner_for(saga, saga.machine, calls, failing_action=failed_step)
    run = runner.run(ORDER, name=f"fail-{failed_step.lower()}")
    assert_compensated_in_reverse(run, calls, failed_step)


def test_a_transient_failure_is_retried_and_nothing_is_compensated(saga: Saga) -> None:
    calls = Calls()
    runner = saga.machine.runner()
    for name, compensated in STEPS.items():
        fails = name == "Charge"
        runner.bind_lambda(saga.functions[f"{name}Fn"], calls.handler(name, fails=fails, fail_times=ACTION_RETRIES))
        if compensated:
            runner.bind_lambda(saga.functions[f"Undo{name}Fn"], calls.handler(f"Undo{name}"))
    run = runner.run(ORDER, name="flaky")
    assert run.status == "SUCCEEDED", run.describe()
    assert calls.names() == ["Reserve", *["Charge"] * (1 + ACTION_RETRIES), "Audit", "Ship", "Confirm"]
    assert not any(name.startswith("Undo") for name in calls.names())


def miswired(machine: StateMachineUnderTest) -> StateMachineUnderTest:
    """The same machine with the compensations of Charge and Reserve swapped in the chain."""
    definition = copy.deepcopy(machine.definition)
    states = definition["States"]
    assert states["ShipFailed"]["Next"] == "CompensateCharge"
    assert states["CompensateCharge"]["Next"] == "CompensateReserve"
    states["ShipFailed"]["Next"] = "CompensateReserve"
    states["CompensateReserve"]["Next"] = "CompensateCharge"
    states["CompensateCharge"]["Next"] = "Compensated"
    return dataclasses.replace(machine, definition=definition)


def test_the_order_assertion_rejects_a_miswired_definition(saga: Saga) -> None:
    calls = Calls()
    broken = miswired(saga.machine)
    run = runner_for(saga, broken, calls, failing_action="Ship").run(ORDER, name="miswired")
    # The broken machine still ends "compensated": only the order check can tell.
    assert run.error == "Saga.Compensated"
    assert set(calls.names()) >= {"UndoCharge", "UndoReserve"}
    with pytest.raises(AssertionError):
        assert_compensated_in_reverse(run, calls, "Ship")


# --- a compensation that fails: the dead-letter record -------------------------------------


@pytest.fixture(scope="module")
def session(moto_endpoint: str) -> Any:
    """A boto3 session with fake credentials."""
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


def test_a_failing_compensation_writes_the_dead_letter_record_to_sqs(
    saga: Saga, moto_endpoint: str, session: Any
) -> None:
    sqs = session.client("sqs", endpoint_url=moto_endpoint)
    queue_url = sqs.create_queue(QueueName="saga-dead-letters")["QueueUrl"]
    calls = Calls()
    runner = runner_for(
        saga,
        saga.machine,
        calls,
        failing_action="Ship",
        failing_compensation="Charge",
        values={saga.saga.dead_letter_queue: "saga-dead-letters"},
        sdk=Boto3Integrations(session=session, endpoint_url=moto_endpoint),
    )
    run = runner.run(ORDER, name="refund-broken")

    assert run.status == "FAILED", run.describe()
    assert run.error == "Saga.CompensationFailed"
    assert run.cause == (
        "Step Ship failed (OutOfStockError); compensating step Charge failed (OutOfStockError); "
        "the dead-letter queue holds the record for clean-up"
    )
    assert run.states_entered == [
        "Start",
        "Reserve",
        "Charge",
        "Audit",
        "Ship",
        "ShipFailed",
        "CompensateCharge",
        "CompensateChargeFailed",
        "RecordCompensationFailure",
        "CompensationFailed",
    ]
    # The compensation was retried before it was given up; Reserve's was never reached.
    assert calls.names()[-(1 + COMPENSATION_RETRIES) :] == ["UndoCharge"] * (1 + COMPENSATION_RETRIES)
    assert "UndoReserve" not in calls.names()

    # The waits between attempts are jittered below 1 s, 2 s, then min(4 s, MaxDelaySeconds).
    starts = [
        event["timestamp"]
        for event in run.events
        if event["type"] == "LambdaFunctionScheduled"
        and event["lambdaFunctionScheduledEventDetails"]["resource"].endswith("<Test/UndoChargeFn>")
    ]
    waits = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(starts)]
    bounds = [1, 2, COMPENSATION_MAX_DELAY_SECONDS]
    assert len(waits) == COMPENSATION_RETRIES
    assert all(0 <= wait <= bound for wait, bound in zip(waits, bounds, strict=True)), waits
    assert waits != bounds  # full jitter: not the plain exponential waits

    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    record = json.loads(messages[0]["Body"])
    assert record["executionName"] == "refund-broken"
    assert record["executionArn"] == run.execution_arn
    assert record["failedStep"] == "Ship"
    assert record["failedCompensation"] == "Charge"
    assert record["stepError"]["Error"] == "OutOfStockError"
    assert json.loads(record["compensationError"]["Cause"])["errorMessage"] == "UndoCharge cannot go on"
    assert record["input"] == ORDER
    assert record["results"] == {name: {"done": name} for name in ("Reserve", "Charge", "Audit")}
    assert record["compensations"] == {}


class RecordingQueue:
    """Plays ``sqs:sendMessage``: records each request, or fails every one of them."""

    def __init__(self, *, fails: bool = False) -> None:
        self.fails = fails
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Record the request and answer as SQS would (or fail as an unreachable SQS would)."""
        self.requests.append(request)
        if self.fails:
            return TaskOutcome.failure("SQS.SdkClientException", "Unable to execute HTTP request")
        return TaskOutcome.success({"MessageId": f"m-{len(self.requests)}", "MD5OfMessageBody": "x"})


def test_the_dead_letter_record_names_the_queue_and_carries_the_completed_compensations(saga: Saga) -> None:
    calls = Calls()
    queue = RecordingQueue()
    runner = runner_for(saga, saga.machine, calls, failing_action="Confirm", failing_compensation="Reserve")
    runner.bind("arn:aws:states:::sqs:sendMessage", queue)
    run = runner.run(ORDER, name="release-broken")

    assert run.error == "Saga.CompensationFailed", run.describe()
    assert calls.names()[-(1 + COMPENSATION_RETRIES) - 2 :] == [
        "UndoShip",
        "UndoCharge",
        *["UndoReserve"] * (1 + COMPENSATION_RETRIES),
    ]
    [request] = queue.requests
    assert request.parameters["QueueUrl"] == saga.machine.placeholder(saga.saga.dead_letter_queue)
    body = request.parameters["MessageBody"]
    assert body["failedCompensation"] == "Reserve"
    assert body["compensations"] == {"Ship": {"done": "UndoShip"}, "Charge": {"done": "UndoCharge"}}


def test_a_dead_letter_record_that_cannot_be_written_still_fails_as_compensation_failed(saga: Saga) -> None:
    calls = Calls()
    queue = RecordingQueue(fails=True)
    runner = runner_for(saga, saga.machine, calls, failing_action="Charge", failing_compensation="Reserve")
    runner.bind("arn:aws:states:::sqs:sendMessage", queue)
    run = runner.run(ORDER, name="sqs-down")

    assert run.status == "FAILED"
    assert run.error == "Saga.CompensationFailed"
    assert run.states_entered[-2:] == ["RecordCompensationFailure", "DeadLetterNotRecorded"]
    assert "the dead-letter record could not be written (SQS.SdkClientException)" in (run.cause or "")
    assert len(queue.requests) == 1 + 5  # the default dead_letter_retry: 5 retries
