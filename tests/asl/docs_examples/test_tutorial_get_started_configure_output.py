"""The ResultSelector example of the getting-started tutorial "Configure output using the
ResultSelector, ResultPath, and OutputPath filters".

Page: https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-get-started-configure-output.html
"""

from __future__ import annotations

from typing import Any

from docs_support import Worker, succeeded

LAMBDA_RESULT = {
    "ExecutedVersion": "$LATEST",
    "Payload": {"statusCode": 200, "body": '{"approved":true,"message":"identity validation passed"}'},
    "SdkHttpMetadata": {"AllHttpHeaders": {"X-Amz-Executed-Version": ["$LATEST"]}, "HttpStatusCode": 200},
    "StatusCode": 200,
}


def verify(**fields: Any) -> dict[str, Any]:
    """The tutorial's verification task (``lambda:invoke``) with extra fields."""
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "check-identity", "Payload.$": "$"},
        "End": True,
        **fields,
    }
    return {"StartAt": "Verify identity", "States": {"Verify identity": task}}


def test_result_selector_parses_the_payload_body() -> None:
    """``"identity.$": "States.StringToJson($.Payload.body)"`` turns the function's JSON text into an
    object under ``identity``. (The page prints the message capitalised in the result, "Identity
    validation passed", though the body says "identity validation passed"; StringToJson keeps the text
    as it is.)
    """
    output = succeeded(
        verify(ResultSelector={"identity.$": "States.StringToJson($.Payload.body)"}),
        {"data": {"firstname": "Jane"}},
        worker=Worker(lambda _p: LAMBDA_RESULT),
    )

    assert output == {"identity": {"approved": True, "message": "identity validation passed"}}


def test_result_selector_runs_before_result_path() -> None:
    """ResultSelector shapes the result first; ResultPath then places that shaped result in the input."""
    output = succeeded(
        verify(ResultSelector={"identity.$": "States.StringToJson($.Payload.body)"}, ResultPath="$.results"),
        {"data": {"firstname": "Jane"}},
        worker=Worker(lambda _p: LAMBDA_RESULT),
    )

    assert output == {
        "data": {"firstname": "Jane"},
        "results": {"identity": {"approved": True, "message": "identity validation passed"}},
    }


def test_result_selector_then_result_path_then_output_path() -> None:
    """The three filters in their order: select from the result, place it, then pick from the whole."""
    output = succeeded(
        verify(
            ResultSelector={"identity.$": "States.StringToJson($.Payload.body)"},
            ResultPath="$.results",
            OutputPath="$.results.identity",
        ),
        {"data": {"firstname": "Jane"}},
        worker=Worker(lambda _p: LAMBDA_RESULT),
    )

    assert output == {"approved": True, "message": "identity validation passed"}
