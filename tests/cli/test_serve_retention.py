"""``constructs-sfn serve --max-executions N``: the endpoint keeps at most N executions.

Beyond N the oldest closed executions are forgotten and answer ``ExecutionDoesNotExist``, as AWS
does after its retention period
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_sfn.local.client import DEFAULT_MAX_EXECUTIONS

SCRIPT = Path(sys.executable).parent / "constructs-sfn"
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SFN_")) and not k.endswith("_ENDPOINT")}
    env.update(AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    return env


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT), "serve", "--port", "0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=_environment(), check=False)


def test_help_states_the_clients_default() -> None:
    result = _serve("--help")
    assert result.returncode == 0
    assert "--max-executions N" in result.stdout
    assert f"default: {DEFAULT_MAX_EXECUTIONS}," in " ".join(result.stdout.split())


@pytest.mark.parametrize(("value", "expected"), [("-1", "-1 is negative"), ("many", "not a whole number: 'many'")])
def test_a_bad_bound_is_a_one_line_usage_error(value: str, expected: str) -> None:
    result = _serve("--max-executions", value)
    assert result.returncode == 2
    assert "--max-executions" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("value", "kept"), [("2", 2), ("0", 4)])
def test_the_served_endpoint_keeps_the_bound(value: str, kept: int) -> None:
    """``--max-executions 2`` keeps the two newest of four executions; ``0`` keeps all four."""
    import boto3
    from botocore.config import Config

    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", "0", "--max-executions", value],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert "listening on " in line, line
        url = line.split("listening on ", 1)[1].split(" ", 1)[0]
        remote = boto3.client(
            "stepfunctions",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )
        arn = remote.create_state_machine(name="p", definition=PASS, roleArn=ROLE)["stateMachineArn"]
        started = [remote.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(4)]
        listed = [item["executionArn"] for item in remote.list_executions(stateMachineArn=arn)["executions"]]
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert listed == list(reversed(started))[:kept]
