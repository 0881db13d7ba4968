"""Run a state machine taken out of a synthesized app on the local executor.

::

    runner = machine.runner()
    runner.bind_lambda(stack.charge_fn, charge)         # the construct itself, its path or logical id
    run = runner.run({"orderId": "o-1"}, name="happy")
    assert run.status == "SUCCEEDED", run.describe()

A runner owns one :class:`~constructs_sfn.local.LocalStepFunctions` (virtual clock starting at
the same fixed instant as every other entry point, so a scenario's history is the same wherever it
runs) and one :class:`~constructs_sfn.integrations.TaskServices`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.runtime import to_json_text
from constructs_sfn.asl.runtime.observer import ExecutionObserver
from constructs_sfn.asl.services import TaskService
from constructs_sfn.integrations import FunctionRef, LambdaHandler, MockConfig, TaskServices
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.testing.placeholders import PlaceholderError

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime import Execution
    from constructs_sfn.testing.definitions import StateMachineUnderTest

__all__ = ["ScenarioRun", "WorkflowRunner"]

_LAMBDA = "AWS::Lambda::Function"
_ROLE_ARN = "arn:aws:iam::123456789012:role/constructs-sfn-local"
_MACHINE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


class WorkflowRunner:
    """One state machine on a local client, with its Task integrations bound by construct."""

    def __init__(
        self,
        machine: StateMachineUnderTest,
        *,
        values: Mapping[Any, str] | None = None,
        services: TaskServices | None = None,
        sdk: TaskService | None = None,
        mock_config: MockConfig | Mapping[str, Any] | str | None = None,
        wrap: Callable[[TaskService], TaskService] | None = None,
        observer: ExecutionObserver | None = None,
        state_machine_name: str | None = None,
    ) -> None:
        """Create the state machine on a fresh local client.

        :param values: replace placeholders by real values, e.g. ``{bucket: "my-test-bucket"}``
            (the key is a construct, its path, a logical id, or a placeholder text). The name
            inside the placeholder is replaced, so ``arn:aws:s3:::<Stack/Bucket>`` becomes
            ``arn:aws:s3:::my-test-bucket`` too. Default: - placeholders stay as they are.
        :param services: Default: - a new ``TaskServices`` (no SDK calls, no environment mocks).
        :param sdk: the service for AWS calls no binding serves, e.g. ``Boto3Integrations(...)``.
            Default: - AWS integrations fail as unbound.
        :param mock_config: a Step Functions Local mock configuration; select a test case with
            ``run(..., test_case=...)``. Its state machine name is :attr:`state_machine_name`.
        :param wrap: wraps the services the executor calls (duplicate delivery, recording ...).
        :param observer: an execution observer (coverage). Default: - none.
        :param state_machine_name: Default: - the machine's construct id (``Checkout``).
        """
        self.machine = machine
        if services is None:
            services = TaskServices(sdk=sdk, mock_config=mock_config, read_env=False)
        else:
            if sdk is not None:
                services.sdk = sdk
            if mock_config is not None:
                services.use_mock_config(mock_config)
        self.services = services
        self.state_machine_name = state_machine_name or _machine_name(machine)
        self.definition = _substituted(machine, values or {})
        dispatch: TaskService = wrap(services) if wrap is not None else services
        self.client = LocalStepFunctions(services=dispatch, observer=observer, express_history=True)
        created = self.client.create_state_machine(
            name=self.state_machine_name,
            definition=json.dumps(self.definition, separators=(",", ":"), ensure_ascii=False),
            roleArn=_ROLE_ARN,
            type=machine.state_machine_type,
        )
        self.state_machine_arn: str = created["stateMachineArn"]
        self._count = 0

    # -- bindings -------------------------------------------------------------------------------
    def bind_lambda(self, function: Any, handler: LambdaHandler, *, resolves_callback: bool = False) -> WorkflowRunner:
        """Serve a Lambda function the machine calls with a Python ``handler(event, context)``.

        ``function``: the function construct, its construct path, its logical id, or a plain
        function name/ARN (for functions defined outside the app). A construct or path the
        machine never calls is refused, naming the functions it does call.
        """
        self.services.bind_lambda(self.lambda_name(function), handler, resolves_callback=resolves_callback)
        return self

    def bind(self, resource: str, service: TaskService) -> WorkflowRunner:
        """Serve Tasks whose ``Resource`` is ``resource`` with ``service`` (see ``TaskServices.bind``)."""
        self.services.bind(resource, service)
        return self

    def lambda_name(self, function: Any) -> str:
        """The function name the definition uses for ``function`` (a construct, path, id or name)."""
        if isinstance(function, str):
            placeholder = self.machine.placeholders.get(function)
            if placeholder is not None:
                return f"<{placeholder.name}>"
        logical_ids = set(self.machine.logical_ids_for(function))
        called = self.machine.referenced(_LAMBDA)
        for placeholder in called:
            if placeholder.logical_id in logical_ids:
                return f"<{placeholder.name}>"
        if isinstance(function, str) and not logical_ids and FunctionRef.parse(function) is not None:
            return function  # a function defined outside the app, by name or ARN
        names = ", ".join(sorted({repr(p.name) for p in called})) or "none"
        what = repr(function) if isinstance(function, str) else f"construct {function.node.path!r}"
        raise PlaceholderError(
            f"{self.machine.name}: {what} is not a Lambda function this state machine calls; it calls: {names}"
        )

    # -- running --------------------------------------------------------------------------------
    def run(
        self,
        input: Any = None,
        *,
        name: str | None = None,
        test_case: str | None = None,
    ) -> ScenarioRun:
        """Start an execution and run it until it finishes or waits (a task token, a timer)."""
        self._count += 1
        arn = self.state_machine_arn if test_case is None else f"{self.state_machine_arn}#{test_case}"
        text = input if isinstance(input, str) else to_json_text({} if input is None else input)
        started = self.client.start_execution(stateMachineArn=arn, name=name or f"run-{self._count}", input=text)
        return ScenarioRun(self, started["executionArn"], name or f"run-{self._count}")

    def advance_clock(self, seconds: float) -> None:
        """Let virtual time pass for every waiting execution (timeouts fire, Waits end)."""
        self.client.advance_clock(seconds)


class ScenarioRun:
    """A live view of one execution: its properties always show the current state."""

    def __init__(self, runner: WorkflowRunner, execution_arn: str, name: str) -> None:
        self.runner = runner
        self.execution_arn = execution_arn
        self.name = name

    @property
    def execution(self) -> Execution:
        """The executor's object for this execution."""
        return self.runner.client.local_execution(self.execution_arn)

    @property
    def status(self) -> str:
        """``RUNNING``, ``SUCCEEDED``, ``FAILED``, ``TIMED_OUT`` or ``ABORTED``."""
        return self.execution.status

    @property
    def output(self) -> Any:
        """The execution's output (parsed JSON), None unless it succeeded."""
        return self.execution.output

    @property
    def error(self) -> str | None:
        """The error name of a failed execution."""
        return self.execution.error

    @property
    def cause(self) -> str | None:
        """The cause of a failed execution."""
        return self.execution.cause

    @property
    def events(self) -> list[dict[str, Any]]:
        """The AWS-shaped history events."""
        return self.execution.events

    @property
    def states_entered(self) -> list[str]:
        """Names of the states entered, in order (Map iterations and branches included)."""
        return [
            event["stateEnteredEventDetails"]["name"] for event in self.events if "stateEnteredEventDetails" in event
        ]

    @property
    def pending_tokens(self) -> list[str]:
        """Task tokens the execution is waiting on (callbacks and activities)."""
        return list(self.execution.tokens)

    def send_task_success(self, output: Any, *, token: str | None = None) -> ScenarioRun:
        """Answer the (only, or given) pending token with ``output``; the execution moves on."""
        self.runner.client.send_task_success(taskToken=token or self._only_token(), output=to_json_text(output))
        return self

    def send_task_failure(self, error: str, cause: str = "", *, token: str | None = None) -> ScenarioRun:
        """Fail the (only, or given) pending token; Retry/Catch of the waiting state apply."""
        self.runner.client.send_task_failure(taskToken=token or self._only_token(), error=error, cause=cause)
        return self

    def _only_token(self) -> str:
        tokens = self.pending_tokens
        if len(tokens) != 1:
            raise PlaceholderError(f"{self.name}: expected one pending task token, found {len(tokens)}; pass token=")
        return tokens[0]

    def describe(self) -> str:
        """One readable paragraph: status, error, output, and the states entered."""
        lines = [f"execution {self.name!r}: {self.status}"]
        if self.error is not None or self.cause is not None:
            lines.append(f"  error: {self.error}  cause: {self.cause}")
        if self.status == "SUCCEEDED":
            lines.append(f"  output: {to_json_text(self.output)}")
        lines.append(f"  states entered: {' -> '.join(self.states_entered) or '(none)'}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ScenarioRun(name={self.name!r}, status={self.status!r})"


def _machine_name(machine: StateMachineUnderTest) -> str:
    last = machine.name.rsplit("/", 1)[-1]
    return _MACHINE_NAME.sub("-", last)[:80] or "StateMachine"


def _substituted(machine: StateMachineUnderTest, values: Mapping[Any, str]) -> dict[str, Any]:
    if not values:
        return machine.definition
    text = json.dumps(machine.definition, ensure_ascii=False)
    for key, value in values.items():
        if not isinstance(value, str):
            raise PlaceholderError(f"values: the value for {key!r} must be a string, got {type(value).__name__}")
        escaped = json.dumps(value, ensure_ascii=False)[1:-1]
        if isinstance(key, str) and key in machine.placeholders:
            text = text.replace(json.dumps(key, ensure_ascii=False)[1:-1], escaped)
            continue
        logical_ids = machine.logical_ids_for(key)
        names = {p.name for p in machine.placeholders.values() if p.logical_id in logical_ids}
        if not names:
            described = repr(key) if isinstance(key, str) else f"construct {key.node.path!r}"
            used = ", ".join(sorted({repr(p.name) for p in machine.placeholders.values()})) or "none"
            raise PlaceholderError(f"values: {described} is not referenced by {machine.name}; it references: {used}")
        for name in names:
            text = text.replace(json.dumps(f"<{name}>", ensure_ascii=False)[1:-1], escaped)
    result: dict[str, Any] = json.loads(text)
    return result
