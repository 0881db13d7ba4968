from __future__ import annotations

import pytest

from constructs_sfn.integrations.resources import FunctionRef, parse_resource


def test_function_arn_with_and_without_qualifier() -> None:
    ref = parse_resource("arn:aws:lambda:us-east-1:123456789012:function:Charge:live")
    assert ref.kind == "lambda-function"
    assert ref.function == FunctionRef("Charge", "live", "123456789012", "us-east-1", "aws")
    bare = parse_resource("arn:aws-cn:lambda:cn-north-1:123456789012:function:Charge")
    assert bare.function is not None
    assert bare.function.qualifier is None
    assert bare.partition == "aws-cn"


@pytest.mark.parametrize(
    ("resource", "service", "action", "pattern"),
    [
        ("arn:aws:states:::lambda:invoke", "lambda", "invoke", "request-response"),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "invoke", "waitForTaskToken"),
        ("arn:aws:states:::states:startExecution.sync", "states", "startExecution", "sync"),
        ("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution", "sync:2"),
        ("arn:aws:states:::dynamodb:putItem", "dynamodb", "putItem", "request-response"),
    ],
)
def test_optimized_integrations(resource: str, service: str, action: str, pattern: str) -> None:
    ref = parse_resource(resource)
    assert (ref.kind, ref.service, ref.action, ref.pattern) == ("optimized", service, action, pattern)
    assert ref.base == resource.split(".", maxsplit=1)[0]
    assert ref.service_action == f"{service}:{action}"


def test_sdk_integration() -> None:
    ref = parse_resource("arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken")
    assert (ref.kind, ref.service, ref.action, ref.pattern) == ("aws-sdk", "s3", "putObject", "waitForTaskToken")
    assert ref.base == "arn:aws:states:::aws-sdk:s3:putObject"


@pytest.mark.parametrize(
    ("resource", "kind"),
    [
        ("arn:aws:states:us-east-1:123456789012:activity:Approve", "activity"),
        ("arn:aws:states:::aws-sdk:s3", "other"),
        ("arn:aws:states:::", "other"),
        ("not-an-arn", "other"),
        ("arn:aws:sqs:us-east-1:123456789012:queue", "other"),
    ],
)
def test_other_resources(resource: str, kind: str) -> None:
    assert parse_resource(resource).kind == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Charge", FunctionRef("Charge")),
        ("Charge:7", FunctionRef("Charge", "7")),
        ("Charge:$LATEST", FunctionRef("Charge", "$LATEST")),
        ("123456789012:function:Charge", FunctionRef("Charge", None, "123456789012")),
        (
            "arn:aws:lambda:eu-west-1:123456789012:function:Charge",
            FunctionRef("Charge", None, "123456789012", "eu-west-1", "aws"),
        ),
        ("no spaces allowed", None),
        ("arn:aws:s3:::bucket", None),
    ],
)
def test_function_ref_forms(text: str, expected: FunctionRef | None) -> None:
    assert FunctionRef.parse(text) == expected


def test_function_ref_arn_fills_missing_parts() -> None:
    assert FunctionRef("Charge", "live").arn(region="eu-west-1", account="111122223333") == (
        "arn:aws:lambda:eu-west-1:111122223333:function:Charge:live"
    )
    full = FunctionRef.parse("arn:aws:lambda:us-west-2:123456789012:function:Charge")
    assert full is not None
    assert full.arn(region="eu-west-1") == "arn:aws:lambda:us-west-2:123456789012:function:Charge"
