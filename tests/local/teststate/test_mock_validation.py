"""TestState mocked results checked against the API they stand in for (botocore models)."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.local.teststate.mock_validation import mock_result_problem

KMS = "arn:aws:states:::aws-sdk:kms:encrypt"
S3 = "arn:aws:states:::aws-sdk:s3:getObject"
EVENTS = "arn:aws:states:::events:putEvents"
DYNAMO = "arn:aws:states:::dynamodb:putItem"


@pytest.mark.parametrize(
    ("resource", "result", "problem"),
    [
        (KMS, {"CiphertextBlob": ""}, "Field 'CiphertextBlob' is smaller than the minimum length"),
        (KMS, {"CiphertextBlob": 123}, "Field 'CiphertextBlob' must be a string"),
        (S3, {"StorageClass": "Papyrus"}, "Field 'StorageClass' is not an expected value"),
        (S3, {"ContentLength": "9000"}, "Field 'ContentLength' must be a number"),
        (S3, {"DeleteMarker": "yes"}, "Field 'DeleteMarker' must be a boolean"),
        (DYNAMO, {"ConsumedCapacity": {"CapacityUnits": "1.5"}}, "Field 'CapacityUnits' must be a number"),
        (DYNAMO, {"ConsumedCapacity": []}, "Field 'ConsumedCapacity' must be an object"),
        (EVENTS, {"Entries": "no"}, "Field 'Entries' must be an array"),
        (EVENTS, {"Entries": [{"EventId": "ok"}, {"EventId": ["x"]}]}, "Field 'EventId' must be a string"),
        (
            "arn:aws:states:::aws-sdk:lambda:getFunction",
            {"Configuration": {"MemorySize": 127}},
            "Field 'MemorySize' is less than the minimum value",
        ),
    ],
)
def test_problems(resource: str, result: Any, problem: str) -> None:
    assert mock_result_problem(resource, result) == problem
    assert mock_result_problem(resource, result, mode="PRESENT") == problem
    assert mock_result_problem(resource, result, mode="NONE") is None


@pytest.mark.parametrize("result", [{}, {"random": "json"}, {"Entries": []}, {"Entries": [{"EventId": "e"}]}])
def test_fields_outside_the_api_and_absent_fields_are_fine(result: Any) -> None:
    assert mock_result_problem(EVENTS, result) is None


def test_strict_requires_required_members() -> None:
    resource = "arn:aws:states:::aws-sdk:sfn:startExecution"
    assert mock_result_problem(resource, {"ExecutionArn": "a"}) == "Field 'StartDate' is required"
    assert (
        mock_result_problem(resource, {"ExecutionArn": 1, "StartDate": "d"}) == "Field 'ExecutionArn' must be a string"
    )
    assert mock_result_problem(resource, {"ExecutionArn": "a"}, mode="PRESENT") is None


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::lambda:invoke",
        "arn:aws:lambda:us-east-1:1:function:f",
        "arn:aws:states:::aws-sdk:nosuchservice:doThing",
        "arn:aws:states:::aws-sdk:s3:noSuchOperation",
    ],
)
def test_unknown_or_reshaped_apis_are_not_checked(resource: str) -> None:
    assert mock_result_problem(resource, {"StatusCode": "not a number"}) is None


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::ecs:runTask.sync",
    ],
)
def test_callback_and_job_results_are_not_the_api_output(resource: str) -> None:
    """A ``.waitForTaskToken`` task's result is what ``SendTaskSuccess`` sends, a ``.sync`` task's the
    finished job: neither is the output of the API the resource names, so neither is held to it.

    https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
    """
    assert mock_result_problem(resource, {"ExecutionArn": 1, "MessageId": ["x"]}) is None


@pytest.mark.parametrize(
    ("resource", "result", "problem"),
    [
        ("arn:aws:states:::states:startExecution", {"ExecutionArn": "a"}, "Field 'StartDate' is required"),
        ("arn:aws:states:::ecs:runTask", {"Tasks": [{"TaskArn": 5}]}, "Field 'TaskArn' must be a string"),
        ("arn:aws:states:::glue:startJobRun", {"JobRunId": True}, "Field 'JobRunId' must be a string"),
        ("arn:aws:states:::sns:publish", {"MessageId": 7}, "Field 'MessageId' must be a string"),
    ],
)
def test_request_response_optimized_integrations_are_held_to_the_sdk_output(
    resource: str, result: Any, problem: str
) -> None:
    """STRICT: "All required fields must be present, and all present fields must conform to the
    API's schema" (API_MockInput.html); these integrations return the SDK response.

    https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
    """
    assert mock_result_problem(resource, result) == problem
