"""``constructs-sfn run`` through the installed console script: sources, mocks, handlers, --aws,
the timeline, AWS-shaped JSON and history, exit statuses."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

Cli = Callable[..., subprocess.CompletedProcess[str]]
JsonFile = Callable[[Path, Any], Path]
CdkOut = Callable[..., Path]

ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
CHARGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:Charge"
CHECKOUT = {
    "StartAt": "Hold",
    "States": {
        "Hold": {"Type": "Wait", "Seconds": 30, "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": CHARGE_ARN,
            "TimeoutSeconds": 60,
            "Retry": [{"ErrorEquals": ["RuntimeError"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
            "End": True,
        },
        "Refund": {"Type": "Fail", "Error": "Order.Refunded", "Cause": "charge failed"},
    },
}
FLAKY_HANDLERS = """\
attempts = {"n": 0}


def charge(event, context):
    attempts["n"] += 1
    if attempts["n"] <= FAILURES:
        raise RuntimeError("card reader offline")
    return {"paid": event["amount"]}
"""


def handlers(folder: Path, failures: int) -> None:
    (folder / "payments.py").write_text(f"FAILURES = {failures}\n" + FLAKY_HANDLERS)


@pytest.fixture
def checkout(tmp_path: Path, json_file: JsonFile) -> Path:
    return json_file(tmp_path / "checkout.asl.json", CHECKOUT)


class TestTimeline:
    def test_retries_then_success(self, cli: Cli, checkout: Path, tmp_path: Path) -> None:
        handlers(tmp_path, failures=2)
        result = cli("run", checkout, "--input", '{"amount": 5}', "--handler", f"{CHARGE_ARN}=payments:charge")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert re.fullmatch(r" \+0s\s+Hold\s+Wait\s+30s\s+-> Charge", lines[0]), lines
        # two retries: 1 s, then 2 s back-off (BackoffRate 2.0 default) on the virtual clock
        assert re.fullmatch(r"\+30s\s+Charge\s+Task\s+3s\s+retried 2x after RuntimeError; end", lines[1])
        assert lines[2] == "SUCCEEDED after 33s of workflow time (15 history events)"
        assert lines[3] == 'output: {"paid":5}'

    def test_caught_error_and_failure_with_cause_as_text(self, cli: Cli, checkout: Path, tmp_path: Path) -> None:
        handlers(tmp_path, failures=10)
        result = cli("run", checkout, "--input", '{"amount": 5}', "--handler", "Charge=payments:charge")
        assert result.returncode == 1
        lines = result.stdout.splitlines()
        assert re.search(r"Charge\s+Task\s+3s\s+retried 2x after RuntimeError; caught RuntimeError -> Refund", lines[1])
        assert re.search(r"Refund\s+Fail\s+0s\s+failed: Order.Refunded", lines[2])
        assert lines[3].startswith("FAILED after 33s")
        assert lines[4:] == ["error: Order.Refunded", "cause: charge failed"]

    def test_lambda_error_cause_is_json_text(self, cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
        definition = {"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": CHARGE_ARN, "End": True}}}
        handlers(tmp_path, failures=1)
        result = cli("run", json_file(tmp_path / "m.json", definition), "--handler", "Charge=payments:charge")
        assert result.returncode == 1
        cause = result.stdout.split("cause: ", 1)[1].strip()
        assert json.loads(cause)["errorMessage"] == "card reader offline"  # JSON text, not a Python repr
        assert json.loads(cause)["errorType"] == "RuntimeError"

    def test_history_table(self, cli: Cli, checkout: Path, tmp_path: Path) -> None:
        handlers(tmp_path, failures=0)
        result = cli("run", checkout, "--input", '{"amount": 1}', "--handler", "Charge=payments:charge", "--history")
        assert result.returncode == 0
        table = result.stdout.split("\n\n", 1)[1].splitlines()
        assert table[0].split() == ["ID", "PREV", "TIMESTAMP", "TYPE", "DETAILS"]
        assert table[1].split() == ["1", "0", "2024-01-01T00:00:00.000+00:00", "ExecutionStarted"]
        assert table[2].split() == ["2", "0", "2024-01-01T00:00:00.000+00:00", "WaitStateEntered", "name=Hold"]
        assert table[3].split()[2:] == ["2024-01-01T00:00:30.000+00:00", "WaitStateExited", "name=Hold"]
        assert table[-1].split()[3] == "ExecutionSucceeded"


class TestJson:
    def test_describe_execution_shape_and_history(self, cli: Cli, checkout: Path, tmp_path: Path) -> None:
        """Fields of DescribeExecution and events of GetExecutionHistory:
        https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
        https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html"""
        handlers(tmp_path, failures=0)
        result = cli(
            "run", checkout, "--input", '{"amount": 2}', "--handler", "Charge=payments:charge", "--json", "--history"
        )
        assert result.returncode == 0, result.stderr
        body = json.loads(result.stdout)
        assert body["status"] == "SUCCEEDED"
        assert body["executionArn"].startswith("arn:aws:states:us-east-1:123456789012:execution:checkout:")
        assert body["stateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:checkout"
        assert json.loads(body["input"]) == {"amount": 2}
        assert json.loads(body["output"]) == {"paid": 2}
        assert ISO_MILLIS.match(body["startDate"])
        assert ISO_MILLIS.match(body["stopDate"])
        assert body["stopDate"] == "2024-01-01T00:00:30.000+00:00"
        events = body["events"]
        assert [event["id"] for event in events] == list(range(1, len(events) + 1))
        assert events[0]["type"] == "ExecutionStarted"
        assert events[-1]["type"] == "ExecutionSucceeded"
        assert all(ISO_MILLIS.match(event["timestamp"]) for event in events)
        assert json.loads(events[-1]["executionSucceededEventDetails"]["output"]) == {"paid": 2}

    def test_failure_fields_and_no_history_by_default(self, cli: Cli, checkout: Path, tmp_path: Path) -> None:
        handlers(tmp_path, failures=10)
        result = cli("run", checkout, "--json", "--input", '{"amount": 1}', "--handler", "Charge=payments:charge")
        assert result.returncode == 1
        body = json.loads(result.stdout)
        assert body["status"] == "FAILED"
        assert "events" not in body
        assert "output" not in body
        assert (body["error"], body["cause"]) == ("Order.Refunded", "charge failed")

    def test_express_machine(self, cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
        """EXPRESS executions are run as StartSyncExecution runs them (billingDetails included):
        https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html"""
        definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
        result = cli("run", json_file(tmp_path / "fast.json", definition), "--type", "express", "--json")
        assert result.returncode == 0, result.stderr
        body = json.loads(result.stdout)
        assert body["status"] == "SUCCEEDED"
        assert ":express:fast:" in body["executionArn"]
        assert body["billingDetails"]["billedDurationInMilliseconds"] == 100


class TestMocks:
    MOCKS: ClassVar[dict[str, Any]] = {
        "StateMachines": {
            "checkout": {
                "TestCases": {"Declined": {"Charge": "Declined"}, "Paid": {"Charge": "Paid"}},
            }
        },
        "MockedResponses": {
            "Declined": {"0-2": {"Throw": {"Error": "RuntimeError", "Cause": "declined"}}},
            "Paid": {"0": {"Return": {"paid": "mocked"}}},
        },
    }

    def test_test_case_with_mock_config(self, cli: Cli, checkout: Path, tmp_path: Path, json_file: JsonFile) -> None:
        """Mocked service integrations, as Step Functions Local runs them:
        https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-test-sm-exec.html"""
        mocks = json_file(tmp_path / "MockConfigFile.json", self.MOCKS)
        paid = cli("run", checkout, "--mock-config", mocks, "--test-case", "Paid")
        assert paid.returncode == 0, paid.stderr
        assert 'output: {"paid":"mocked"}' in paid.stdout
        declined = cli("run", checkout, "--mock-config", mocks, "--test-case", "Declined")
        assert declined.returncode == 1
        assert "retried 2x after RuntimeError; caught RuntimeError -> Refund" in declined.stdout

    def test_a_mock_config_without_a_test_case_mocks_nothing(
        self, cli: Cli, checkout: Path, tmp_path: Path, json_file: JsonFile
    ) -> None:
        mocks = json_file(tmp_path / "MockConfigFile.json", self.MOCKS)
        result = cli("run", checkout, "--mock-config", mocks)
        assert result.returncode == 1
        assert "error: States.Runtime" in result.stdout
        assert result.stderr.strip() == "constructs-sfn: note: --mock-config without --test-case: no state is mocked"

    def test_sfn_mock_config_variable(self, cli: Cli, checkout: Path, tmp_path: Path, json_file: JsonFile) -> None:
        mocks = json_file(tmp_path / "MockConfigFile.json", self.MOCKS)
        result = cli("run", checkout, "--test-case", "Paid", env={"SFN_MOCK_CONFIG": str(mocks)})
        assert result.returncode == 0, result.stderr
        assert 'output: {"paid":"mocked"}' in result.stdout

    def test_name_option_selects_the_mocked_machine(
        self, cli: Cli, tmp_path: Path, checkout: Path, json_file: JsonFile
    ) -> None:
        mocks = json_file(tmp_path / "MockConfigFile.json", self.MOCKS)
        renamed = json_file(tmp_path / "other.json", CHECKOUT)
        refused = cli("run", renamed, "--mock-config", mocks, "--test-case", "Paid")
        assert refused.returncode == 2
        assert "has no state machine 'other' (defined: checkout) (--name sets the state machine's name)" in (
            refused.stderr
        )
        assert cli("run", renamed, "--mock-config", mocks, "--test-case", "Paid", "--name", "checkout").returncode == 0

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            ((), "--test-case Paid: needs a mock configuration; give --mock-config FILE or set SFN_MOCK_CONFIG"),
            (("--mock-config", "missing.json"), "MockConfigFile missing.json: cannot be read: No such file"),
            (("--mock-config", "MockConfigFile.json", "--test-case", "Nope"), "has no test case 'Nope'"),
        ],
        ids=["no-config", "missing-config", "unknown-case"],
    )
    def test_usage_errors(
        self, cli: Cli, checkout: Path, tmp_path: Path, json_file: JsonFile, extra: tuple[str, ...], message: str
    ) -> None:
        json_file(tmp_path / "MockConfigFile.json", self.MOCKS)
        args = extra if "--test-case" in extra else (*extra, "--test-case", "Paid")
        result = cli("run", checkout, *args)
        assert result.returncode == 2
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1

    def test_unserved_task_names_the_state_and_the_options(self, cli: Cli, checkout: Path) -> None:
        """States.Runtime is not caught by States.ALL, so the Catch does not apply:
        https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html"""
        result = cli("run", checkout)
        assert result.returncode == 1
        assert "error: States.Runtime" in result.stdout
        cause = result.stdout.split("cause: ", 1)[1]
        assert f"resource '{CHARGE_ARN}' of state 'Charge'" in cause
        for option in ("--mock-config FILE --test-case NAME", "--handler Charge=module:function", "--aws"):
            assert option in cause


def test_an_unserved_lambda_invoke_names_its_function(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "Ship"}}
    definition = {"QueryLanguage": "JSONata", "StartAt": "Ship", "States": {"Ship": {**task, "End": True}}}
    result = cli("run", json_file(tmp_path / "ship.json", definition))
    assert result.returncode == 1
    assert "bind a Python handler (--handler Ship=module:function)" in result.stdout


class TestHandlers:
    @pytest.mark.parametrize(
        ("spec", "message"),
        [
            ("Charge:payments", "expected FUNCTION=module:function"),
            ("Charge=payments", "expected FUNCTION=module:function"),
            ("Charge=nowhere:charge", "no module named 'nowhere'"),
            ("Charge=payments:refund", "module 'payments' has no attribute 'refund'"),
            ("Charge=payments:FAILURES", "'payments:FAILURES' is not callable"),
            ("not a function=payments:charge", "'not a function' is not a Lambda function name or ARN"),
            ("Charge=broken:charge", "importing 'broken' failed: ZeroDivisionError: division by zero"),
        ],
    )
    def test_bad_specs(self, cli: Cli, checkout: Path, tmp_path: Path, spec: str, message: str) -> None:
        handlers(tmp_path, failures=0)
        (tmp_path / "broken.py").write_text("1 / 0\n")
        result = cli("run", checkout, "--handler", spec)
        assert result.returncode == 2
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


class TestTemplates:
    @staticmethod
    def machine(definition: Any) -> dict[str, Any]:
        return {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": definition}}

    @pytest.fixture
    def shop(self, cdk_out: CdkOut) -> Path:
        charge_join = {
            "Fn::Join": [
                "",
                [
                    '{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"',
                    {"Fn::GetAtt": ["ChargeFn12AB", "Arn"]},
                    '","End":true}}}',
                ],
            ]
        }
        audit = json.dumps({"StartAt": "Log", "States": {"Log": {"Type": "Pass", "Result": "audited", "End": True}}})
        resources = {
            "ChargeFn12AB": {"Type": "AWS::Lambda::Function", "Properties": {}},
            "Orders1234": self.machine(charge_join),
            "Audit5678": self.machine(audit),
        }
        paths = {
            "Shop/ChargeFn/Resource": "ChargeFn12AB",
            "Shop/Orders/Resource": "Orders1234",
            "Shop/Audit/Resource": "Audit5678",
        }
        return cdk_out(resources, paths)

    def test_several_machines_need_a_choice(self, cli: Cli, shop: Path) -> None:
        result = cli("run", shop)
        assert result.returncode == 2
        assert "holds 2 state machines (Shop/Orders (Orders1234), Shop/Audit (Audit5678)); choose one with" in (
            result.stderr
        )

    def test_unknown_machine_lists_the_known_ones(self, cli: Cli, shop: Path) -> None:
        result = cli("run", shop, "--state-machine", "Shop/Nope")
        assert result.returncode == 2
        assert "--state-machine Shop/Nope: no such state machine in" in result.stderr
        assert "state machines: Shop/Orders (Orders1234), Shop/Audit (Audit5678)" in result.stderr

    @pytest.mark.parametrize("key", ["Shop/Audit", "Audit", "Audit5678"])
    def test_pick_by_path_or_logical_id(self, cli: Cli, shop: Path, key: str) -> None:
        result = cli("run", shop, "--state-machine", key)
        assert result.returncode == 0, result.stderr
        assert 'output: "audited"' in result.stdout

    @pytest.mark.parametrize("function", ["Shop/ChargeFn", "ChargeFn", "ChargeFn12AB"])
    def test_handler_by_construct_path(self, cli: Cli, shop: Path, tmp_path: Path, function: str) -> None:
        handlers(tmp_path, failures=0)
        result = cli(
            "run", shop / "Shop.template.json", "--state-machine", "Orders", "--input", '{"amount": 9}',
            "--handler", f"{function}=payments:charge",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert 'output: {"paid":9}' in result.stdout

    def test_an_unserved_function_is_named_by_its_construct_path(self, cli: Cli, shop: Path) -> None:
        result = cli("run", shop, "--state-machine", "Orders")
        assert result.returncode == 1
        assert "bind a Python handler (--handler Shop/ChargeFn=module:function)" in result.stdout

    def test_handler_for_a_function_the_app_does_not_have(self, cli: Cli, shop: Path, tmp_path: Path) -> None:
        handlers(tmp_path, failures=0)
        result = cli("run", shop, "--state-machine", "Orders", "--handler", "Shop/Nope/Fn=payments:charge")
        assert result.returncode == 2
        assert "the state machine calls these functions of the app: Shop/ChargeFn" in result.stderr


def test_invalid_definition_is_a_usage_error(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    broken = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Pass", "End": True}}}
    result = cli("run", json_file(tmp_path / "broken.json", broken))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"constructs-sfn: {tmp_path / 'broken.json'}: /States/A/Next: Missing 'Next' target: B "
        "(and 1 more; 'constructs-sfn validate' lists them all)"
    )


def test_input_from_a_file_and_bad_input(cli: Cli, checkout: Path, tmp_path: Path) -> None:
    handlers(tmp_path, failures=0)
    (tmp_path / "order.json").write_text('{"amount": 7}')
    good = cli("run", checkout, "--input", "@order.json", "--handler", "Charge=payments:charge")
    assert 'output: {"paid":7}' in good.stdout
    bad = cli("run", checkout, "--input", "{oops")
    assert bad.returncode == 2
    assert bad.stderr.startswith("constructs-sfn: --input: not JSON (line 1, column 3)")


class TestAws:
    """--aws sends unmocked integrations to boto3, endpoint from AWS_ENDPOINT_URL (here a moto server)."""

    @pytest.fixture
    def queue(self, moto_endpoint: str) -> tuple[Any, str]:
        import boto3

        sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=moto_endpoint)
        url = sqs.create_queue(QueueName=f"orders-{id(self)}")["QueueUrl"]
        return sqs, url

    def definition(self, url: str, resource: str) -> dict[str, Any]:
        task = {
            "Type": "Task",
            "Resource": resource,
            "Arguments": {"QueueUrl": url, "MessageBody": "{% $string($states.input) %}"},
            "TimeoutSeconds": 60,
            "End": True,
        }
        return {"QueryLanguage": "JSONata", "StartAt": "Send", "States": {"Send": task}}

    def test_sdk_call_reaches_the_endpoint(
        self, cli: Cli, tmp_path: Path, json_file: JsonFile, moto_endpoint: str, queue: tuple[Any, str]
    ) -> None:
        sqs, url = queue
        path = json_file(tmp_path / "send.json", self.definition(url, "arn:aws:states:::sqs:sendMessage"))
        unserved = cli("run", path, "--input", '{"id": 1}')
        assert unserved.returncode == 1
        assert "call AWS with --aws" in unserved.stdout
        sent = cli("run", path, "--input", '{"id": 1}', "--aws", env={"AWS_ENDPOINT_URL": moto_endpoint})
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert '"MessageId"' in sent.stdout
        [message] = sqs.receive_message(QueueUrl=url)["Messages"]
        assert json.loads(message["Body"]) == {"id": 1}

    def test_a_token_nobody_answers_times_out(
        self, cli: Cli, tmp_path: Path, json_file: JsonFile, moto_endpoint: str, queue: tuple[Any, str]
    ) -> None:
        """A callback Task fails with States.Timeout when TimeoutSeconds pass without an answer:
        https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token"""
        _, url = queue
        resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
        path = json_file(tmp_path / "wait.json", self.definition(url, resource))
        result = cli("run", path, "--aws", env={"AWS_ENDPOINT_URL": moto_endpoint})
        assert result.returncode == 1
        assert "waiting for a task token at state(s) Send, which nothing answers in a local run" in result.stderr
        assert re.search(r"Send\s+Task\s+60s\s+failed: States.Timeout", result.stdout), result.stdout
        assert "error: States.Timeout" in result.stdout


def test_concurrent_map_iterations_keep_their_own_durations(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    """Two iterations at a time (MaxConcurrency 2): the 3 s and 1 s waits start together, the third
    item starts when the 1 s one ends. https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html"""
    processor = {
        "StartAt": "Nap",
        "States": {"Nap": {"Type": "Wait", "SecondsPath": "$", "Next": "Done"}, "Done": {"Type": "Pass", "End": True}},
    }
    definition = {
        "StartAt": "Each",
        "States": {"Each": {"Type": "Map", "MaxConcurrency": 2, "ItemProcessor": processor, "End": True}},
    }
    result = cli("run", json_file(tmp_path / "naps.json", definition), "--input", "[3, 1, 2]")
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[:7]]
    assert rows == [
        ["+0s", "Each", "Map", "3s", "end"],
        ["+0s", "Nap", "[0]", "Wait", "3s", "->", "Done"],
        ["+0s", "Nap", "[1]", "Wait", "1s", "->", "Done"],
        ["+1s", "Done", "[1]", "Pass", "0s", "end"],
        ["+1s", "Nap", "[2]", "Wait", "2s", "->", "Done"],
        ["+3s", "Done", "[0]", "Pass", "0s", "end"],
        ["+3s", "Done", "[2]", "Pass", "0s", "end"],
    ]
    assert result.stdout.splitlines()[1].startswith("+0s    Nap")  # indented inside the Map


def test_the_timeline_names_each_map_iteration(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    """Map iterations run concurrently (up to MaxConcurrency):
    https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html"""
    processor = {
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "P"}, "P": {"Type": "Pass", "End": True}},
    }
    each = {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 10, "ItemProcessor": processor, "End": True}
    path = json_file(tmp_path / "mapper.asl.json", {"StartAt": "Each", "States": {"Each": each}})
    result = cli("run", path, "--input", '{"items": [{"s": 3}, {"s": 1}]}')
    assert result.returncode == 0, result.stderr
    assert [line.split() for line in result.stdout.splitlines()[:5]] == [
        ["+0s", "Each", "Map", "3s", "end"],
        ["+0s", "W", "[0]", "Wait", "3s", "->", "P"],
        ["+0s", "W", "[1]", "Wait", "1s", "->", "P"],
        ["+1s", "P", "[1]", "Pass", "0s", "end"],
        ["+3s", "P", "[0]", "Pass", "0s", "end"],
    ]


def test_an_activity_nobody_works_on_times_out_after_its_timeout(cli: Cli, tmp_path: Path, json_file: JsonFile) -> None:
    """An activity Task fails with States.Timeout after TimeoutSeconds without a worker:
    https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html
    The summary counts the execution's own duration (600 s), not the virtual time let pass after it."""
    task = {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:review", "TimeoutSeconds": 600}
    path = json_file(tmp_path / "review.asl.json", {"StartAt": "Review", "States": {"Review": {**task, "End": True}}})
    result = cli("run", path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        "+0s  Review  Task  600s  failed: States.Timeout",
        "FAILED after 600s of workflow time (5 history events)",
        "error: States.Timeout",
    ]
    assert "waiting for an activity worker at state(s) Review" in result.stderr


def test_a_handler_that_exits_fails_its_task_as_lambda_reports_it(cli: Cli, checkout: Path, tmp_path: Path) -> None:
    """A runtime that exits inside the handler is Lambda's Runtime.ExitError ("RequestId: <id> Error:
    Runtime exited with error: exit status N", as in
    https://www.tech-reader.blog/2025/11/aws-lambda-error-runtime-failed-to.html); the command
    carries on, and the Catch routes the error."""
    (tmp_path / "quitter.py").write_text("import sys\n\n\ndef charge(event, context):\n    sys.exit(3)\n")
    result = cli(
        "run", checkout, "--input", '{"amount": 1}', "--handler", "Charge=quitter:charge", "--json", "--history"
    )
    assert result.returncode == 1
    body = json.loads(result.stdout)
    [failed] = [event for event in body["events"] if event["type"] == "LambdaFunctionFailed"]
    details = failed["lambdaFunctionFailedEventDetails"]
    assert details["error"] == "Runtime.ExitError"
    assert json.loads(details["cause"])["errorMessage"].endswith("Error: Runtime exited with error: exit status 3")
    assert body["error"] == "Order.Refunded"


def test_what_a_handler_prints_goes_to_stderr(cli: Cli, checkout: Path, tmp_path: Path) -> None:
    """A function's prints are its log (CloudWatch Logs on AWS), not the command's output: --json
    stays one JSON document."""
    (tmp_path / "chatty.py").write_text(
        "def charge(event, context):\n    print('charging', event)\n    return {'paid': 1}\n"
    )
    result = cli("run", checkout, "--input", '{"amount": 1}', "--handler", "Charge=chatty:charge", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["output"] == '{"paid":1}'
    assert "charging {'amount': 1}" in result.stderr


def test_input_from_standard_input(checkout: Path, tmp_path: Path) -> None:
    """``--input @-`` reads the input from stdin (``... | constructs-sfn run m.json --input @-``)."""
    handlers(tmp_path, failures=0)
    script = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "constructs-sfn"
    good = subprocess.run(
        [str(script), "run", str(checkout), "--input", "@-", "--handler", "Charge=payments:charge"],
        input='{"amount": 4}',
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert 'output: {"paid":4}' in good.stdout
    bad = subprocess.run(
        [str(script), "run", str(checkout), "--input", "@-"],
        input="{oops",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("constructs-sfn: stdin: not JSON (line 1, column 3)")
