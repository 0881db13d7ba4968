"""``constructs-sfn serve`` as a separate process, driven by the AWS CLI (from PyPI) and boto3.

The configuration follows Step Functions Local's
(https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-config-options.html): account,
region, ``SFN_MOCK_CONFIG`` and per-service endpoints such as ``SQS_ENDPOINT``; mocked test cases
are started as ``<stateMachineArn>#<TestCase>``
(https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html).
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent
SCRIPT = BIN / "constructs-sfn"
AWS = BIN / "aws"

CHARGE = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "OutputPath": "$.Payload",
            "End": True,
        }
    },
}
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
MOCK_CONFIG = {
    "StateMachines": {"checkout": {"TestCases": {"Paid": {"Charge": "ChargeOk"}}}},
    "MockedResponses": {"ChargeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": 42}}}}},
}


def boto3_client(url: str) -> Any:
    """A real boto3 ``stepfunctions`` client for ``url``, with dummy credentials and no retries."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def isolated_aws_env(**extra: str) -> dict[str, str]:
    """The environment of an ``aws`` or ``constructs-sfn`` process: dummy credentials, no profile,
    no config file, no endpoint or mock configuration inherited from this process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SFN_")) and not k.endswith("_ENDPOINT")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_PAGER="",
    )
    env.update(extra)
    return env


class Served:
    """A running ``constructs-sfn serve`` process and its URL."""

    def __init__(self, process: subprocess.Popen[str], url: str, banner: str) -> None:
        self.process = process
        self.url = url
        self.banner = banner
        """The "listening on" line."""

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str, str]:
        """Send ``sig``; the exit status and the rest of stdout and stderr."""
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


def start_serve(*args: str, env: dict[str, str] | None = None) -> Served:
    """Start ``constructs-sfn serve --port 0 ARGS`` and wait for its "listening on" line."""
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or isolated_aws_env(),
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    if "listening on " not in line:
        process.kill()
        _, err = process.communicate(timeout=30)
        pytest.fail(f"constructs-sfn serve did not start: {line!r} {err!r}")
    url = line.split("listening on ", 1)[1].split(" ", 1)[0]
    return Served(process, url, line.strip())


def aws(served: Served, *args: str) -> Any:
    """Run ``aws stepfunctions ARGS`` against the endpoint; its parsed JSON output."""
    result = aws_result(served, *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def aws_result(served: Served, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``aws stepfunctions ARGS`` (extra environment ``env``) and return the finished process."""
    command = [str(AWS), "--endpoint-url", served.url, "--output", "json", "stepfunctions", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=isolated_aws_env(**env), check=False
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One ``constructs-sfn serve`` for the module, with a mock configuration, region and account."""
    assert AWS.exists(), "the AWS CLI (awscli, in the dev extra) is not installed in this environment"
    config = tmp_path_factory.mktemp("mocks") / "MockConfigFile.json"
    config.write_text(json.dumps(MOCK_CONFIG), encoding="utf-8")
    running = start_serve("--mock-config", str(config), "--region", "eu-west-1", "--account", "111122223333")
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


def test_aws_cli_create_start_describe_history(served: Served) -> None:
    """The AWS CLI, unchanged but for --endpoint-url, creates, starts, describes and reads history."""
    definition = json.dumps({"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": "hello", "End": True}}})
    created = aws(served, "create-state-machine", "--name", "hello", "--definition", definition, "--role-arn", ROLE)
    arn = created["stateMachineArn"]
    assert arn == "arn:aws:states:eu-west-1:111122223333:stateMachine:hello"
    started = aws(served, "start-execution", "--state-machine-arn", arn, "--name", "first", "--input", '{"x": 1}')
    assert started["executionArn"].endswith(":execution:hello:first")
    described = aws(served, "describe-execution", "--execution-arn", started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == "hello"
    history = aws(served, "get-execution-history", "--execution-arn", started["executionArn"])
    types = [event["type"] for event in history["events"]]
    assert types == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    for index in range(4):
        aws(served, "start-execution", "--state-machine-arn", arn, "--name", f"more-{index}")
    listed = aws(served, "list-executions", "--state-machine-arn", arn, "--page-size", "2")
    assert len(listed["executions"]) == 5  # the CLI followed nextToken across three pages


def test_aws_cli_sends_task_success_from_another_process(served: Served) -> None:
    """boto3 (this process) starts a callback execution; the AWS CLI (another process) gets the
    activity task and answers it; the execution resumes in the server (a third process)."""
    remote = boto3_client(served.url)
    activity = remote.create_activity(name="review")["activityArn"]
    definition = json.dumps(
        {"StartAt": "Review", "States": {"Review": {"Type": "Task", "Resource": activity, "End": True}}}
    )
    arn = remote.create_state_machine(name="reviews", definition=definition, roleArn=ROLE)["stateMachineArn"]
    execution = remote.start_execution(stateMachineArn=arn, input='{"doc": "a"}')["executionArn"]
    assert remote.describe_execution(executionArn=execution)["status"] == "RUNNING"
    task = aws(served, "get-activity-task", "--activity-arn", activity, "--worker-name", "cli")
    assert json.loads(task["input"]) == {"doc": "a"}
    aws(served, "send-task-success", "--task-token", task["taskToken"], "--task-output", '{"ok": true}')
    described = remote.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"ok": True}


def test_aws_cli_runs_a_mocked_test_case(served: Served) -> None:
    """``--mock-config`` and ``<arn>#<TestCase>``: the mocked Lambda result, no Lambda called."""
    arn = aws(
        served, "create-state-machine", "--name", "checkout", "--definition", json.dumps(CHARGE), "--role-arn", ROLE
    )["stateMachineArn"]
    started = aws(served, "start-execution", "--state-machine-arn", f"{arn}#Paid", "--input", '{"cart": 1}')
    described = aws(served, "describe-execution", "--execution-arn", started["executionArn"])
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"charged": 42}


