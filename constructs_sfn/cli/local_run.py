"""One local run of a state machine for a command: what ``run``, ``graph --input`` and ``cost --input``
share.

The Task states of a run are served, in this order, by a mock configuration's test case
(``--mock-config`` / ``SFN_MOCK_CONFIG`` with ``--test-case``, as AWS Step Functions Local does),
Python handlers bound to Lambda functions (``--handler``) and, with ``--aws``, boto3. A Task that
nothing serves fails with ``States.Runtime`` and a cause that says which of these options would
serve it. A run that waits for a task token nobody sends lets virtual time pass until a timeout
ends it, as AWS would when nobody answers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.cli.console import UsageError, api_error_text, emit, option_text, parse_json_option
from constructs_sfn.cli.handlers import check_handler_is_called, load_handler, parse_handler_spec, resolve_function
from constructs_sfn.cli.sources import MachineSource
from constructs_sfn.integrations import MOCK_CONFIG_ENV_VAR, FunctionRef, MockConfig, MockConfigError, TaskServices
from constructs_sfn.integrations.resources import parse_resource
from constructs_sfn.local import LocalStepFunctions

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime import Execution
    from constructs_sfn.asl.runtime.observer import ExecutionObserver

__all__ = [
    "ROLE_ARN",
    "ExplainedUnbound",
    "LocalRun",
    "add_task_options",
    "mock_config_of",
    "refuse_task_options",
    "run_locally",
    "services_of",
]

ROLE_ARN = "arn:aws:iam::123456789012:role/constructs-sfn-local"
"""The execution role every local state machine is created with (nothing is assumed locally)."""
_YEAR_SECONDS = 365 * 24 * 3600


def add_task_options(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """Add ``--mock-config``, ``--test-case``, ``--handler`` and ``--aws``; ``prefix`` starts each
    help text (``"for --input: "`` where the options only matter for a local run)."""
    parser.add_argument(
        "--mock-config",
        metavar="FILE",
        default=None,
        help=f"{prefix}a Step Functions Local mock configuration file (MockConfigFile.json); "
        f"default: the file named by the {MOCK_CONFIG_ENV_VAR} environment variable, if set",
    )
    parser.add_argument(
        "--test-case",
        metavar="NAME",
        default=None,
        help=f"{prefix}the test case of the mock configuration to run (the execution is started as "
        "<state machine ARN>#NAME, as with Step Functions Local); needs a mock configuration",
    )
    parser.add_argument(
        "--handler",
        dest="handlers",
        action="append",
        default=[],
        metavar="FUNCTION=MODULE:CALLABLE",
        help=f"{prefix}serve a Lambda function with a Python handler(event, context), imported from the "
        "current directory; FUNCTION is a function name or ARN, or for a template the function's "
        "construct path (or its last part, when unique) or logical id. Repeat for several functions",
    )
    parser.add_argument(
        "--aws",
        action="store_true",
        help=f"{prefix}send Task states that nothing else serves to AWS through boto3 (credentials, region "
        "and endpoint as boto3 finds them, e.g. AWS_ENDPOINT_URL for LocalStack or moto)",
    )


def refuse_task_options(args: argparse.Namespace, why: str) -> None:
    """A task option given where no local run happens would be silently ignored: a
    :class:`UsageError` saying ``why`` instead (``"they serve the Tasks of an --input run"``)."""
    given = [
        option
        for option, value in (
            ("--mock-config", args.mock_config),
            ("--test-case", args.test_case),
            ("--handler", args.handlers),
            ("--aws", args.aws),
        )
        if value
    ]
    if given:
        raise UsageError(f"{', '.join(given)}: {why}")


class ExplainedUnbound:
    """The services of a run; a Task nothing serves fails with advice in terms of the command's options."""

    def __init__(self, services: TaskServices, *, aws: bool) -> None:
        self.services = services
        self.aws = aws

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        """Route ``request``; explain how to serve it when nothing does."""
        outcome = self.services.route(request)
        if outcome is not None:
            return outcome
        kind = parse_resource(request.resource).kind
        ways = ["mock it (--mock-config FILE --test-case NAME)"]
        if kind == "lambda-function" or request.resource.startswith("arn:aws:states:::lambda:invoke"):
            ways.append(f"bind a Python handler (--handler {_function_of(request)}=module:function)")
        if kind in ("optimized", "aws-sdk", "lambda-function") and not self.aws:
            ways.append("call AWS with --aws (endpoint from AWS_ENDPOINT_URL)")
        if kind == "activity":
            ways.append("activities need a worker, which a local run does not have")
        cause = (
            f"Nothing serves resource '{request.resource}' of state '{request.state_name}' in this local run; "
            f"{', or '.join(ways)}."
        )
        return TaskOutcome.failure(ErrorName.RUNTIME, cause)


