"""Task ``Resource``: integrations Step Functions does not recognize are refused at create time.

Docs: https://docs.aws.amazon.com/step-functions/latest/dg/connect-supported-services.html (the
optimized services and the integration patterns each supports), integrate-optimized.html ("AWS SDK
integrations ... Run a Job - .sync: Not supported"), supported-services-awssdk.html ("The API action
will always be camel case"), connect-stepfunctions.html (``startExecution.sync:2``). AWS's message is
the one CloudFormation relayed in aws/aws-cdk#27635 and aws/aws-cdk#19174.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.asl.parse.resource_checks import is_recognized_resource
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
RECOGNIZED = [
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::dynamodb:updateItem",
    "arn:aws:states:::events:putEvents.waitForTaskToken",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::ecs:runTask.sync",
    "arn:aws:states:::batch:submitJob.sync",
    "arn:aws:states:::glue:startJobRun.sync",
    "arn:aws:states:::athena:startQueryExecution.sync",
    "arn:aws:states:::codebuild:startBuild.sync",
    "arn:aws:states:::sagemaker:createTrainingJob.sync",
    "arn:aws:states:::elasticmapreduce:createCluster.sync",
    "arn:aws:states:::emr-serverless:startJobRun.sync",
    "arn:aws:states:::eks:runJob.sync",
    "arn:aws:states:::bedrock:invokeModel",
    "arn:aws:states:::http:invoke",
    "arn:aws:states:::apigateway:invoke.waitForTaskToken",
    "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::aws-sdk:sfn:startExecution",
    "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
    "arn:aws-cn:states:::lambda:invoke",
    "arn:aws:lambda:us-east-1:123456789012:function:worker",
    "arn:aws:states:us-east-1:123456789012:activity:approve",
]
UNRECOGNIZED = [
    "arn:aws:states:::foo:bar",
    "arn:aws:states:::lambda:frobnicate",
    "arn:aws:states:::dynamodb:query",
    "arn:aws:states:::dynamodb:putItem.sync",
    "arn:aws:states:::lambda:invoke.sync",
    "arn:aws:states:::sqs:sendMessage.sync:2",
    "arn:aws:states:::athena:startQueryExecution.waitForTaskToken",
    "arn:aws:states:::http:invoke.waitForTaskToken",
    "arn:aws:states:::aws-sdk:codebuild:startBuild.sync",
    "arn:aws:states:::aws-sdk:cloudwatchlogs:CreateLogStream",
    "arn:aws:states:::aws-sdk:s3",
    "arn:aws:states:::lambda",
]


@pytest.mark.parametrize("resource", RECOGNIZED)
def test_documented_integrations_are_recognized(resource: str) -> None:
    """connect-supported-services.html and supported-services-awssdk.html list these services and patterns."""
    assert is_recognized_resource(resource)


@pytest.mark.parametrize("resource", UNRECOGNIZED)
def test_other_integrations_are_not(resource: str) -> None:
    """connect-supported-services.html: unknown services, unsupported patterns; integrate-optimized.html: no aws-sdk
    .sync.
    """
    assert not is_recognized_resource(resource)


def _task(resource: str) -> str:
    return json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True}}})


def test_validate_state_machine_definition_reports_an_unknown_integration() -> None:
    """API_ValidateStateMachineDefinition.html: a diagnostic with code, message, location and severity."""
    result = LocalStepFunctions().validate_state_machine_definition(definition=_task("arn:aws:states:::foo:bar"))

    assert result["result"] == "FAIL"
    assert result["diagnostics"] == [
        {
            "code": "SCHEMA_VALIDATION_FAILED",
            "message": "The resource provided arn:aws:states:::foo:bar is not recognized. The value is not a valid "
            "resource ARN, or the resource is not available in this region.",
            "severity": "ERROR",
            "location": "/States/T/Resource",
        }
    ]


def test_create_state_machine_refuses_an_sdk_action_that_is_not_camel_case() -> None:
    """supported-services-awssdk.html: "The API action will always be camel case"; message as in aws/aws-cdk#27635."""
    resource = "arn:aws:states:::aws-sdk:cloudwatchlogs:CreateLogStream"

    with pytest.raises(ClientError) as refused:
        LocalStepFunctions().create_state_machine(name="m", definition=_task(resource), roleArn=ROLE)

    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidDefinition"
    assert error["Message"] == (
        f"Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The resource provided {resource} is not "
        "recognized. The value is not a valid resource ARN, or the resource is not available in this region. "
        "at /States/T/Resource'"
    )


def test_an_express_machine_still_refuses_a_recognized_callback_as_express() -> None:
    """A recognized resource goes on to the EXPRESS pattern check (its own AWS message)."""
    result = LocalStepFunctions().validate_state_machine_definition(
        definition=_task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), type="EXPRESS"
    )

    (diagnostic,) = result["diagnostics"]
    assert diagnostic["message"].startswith("Express state machine does not support '.waitForTaskToken'")