def test_aws_cli_start_sync_execution_without_the_host_prefix(served: Served) -> None:
    """StartSyncExecution's model puts ``sync-`` before the endpoint host; botocore's
    ``AWS_DISABLE_HOST_PREFIX_INJECTION`` turns that off and the CLI reaches the endpoint."""
    definition = json.dumps({"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": 1, "End": True}}})
    arn = aws(
        served,
        "create-state-machine",
        "--name",
        "quick",
        "--type",
        "EXPRESS",
        "--definition",
        definition,
        "--role-arn",
        ROLE,
    )["stateMachineArn"]
    result = aws_result(
        served, "start-sync-execution", "--state-machine-arn", arn, AWS_DISABLE_HOST_PREFIX_INJECTION="true"
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["status"], answer["output"]) == ("SUCCEEDED", "1")


def test_aws_cli_shows_service_errors(served: Served) -> None:
    """An unknown execution is the CLI's usual client error, with AWS's code and message."""
    missing = "arn:aws:states:eu-west-1:111122223333:execution:hello:never"
    result = aws_result(served, "describe-execution", "--execution-arn", missing)
    assert result.returncode != 0
    assert "ExecutionDoesNotExist" in result.stderr
    assert f"Execution Does Not Exist: '{missing}'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_the_server_cleanly(sig: int) -> None:
    running = start_serve()
    boto3_client(running.url).list_state_machines()
    status, out, _ = running.stop(sig)
    assert status == 0
    assert "constructs-sfn serve: stopped" in out
    host, port = running.url.removeprefix("http://").rsplit(":", 1)
    with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=5):
        pass


def test_verbose_logs_every_request() -> None:
    running = start_serve("--verbose")
    remote = boto3_client(running.url)
    listed = remote.list_activities()
    with pytest.raises(remote.exceptions.InvalidArn):
        remote.describe_activity(activityArn="nope")
    status, _, err = running.stop()
    assert status == 0
    request_id = listed["ResponseMetadata"]["RequestId"]
    assert re.search(rf"ListActivities OK 200 {request_id} [0-9.]+ ms", err), err
    assert "DescribeActivity InvalidArn 400" in err