def _function_of(request: TaskRequest) -> str:
    """How ``--handler`` names the function a Lambda Task calls: a template's construct path
    (the placeholder ``<Shop/ChargeFn>``), else the function name; FUNCTION when unknown."""
    target = request.resource
    if parse_resource(target).kind != "lambda-function":
        parameters = request.parameters if isinstance(request.parameters, Mapping) else {}
        name = parameters.get("FunctionName")
        target = name if isinstance(name, str) else ""
    function = FunctionRef.parse(target) if target else None
    if function is None:
        return "FUNCTION"
    return function.name[1:-1] if function.name.startswith("<") else function.name


def mock_config_of(args: argparse.Namespace, machine: MachineSource) -> MockConfig | None:
    """The mock configuration of ``--mock-config`` (else ``SFN_MOCK_CONFIG``), its ``--test-case``
    checked for ``machine``; a :class:`UsageError` listing what the file defines otherwise."""
    path = args.mock_config or os.environ.get(MOCK_CONFIG_ENV_VAR) or None
    if path is None:
        if args.test_case is not None:
            raise UsageError(
                f"--test-case {args.test_case}: needs a mock configuration; give --mock-config FILE "
                f"or set {MOCK_CONFIG_ENV_VAR}"
            )
        return None
    try:
        config = MockConfig.from_path(path)
        if args.test_case is not None:
            config.test_case(machine.name, args.test_case)
    except MockConfigError as error:
        hint = " (--name sets the state machine's name)" if "has no state machine" in str(error) else ""
        raise UsageError(f"{error}{hint}") from None
    if args.test_case is None and args.mock_config is not None:
        # As with Step Functions Local, mocks apply only to executions started for a test case.
        emit("constructs-sfn: note: --mock-config without --test-case: no state is mocked", sys.stderr)
    return config


def services_of(args: argparse.Namespace, machine: MachineSource) -> ExplainedUnbound:
    """The Task services of ``--handler`` and ``--aws``, explaining any Task they leave unserved."""
    sdk = None
    if args.aws:
        from constructs_sfn.integrations import Boto3Integrations

        sdk = Boto3Integrations()
    services = TaskServices(read_env=False, sdk=sdk)
    for given in args.handlers:
        spec = parse_handler_spec(given)
        function = resolve_function(spec, machine.machine)
        check_handler_is_called(spec, function, machine.definition_text, machine.label)
        services.bind_lambda(function, load_handler(spec))
    return ExplainedUnbound(services, aws=args.aws)


@dataclass(frozen=True)
class LocalRun:
    """A finished local run: the client that ran it, ``DescribeExecution``'s (or, for an EXPRESS
    machine, ``StartSyncExecution``'s) response, and the executor's execution."""

    client: LocalStepFunctions
    body: dict[str, Any]
    execution: Execution


def run_locally(
    machine: MachineSource,
    input_option: str,
    args: argparse.Namespace,
    *,
    observer: ExecutionObserver | None = None,
) -> LocalRun:
    """Run ``machine`` on the input of ``--input`` (JSON text or ``@FILE``), its Tasks served by the
    task options in ``args`` (see :func:`add_task_options`), until it ends."""
    from botocore.exceptions import ClientError, ParamValidationError

    input_text = option_text(input_option)
    parse_json_option(input_option, "--input")
    config = mock_config_of(args, machine)
    client = LocalStepFunctions(
        services=services_of(args, machine), mock_config=config, observer=observer, express_history=True
    )
    try:
        created = client.create_state_machine(
            name=machine.name, definition=machine.definition_text, roleArn=ROLE_ARN, type=machine.state_machine_type
        )
        arn = created["stateMachineArn"] + (f"#{args.test_case}" if args.test_case else "")
        if machine.state_machine_type == "EXPRESS":
            body = client.start_sync_execution(stateMachineArn=arn, input=input_text)
        else:
            started = client.start_execution(stateMachineArn=arn, input=input_text)
            _let_time_pass(client, started["executionArn"], machine)
            body = client.describe_execution(executionArn=started["executionArn"])
    except (ClientError, ParamValidationError) as error:
        raise UsageError(f"{machine.label}: {api_error_text(error)}") from None
    body.pop("ResponseMetadata", None)
    return LocalRun(client, body, client.local_execution(body["executionArn"]))


def _let_time_pass(client: LocalStepFunctions, execution_arn: str, machine: MachineSource) -> None:
    """An execution still running waits for a task token or an activity worker that a local run does
    not have: say so, then let virtual time pass so its timeouts (at the latest the execution's own
    one year) decide how it ends, as they would on AWS when nobody answers."""
    execution = client.local_execution(execution_arn)
    if execution.status != "RUNNING":
        return
    waits = list(execution.tokens.values())
    states = sorted({str(details.get("state", "?")) for details in waits}) or ["?"]
    activity = bool(waits) and all(details.get("kind") == "activity" for details in waits)
    what = "an activity worker" if activity else "a task token"
    emit(
        f"constructs-sfn: note: {machine.label}: waiting for {what} at state(s) {', '.join(states)}, "
        "which nothing answers in a local run (mock the state with --mock-config/--test-case); "
        "letting virtual time pass until a timeout ends the wait",
        sys.stderr,
    )
    client.advance_clock(_YEAR_SECONDS - execution.seconds_since_start())
