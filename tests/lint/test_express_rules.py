"""SFN020-SFN022: what an EXPRESS machine cannot do, or should not do without idempotency."""

from __future__ import annotations

from lint.helpers import LAMBDA_ARN, LAMBDA_RETRY, found, machine, task


def test_sfn020_express_with_callback_or_sync() -> None:
    callback = machine(
        {
            "Ask": task(
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                Parameters={"MessageBody": {"t.$": "$$.Task.Token"}, "QueueUrl": "q"},
            )
        }
    )
    sync = machine({"Run": task("arn:aws:states:::states:startExecution.sync:2", Parameters={"StateMachineArn": "a"})})
    for definition, state in ((callback, "Ask"), (sync, "Run")):
        # the validator rejects both for EXPRESS (as AWS does): one error per state, pointing at Resource
        errors = found(definition, "SFN000", state_machine_type="EXPRESS")
        assert [(f.severity, f.state, f.pointer) for f in errors] == [("error", state, f"/States/{state}/Resource")]
        assert found(definition, "SFN020", state_machine_type="EXPRESS") == []
        assert found(definition, "SFN000", state_machine_type="STANDARD") == []


def test_sfn020_rule_check_itself() -> None:
    from constructs_sfn.asl import parse_definition
    from constructs_sfn.lint import LintContext, rule

    sync = machine({"Run": task("arn:aws:states:::states:startExecution.sync:2", Parameters={"StateMachineArn": "a"})})
    express = LintContext(parse_definition(sync), "EXPRESS")
    assert [h.state for h in rule("SFN020").check(express)] == ["Run"]
    assert list(rule("SFN020").check(LintContext(parse_definition(sync), "STANDARD"))) == []


def test_sfn021_long_wait_in_express() -> None:
    long_wait = machine({"Hold": {"Type": "Wait", "Seconds": 600, "End": True}})
    [finding] = found(long_wait, "SFN021", state_machine_type="EXPRESS")
    assert finding.severity == "error"
    assert finding.pointer == "/States/Hold/Seconds"
    dynamic = machine({"Hold": {"Type": "Wait", "SecondsPath": "$.delay", "End": True}})
    [maybe] = found(dynamic, "SFN021", state_machine_type="EXPRESS")
    assert maybe.severity == "warning"


def test_sfn021_passes_short_wait_or_standard() -> None:
    short = machine({"Hold": {"Type": "Wait", "Seconds": 10, "End": True}})
    assert found(short, "SFN021", state_machine_type="EXPRESS") == []
    long_wait = machine({"Hold": {"Type": "Wait", "Seconds": 600, "End": True}})
    assert found(long_wait, "SFN021", state_machine_type="STANDARD") == []


def test_sfn022_not_idempotent_in_express() -> None:
    cases = {
        "Send": task("arn:aws:states:::sqs:sendMessage", Parameters={"QueueUrl": "q", "MessageBody.$": "$"}),
        "Count": task(
            "arn:aws:states:::dynamodb:updateItem",
            Parameters={"TableName": "t", "Key": {}, "UpdateExpression": "ADD hits :one"},
        ),
        "Pay": task(LAMBDA_ARN.replace("Charge", "ChargeCard"), Retry=[LAMBDA_RETRY]),
        "Start": task("arn:aws:states:::states:startExecution", Parameters={"StateMachineArn": "a"}),
    }
    for name, state in cases.items():
        [finding] = found(machine({name: state}), "SFN022", state_machine_type="EXPRESS")
        assert finding.severity == "warning"
        assert finding.state == name
        assert found(machine({name: state}), "SFN022", state_machine_type="STANDARD") == []


def test_sfn022_passes_idempotent_calls() -> None:
    cases = {
        "Send": task(
            "arn:aws:states:::sqs:sendMessage",
            Parameters={"QueueUrl": "q", "MessageBody.$": "$", "MessageDeduplicationId.$": "$$.Execution.Name"},
        ),
        "Put": task("arn:aws:states:::dynamodb:putItem", Parameters={"TableName": "t", "Item": {}}),
        "Set": task(
            "arn:aws:states:::dynamodb:updateItem",
            Parameters={"TableName": "t", "Key": {}, "UpdateExpression": "SET s = :v"},
        ),
        "Pay": task(LAMBDA_ARN, Retry=[LAMBDA_RETRY], Parameters={"idempotencyKey.$": "$$.Execution.Name"}),
        "Start": task("arn:aws:states:::states:startExecution", Parameters={"StateMachineArn": "a", "Name.$": "$.id"}),
    }
    for name, state in cases.items():
        assert found(machine({name: state}), "SFN022", state_machine_type="EXPRESS") == [], name
