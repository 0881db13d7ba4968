"""SFN001-SFN004: Task timeouts, callback deadlines, task tokens, Lambda's transient errors."""

from __future__ import annotations

from lint.helpers import LAMBDA_ARN, LAMBDA_RETRY, found, machine, task

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
TOKEN_PARAMS = {"QueueUrl": "https://q", "MessageBody": {"token.$": "$$.Task.Token"}}


def test_sfn001_task_without_timeout() -> None:
    [finding] = found(machine({"Publish": task(TimeoutSeconds=None)}), "SFN001")
    assert finding.severity == "warning"
    assert finding.state == "Publish"
    assert finding.pointer == "/States/Publish"
    assert "TimeoutSeconds" in finding.message
    assert "TimeoutSeconds" in finding.fix


def test_sfn001_passes_with_timeout_or_timeout_path() -> None:
    assert found(machine({"Publish": task()}), "SFN001") == []
    with_path = task(TimeoutSeconds=None, TimeoutSecondsPath="$.timeout")
    assert found(machine({"Publish": with_path}), "SFN001") == []


def test_sfn001_finds_tasks_inside_map_and_parallel() -> None:
    inner = machine({"Inner": task(TimeoutSeconds=None)})
    definition = machine(
        {
            "Fan": {"Type": "Parallel", "Branches": [inner], "Next": "Each"},
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": machine({"Item": task(TimeoutSeconds=None)}),
                "End": True,
            },
        }
    )
    assert {(f.state, f.pointer) for f in found(definition, "SFN001")} == {
        ("Inner", "/States/Fan/Branches/0/States/Inner"),
        ("Item", "/States/Each/ItemProcessor/States/Item"),
    }


def test_sfn002_callback_without_heartbeat_or_deadline() -> None:
    callback = task(CALLBACK, TimeoutSeconds=None, Parameters=TOKEN_PARAMS)
    [finding] = found(machine({"Wait": callback}), "SFN002")
    assert finding.severity == "error"
    assert finding.state == "Wait"
    # a callback is not reported twice: SFN001 leaves callbacks to SFN002
    assert found(machine({"Wait": callback}), "SFN001") == []


def test_sfn002_passes_with_heartbeat_timeout_or_machine_deadline() -> None:
    with_heartbeat = task(CALLBACK, TimeoutSeconds=None, HeartbeatSeconds=60, Parameters=TOKEN_PARAMS)
    with_timeout = task(CALLBACK, Parameters=TOKEN_PARAMS)
    bare = task(CALLBACK, TimeoutSeconds=None, Parameters=TOKEN_PARAMS)
    assert found(machine({"Wait": with_heartbeat}), "SFN002") == []
    assert found(machine({"Wait": with_timeout}), "SFN002") == []
    assert found(machine({"Wait": bare}, TimeoutSeconds=3600), "SFN002") == []


def test_sfn003_callback_never_passes_the_token() -> None:
    callback = task(CALLBACK, Parameters={"QueueUrl": "https://q", "MessageBody.$": "$"})
    [finding] = found(machine({"Ask": callback}), "SFN003")
    assert finding.severity == "error"
    assert finding.pointer == "/States/Ask/Parameters"
    assert "$$.Task.Token" in finding.message


def test_sfn003_passes_when_the_token_is_passed_jsonpath_or_jsonata() -> None:
    assert found(machine({"Ask": task(CALLBACK, Parameters=TOKEN_PARAMS)}), "SFN003") == []
    jsonata = task(
        CALLBACK,
        QueryLanguage="JSONata",
        Arguments={"QueueUrl": "https://q", "MessageBody": "{% {'token': $states.context.Task.Token} %}"},
    )
    assert found(machine({"Ask": jsonata}), "SFN003") == []
    jsonata_without = task(CALLBACK, QueryLanguage="JSONata", Arguments={"QueueUrl": "https://q", "MessageBody": "x"})
    [finding] = found(machine({"Ask": jsonata_without}), "SFN003")
    assert finding.pointer == "/States/Ask/Arguments"
    assert "$states.context.Task.Token" in finding.message


def test_sfn004_lambda_without_transient_retry() -> None:
    partial = dict(LAMBDA_RETRY, ErrorEquals=["Lambda.ServiceException", "Lambda.AWSLambdaException"])
    [finding] = found(machine({"Charge": task(LAMBDA_ARN, Retry=[partial])}), "SFN004")
    assert finding.severity == "warning"
    assert "Lambda.SdkClientException" in finding.message
    assert "Lambda.TooManyRequestsException" in finding.message
    assert "Lambda.ServiceException" not in finding.message
    [bare] = found(machine({"Charge": task("arn:aws:states:::lambda:invoke")}), "SFN004")
    assert bare.pointer == "/States/Charge"


def test_sfn004_passes_with_the_four_errors_or_a_catch_all_retrier() -> None:
    assert found(machine({"Charge": task(LAMBDA_ARN, Retry=[LAMBDA_RETRY])}), "SFN004") == []
    for name in ("States.ALL", "States.TaskFailed"):
        catch_all = dict(LAMBDA_RETRY, ErrorEquals=[name])
        assert found(machine({"Charge": task(LAMBDA_ARN, Retry=[catch_all])}), "SFN004") == []
    # a retrier with MaxAttempts 0 retries nothing
    never = dict(LAMBDA_RETRY, MaxAttempts=0)
    assert len(found(machine({"Charge": task(LAMBDA_ARN, Retry=[never])}), "SFN004")) == 1
    # not Lambda: not this rule's business
    assert found(machine({"Publish": task()}), "SFN004") == []