def test_real_time_mode() -> None:
    """``--time real``: a Wait state takes its wall-clock time, as in Step Functions Local."""
    running = start_serve("--time", "real")
    try:
        assert "real time" in running.banner
        remote = boto3_client(running.url)
        definition = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}})
        arn = remote.create_state_machine(name="w", definition=definition, roleArn=ROLE)["stateMachineArn"]
        execution = remote.start_execution(stateMachineArn=arn)["executionArn"]
        assert remote.describe_execution(executionArn=execution)["status"] == "RUNNING"
        deadline = time.monotonic() + 10
        while remote.describe_execution(executionArn=execution)["status"] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert remote.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    finally:
        running.stop()


def test_sdk_tasks_reach_the_endpoints_step_functions_local_reads(moto_endpoint: str) -> None:
    """``SQS_ENDPOINT`` sends ``sqs:sendMessage`` Tasks to a moto server, as Step Functions Local does."""
    import boto3

    sqs = boto3.client("sqs", endpoint_url=moto_endpoint, region_name="us-east-1")
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    running = start_serve(env=isolated_aws_env(SQS_ENDPOINT=moto_endpoint))
    try:
        remote = boto3_client(running.url)
        definition = json.dumps(
            {
                "StartAt": "Send",
                "States": {
                    "Send": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sqs:sendMessage",
                        "Parameters": {"QueueUrl": queue, "MessageBody.$": "$.order"},
                        "End": True,
                    }
                },
            }
        )
        arn = remote.create_state_machine(name="send", definition=definition, roleArn=ROLE)["stateMachineArn"]
        execution = remote.start_execution(stateMachineArn=arn, input='{"order": "o-1"}')["executionArn"]
        described = remote.describe_execution(executionArn=execution)
        assert described["status"] == "SUCCEEDED", described
        assert "MessageId" in json.loads(described["output"])
        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
        assert [message["Body"] for message in messages] == ["o-1"]
    finally:
        running.stop()


def test_non_loopback_needs_allow_remote() -> None:
    """0.0.0.0 is refused without --allow-remote; with it the server warns, and still serves."""
    refused = subprocess.run(
        [str(SCRIPT), "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated_aws_env(),
        check=False,
    )
    assert refused.returncode == 2
    assert "not a loopback address" in refused.stderr
    assert "--allow-remote" in refused.stderr
    running = start_serve("--host", "0.0.0.0", "--allow-remote")
    try:
        port = running.url.rsplit(":", 1)[1]
        assert boto3_client(f"http://127.0.0.1:{port}").list_activities()["activities"] == []
    finally:
        status, _, err = running.stop()
    assert "WARNING: listening on 0.0.0.0, which is not a loopback address" in err
    assert status == 0


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--mock-config", "/nonexistent/MockConfigFile.json"], {}, "MockConfigFile /nonexistent/MockConfigFile.json"),
        ([], {"SFN_MOCK_CONFIG": "/nonexistent/mocks.json"}, "/nonexistent/mocks.json"),
        (["--region", "Mars"], {}, "region 'Mars'"),
        (["--account", "42"], {}, "account '42'"),
        ([], {"LAMBDA_ENDPOINT": "localhost:3001"}, "LAMBDA_ENDPOINT='localhost:3001'"),
        (["--port", "70000"], {}, "port 70000"),
        (["--time", "warp"], {}, "invalid choice: 'warp'"),
    ],
)
def test_configuration_errors_are_one_line(args: list[str], env: dict[str, str], expected: str) -> None:
    result = subprocess.run(
        [str(SCRIPT), "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=isolated_aws_env(**env),
        check=False,
    )
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_is_reported() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [str(SCRIPT), "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
            env=isolated_aws_env(),
            check=False,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
