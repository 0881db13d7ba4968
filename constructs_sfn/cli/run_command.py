"""``constructs-sfn run``: run one state machine on the local client and show what it did."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.errors import ErrorName
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.cli.console import UsageError, emit, json_text, option_text, parse_json_option
from constructs_sfn.cli.handlers import load_handler, parse_handler_spec, resolve_function
from constructs_sfn.cli.sources import MachineSource, pick_machine
from constructs_sfn.cli.timeline import TimelineRecorder, aws_json_value, render_event_table, render_timeline
from constructs_sfn.integrations import MOCK_CONFIG_ENV_VAR, FunctionRef, MockConfig, MockConfigError, TaskServices
from constructs_sfn.integrations.resources import parse_resource
from constructs_sfn.local import LocalStepFunctions
from constructs_sfn.local.definitions import check_definition

__all__ = ["register_run", "run_run"]

_ROLE_ARN = "arn:aws:iam::123456789012:role/constructs-sfn-local"
_YEAR_SECONDS = 365 * 24 * 3600
_DESCRIPTION = """\
Run a state machine on the local executor and print what it did: one line per state (when it
started, its type, how long it took on the virtual clock, and its outcome: the next state, retries,
caught errors), then the final status and the output or the error and cause.

Time is virtual: Wait states, retry back-off and timeouts take no real time. Task states are
served by, in this order: the mock configuration's test case (--mock-config with --test-case, as
AWS Step Functions Local does), Python handlers bound to Lambda functions (--handler), and, with
--aws, real AWS SDK calls. Any other Task fails with States.Runtime, naming the state.

Exit status: 0 when the execution succeeded, 1 when it failed, timed out or was aborted,
2 for a usage error (a missing or invalid file, a bad option).
"""
_EPILOG = """\
examples:
  constructs-sfn run machine.asl.json --input '{"orderId": "o-1"}'
  constructs-sfn run cdk.out --state-machine Shop/Orders --input @order.json --history
  constructs-sfn run machine.asl.json --mock-config MockConfigFile.json --test-case HappyPath --json
  constructs-sfn run machine.asl.json --handler Charge=handlers:charge
"""


def register_run(commands: Any) -> None:
    """Add the ``run`` sub-command to the ``constructs-sfn`` sub-parsers ``commands``."""
    parser = commands.add_parser(
        "run",
        help="run a state machine locally and show its path, outcome and history",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="an ASL definition (JSON or YAML), a CloudFormation template (JSON) or a cloud assembly "
        "directory (cdk.out)",
    )
    parser.add_argument(
        "--state-machine",
        metavar="ID",
        default=None,
        help="which state machine of a template or cdk.out to run: its logical id or construct path "
        "(Shop/Orders, or just Orders when that is unique); needed when there are several",
    )
    parser.add_argument(
        "--input",
        default="{}",
        metavar="JSON",
        help="the execution input as JSON text, or @FILE to read it from a file (default: {})",
    )
    parser.add_argument(
        "--name",
        default=None,
        help="the state machine's name, which a mock configuration file's StateMachines are keyed by "
        "(default: the definition file's name up to the first dot; for a template, the construct id)",
    )
    parser.add_argument(
        "--type",
        dest="state_machine_type",
        type=str.upper,
        choices=("STANDARD", "EXPRESS"),
        default=None,
        help="the state machine type (default: the template's StateMachineType, else STANDARD)",
    )
    parser.add_argument(
        "--mock-config",
        metavar="FILE",
        default=None,
        help="a Step Functions Local mock configuration file (MockConfigFile.json); "
        f"default: the file named by the {MOCK_CONFIG_ENV_VAR} environment variable, if set",
    )
    parser.add_argument(
        "--test-case",
        metavar="NAME",
        default=None,
        help="the test case of the mock configuration to run (the execution is started as "
        "<state machine ARN>#NAME, as with Step Functions Local); needs a mock configuration",
    )
    parser.add_argument(
        "--handler",
        dest="handlers",
        action="append",
        default=[],
        metavar="FUNCTION=MODULE:CALLABLE",
        help="serve a Lambda function with a Python handler(event, context), imported from the current "
        "directory; FUNCTION is a function name or ARN, or for a template the function's construct "
        "path or logical id. Repeat for several functions",
    )
    parser.add_argument(
        "--aws",
        action="store_true",
        help="send Task states that nothing else serves to AWS through boto3 (credentials, region and "
        "endpoint as boto3 finds them, e.g. AWS_ENDPOINT_URL for LocalStack or moto)",
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help="also print the execution history: a table of events, or with --json the events as "
        "GetExecutionHistory returns them",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON shaped like DescribeExecution (timestamps in ISO 8601 with "
        "milliseconds, as the AWS CLI shows them)",
    )
    parser.set_defaults(handler=run_run)


class _ExplainedUnbound:
    """The services of a run; a Task nothing serves fails with advice in terms of this command's options."""

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


