"""``constructs_sfn/cli/local_run.py`` through the installed console script: ``run``, ``graph --input``
and ``cost --input`` serve Task states the same way (mock configuration, handlers, --aws), refuse
the same mistakes with the same messages, and let a run that waits for a task token time out."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]
JsonFile = Callable[[Path, Any], Path]

CHARGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:Charge"
CHARGE = {
    "StartAt": "Charge",
    "States": {"Charge": {"Type": "Task", "Resource": CHARGE_ARN, "TimeoutSeconds": 60, "End": True}},
}
INVOKE = {
    "StartAt": "Ship",
    "States": {
        "Ship": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "Ship", "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "TimeoutSeconds": 60,
            "End": True,
        }
    },
}
# One command line per command that runs a machine locally; the machine file comes first.
COMMANDS: dict[str, list[str]] = {
    "run": ["run"],
    "graph": ["graph", "-o", "out.html"],
    "cost": ["cost"],
}


def command(name: str, machine: Path, *options: str) -> list[str]:
    """The command line of ``name`` running ``machine`` on ``{}`` with ``options``."""
    head, *rest = COMMANDS[name]
    return [head, str(machine), *rest, "--input", "{}", *options]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_handler_for_a_function_no_task_calls_is_refused(
    cli: Cli, tmp_path: Path, json_file: JsonFile, name: str
) -> None:
    (tmp_path / "payments.py").write_text("def charge(event, context):\n    return {}\n")
    machine = json_file(tmp_path / "checkout.asl.json", CHARGE)
    result = cli(*command(name, machine, "--handler", "Chrage=payments:charge"))
    assert result.returncode == 2
    assert result.stderr == (
        f"constructs-sfn: --handler Chrage=payments:charge: no Task state of {machine} calls function "
        "'Chrage' (it calls: Charge)\n"
    )
    assert not (tmp_path / "out.html").exists()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_handler_serves_a_lambda_invoke_task(cli: Cli, tmp_path: Path, json_file: JsonFile, name: str) -> None:
    """lambda:invoke names its function in Parameters.FunctionName:
    https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html"""
    (tmp_path / "shipping.py").write_text("def ship(event, context):\n    return {'shipped': True}\n")
    machine = json_file(tmp_path / "ship.asl.json", INVOKE)
    result = cli(*command(name, machine, "--handler", "Ship=shipping:ship"))
    assert result.returncode == 0, result.stderr
    if name == "run":
        assert 'output: {"shipped":true}' in result.stdout
    elif name == "graph":
        assert "shipped" in (tmp_path / "out.html").read_text()  # the handler's output, in the state's details
    else:
        assert "per execution: 1 state transitions" in result.stdout


def test_a_dynamic_function_name_is_not_checked(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    """FunctionName.$ picks the function at run time, so any --handler may be the one it calls."""
    (tmp_path / "shipping.py").write_text("def ship(event, context):\n    return {'shipped': event['to']}\n")
    dynamic = json.loads(json.dumps(INVOKE))
    parameters = dynamic["States"]["Ship"]["Parameters"]
    del parameters["FunctionName"]
    parameters["FunctionName.$"] = "$.function"
    machine = json_file(tmp_path / "ship.asl.json", dynamic)
    result = cli("run", machine, "--input", '{"function": "Ship", "to": "x"}', "--handler", "Ship=shipping:ship")
    assert result.returncode == 0, result.stderr
    assert 'output: {"shipped":"x"}' in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_test_case_needs_a_mock_configuration(cli: Cli, tmp_path: Path, json_file: JsonFile, name: str) -> None:
    machine = json_file(tmp_path / "checkout.asl.json", CHARGE)
    result = cli(*command(name, machine, "--test-case", "Happy"))
    assert result.returncode == 2
    assert result.stderr == (
        "constructs-sfn: --test-case Happy: needs a mock configuration; give --mock-config FILE or set SFN_MOCK_CONFIG\n"
    )


@pytest.mark.parametrize("name", ["graph", "cost"])
def test_the_mock_configuration_comes_from_sfn_mock_config(
    cli: Cli, tmp_path: Path, json_file: JsonFile, name: str
) -> None:
    """Step Functions Local reads the mock file named by SFN_MOCK_CONFIG:
    https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html"""
    machine = json_file(tmp_path / "checkout.asl.json", CHARGE)
    config = {
        "StateMachines": {"checkout": {"TestCases": {"Declined": {"Charge": "Declined"}}}},
        "MockedResponses": {"Declined": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "no funds"}}}},
    }
    mocks = json_file(tmp_path / "MockConfigFile.json", config)
    result = cli(*command(name, machine, "--test-case", "Declined"), env={"SFN_MOCK_CONFIG": str(mocks)})
    assert result.returncode == 0, result.stderr
    if name == "graph":
        assert "Card.Declined" in (tmp_path / "out.html").read_text()
    else:
        assert "per execution: 1 state transitions" in result.stdout


def test_graph_of_an_unserved_task_explains_how_to_serve_it(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    machine = json_file(tmp_path / "checkout.asl.json", CHARGE)
    result = cli(*command("graph", machine))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out.html").read_text()
    assert "Nothing serves resource" in page
    assert "--handler Charge=module:function" in page


@pytest.mark.parametrize("name", ["graph", "cost"])
def test_aws_reaches_the_endpoint_and_a_token_nobody_answers_times_out(
    cli: Cli, tmp_path: Path, json_file: JsonFile, moto_endpoint: str, name: str
) -> None:
    """--aws sends the Task to boto3, endpoint from AWS_ENDPOINT_URL (a moto server here); the
    callback Task then fails with States.Timeout after TimeoutSeconds without an answer:
    https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token"""
    import boto3

    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=moto_endpoint)
    url = sqs.create_queue(QueueName=f"graph-cost-{name}")["QueueUrl"]
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": url, "MessageBody.$": "$$.Task.Token"},
        "TimeoutSeconds": 300,
        "End": True,
    }
    machine = json_file(tmp_path / "ask.asl.json", {"StartAt": "Ask", "States": {"Ask": task}})
    result = cli(*command(name, machine, "--aws"), env={"AWS_ENDPOINT_URL": moto_endpoint})
    assert result.returncode == 0, result.stderr
    assert "waiting for a task token at state(s) Ask, which nothing answers in a local run" in result.stderr
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert message["Body"]  # the task token
    if name == "graph":
        assert "States.Timeout" in (tmp_path / "out.html").read_text()
    else:
        assert "1 state transitions, 300 s" in result.stdout  # the run lasted the Task's timeout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["graph", "checkout.asl.json", "--handler", "Charge=payments:charge", "-o", "out.svg"],
            "--handler: these serve the Task states of a local run; give --input to run the machine",
        ),
        (
            ["graph", "checkout.asl.json", "--execution", "history.json", "--aws", "--test-case", "X"],
            "--test-case, --aws: these serve the Task states of a local run; give --input to run the machine",
        ),
        (
            ["cost", "history.json", "--mock-config", "MockConfigFile.json"],
            "--mock-config: these serve the Task states of a local run, and history files are runs already",
        ),
    ],
    ids=["graph-static", "graph-history", "cost-history"],
)
def test_task_options_without_a_local_run_are_refused(
    cli: Cli, tmp_path: Path, json_file: JsonFile, args: list[str], message: str
) -> None:
    """Options that would be ignored are a usage error, so nobody believes a mock was applied."""
    json_file(tmp_path / "checkout.asl.json", CHARGE)
    json_file(tmp_path / "MockConfigFile.json", {"StateMachines": {}, "MockedResponses": {}})
    events = [
        {"id": 1, "type": "ExecutionStarted", "timestamp": "2024-01-01T00:00:00Z", "executionStartedEventDetails": {}},
        {"id": 2, "type": "ExecutionSucceeded", "timestamp": "2024-01-01T00:00:01Z", "previousEventId": 1},
    ]
    json_file(tmp_path / "history.json", {"events": events})
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr == f"constructs-sfn: {message}\n"
    assert not (tmp_path / "out.svg").exists()