def _mock_config(args: argparse.Namespace, machine: MachineSource) -> MockConfig | None:
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


def _services(args: argparse.Namespace, machine: MachineSource) -> TaskServices:
    sdk = None
    if args.aws:
        from constructs_sfn.integrations import Boto3Integrations

        sdk = Boto3Integrations()
    services = TaskServices(read_env=False, sdk=sdk)
    for given in args.handlers:
        spec = parse_handler_spec(given)
        services.bind_lambda(resolve_function(spec, machine.machine), load_handler(spec))
    return services


def _checked(machine: MachineSource) -> None:
    checked = check_definition(machine.definition_text, state_machine_type=machine.state_machine_type)
    errors = checked.errors
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; 'constructs-sfn validate' lists them all)" if len(errors) > 1 else ""
        where = f"{first.location}: " if first.location else ""
        raise UsageError(machine.with_notes(f"{machine.label}: {where}{first.message}{more}", first.location))


def run_run(args: argparse.Namespace) -> int:
    """Run the state machine ``args`` name; print the timeline or JSON; return the exit status."""
    from botocore.exceptions import ClientError, ParamValidationError

    machine = pick_machine(args.source, args.state_machine, state_machine_type=args.state_machine_type)
    if args.name is not None:
        machine = machine.renamed(args.name)
    input_text = option_text(args.input)
    parse_json_option(args.input, "--input")
    _checked(machine)
    for note in machine.yaml_notes:
        emit(f"constructs-sfn: note: {machine.label}: {note}", sys.stderr)
    config = _mock_config(args, machine)
    recorder = TimelineRecorder()
    client = LocalStepFunctions(
        services=_ExplainedUnbound(_services(args, machine), aws=args.aws),
        mock_config=config,
        observer=recorder,
        express_history=True,
    )
    express = machine.state_machine_type == "EXPRESS"
    try:
        created = client.create_state_machine(
            name=machine.name, definition=machine.definition_text, roleArn=_ROLE_ARN, type=machine.state_machine_type
        )
        arn = created["stateMachineArn"] + (f"#{args.test_case}" if args.test_case else "")
        if express:
            body = client.start_sync_execution(stateMachineArn=arn, input=input_text)
        else:
            started = client.start_execution(stateMachineArn=arn, input=input_text)
            _let_time_pass(client, started["executionArn"], machine)
            body = client.describe_execution(executionArn=started["executionArn"])
    except (ClientError, ParamValidationError) as error:
        raise UsageError(f"{machine.label}: {error}") from None
    body.pop("ResponseMetadata", None)
    execution = client.local_execution(body["executionArn"])
    if args.json:
        document = dict(body)
        if args.history:
            from constructs_sfn.local.shapes import history_events

            document["events"] = history_events(execution.events)
        emit(json_text(aws_json_value(document), indent=4))
    else:
        definition = json.loads(machine.definition_text)
        for line in render_timeline(recorder, definition, start=execution.start_date, running=False):
            emit(line)
        _summary(body, execution)
        if args.history:
            emit("")
            for line in render_event_table(execution.events):
                emit(line)
    return 0 if body["status"] == "SUCCEEDED" else 1


def _let_time_pass(client: LocalStepFunctions, execution_arn: str, machine: MachineSource) -> None:
    """An execution still running waits for a task token or an activity worker that a local run does
    not have: say so, then let virtual time pass so its timeouts (at the latest the execution's own
    one year) decide how it ends, as they would on AWS when nobody answers."""
    execution = client.local_execution(execution_arn)
    if execution.status != "RUNNING":
        return
    states = sorted({str(details.get("state", "?")) for details in execution.tokens.values()}) or ["?"]
    emit(
        f"constructs-sfn: note: {machine.label}: waiting for a task token at state(s) {', '.join(states)}, "
        "which nothing answers in a local run (mock the state with --mock-config/--test-case); "
        "letting virtual time pass until a timeout ends the wait",
        sys.stderr,
    )
    client.advance_clock(_YEAR_SECONDS - execution.seconds_since_start())


def _summary(body: dict[str, Any], execution: Any) -> None:
    status = body["status"]
    seconds = execution.seconds_since_start()
    emit(f"{status} after {seconds:g}s of workflow time ({len(execution.events)} history events)")
    if status == "SUCCEEDED":
        emit(f"output: {body.get('output', 'null')}")
        return
    if body.get("error") is not None:
        emit(f"error: {body['error']}")
    if body.get("cause") is not None:
        emit(f"cause: {body['cause']}")
