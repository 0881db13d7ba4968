"""``bedrock:invokeModel`` through a real boto3 Bedrock Runtime client stubbed with botocore's Stubber
(moto has no Bedrock Runtime), with S3 on the moto server for ``Input.S3Uri``.

Rules from *Invoke and customize Amazon Bedrock models with Step Functions*
(https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html).
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from constructs_sfn.integrations import Boto3Integrations
from constructs_sfn.integrations.aws.bedrock import parse_s3_uri
from constructs_sfn.local import LocalStepFunctions

from ..conftest import RequestFactory
from .test_optimized import FakeClient

MODEL = "amazon.titan-text-express-v1"
ROLE = "arn:aws:iam::123456789012:role/sfn"


def _body(payload: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(payload), len(payload))


@pytest.fixture
def bedrock(session: Any) -> Iterator[tuple[Any, Stubber]]:
    client = session.client("bedrock-runtime", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _integrations(bedrock_client: Any, s3: Any = None) -> Boto3Integrations:
    def factory(service: str) -> Any:
        if service == "bedrock-runtime":
            return bedrock_client
        assert service == "s3", service
        return s3

    return Boto3Integrations(client_factory=factory)


def test_json_body_is_sent_as_bytes_and_the_answer_parsed(
    bedrock: tuple[Any, Stubber], make_request: RequestFactory
) -> None:
    """connect-bedrock.html: Body is the model input in the ContentType's format (JSON given in
    the definition is sent as JSON text); the result's Body is the model's answer."""
    client, stubber = bedrock
    answer = {"results": [{"outputText": "Ada, Grace", "tokenCount": 4}]}
    stubber.add_response(
        "invoke_model",
        {"body": _body(json.dumps(answer).encode()), "contentType": "application/json"},
        {
            "modelId": MODEL,
            "body": b'{"inputText":"Two names","textGenerationConfig":{"maxTokenCount":50}}',
            "contentType": "application/json",
            "accept": "application/json",
        },
    )
    outcome = _integrations(client).invoke(
        make_request(
            "arn:aws:states:::bedrock:invokeModel",
            {
                "ModelId": MODEL,
                "Body": {"inputText": "Two names", "textGenerationConfig": {"maxTokenCount": 50}},
                "ContentType": "application/json",
                "Accept": "application/json",
            },
        )
    )
    assert outcome.error is None, outcome.error
    assert outcome.output["Body"] == answer
    assert outcome.output["ContentType"] == "application/json"
    assert outcome.output["SdkHttpMetadata"]["HttpStatusCode"] == 200


def test_text_body_and_text_answer(bedrock: tuple[Any, Stubber], make_request: RequestFactory) -> None:
    """connect-bedrock.html: Step Functions does not validate Body; text is sent as it is, and an
    answer that is not JSON stays text."""
    client, stubber = bedrock
    stubber.add_response(
        "invoke_model",
        {"body": _body(b"plain words"), "contentType": "text/plain"},
        {"modelId": MODEL, "body": b"Say hi", "contentType": "text/plain"},
    )
    outcome = _integrations(client).invoke(
        make_request(
            "arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Body": "Say hi", "ContentType": "text/plain"}
        )
    )
    assert outcome.error is None, outcome.error
    assert (outcome.output["Body"], outcome.output["ContentType"]) == ("plain words", "text/plain")


@pytest.mark.parametrize(
    ("code", "status"), [("ValidationException", 400), ("ResourceNotFoundException", 404), ("ThrottlingException", 429)]
)
def test_service_errors_are_bedrock_errors(
    code: str, status: int, bedrock: tuple[Any, Stubber], make_request: RequestFactory
) -> None:
    """Errors of the optimized integration are named Bedrock.<Exception>."""
    client, stubber = bedrock
    stubber.add_client_error(
        "invoke_model", service_error_code=code, service_message="no such thing", http_status_code=status
    )
    outcome = _integrations(client).invoke(
        make_request("arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Body": {}})
    )
    assert outcome.error is not None
    assert outcome.error.error == f"Bedrock.{code}"
    assert (outcome.error.cause or "").startswith(
        f"no such thing (Service: AmazonBedrockRuntime; Status Code: {status};"
    )


def test_input_is_read_from_s3(bedrock: tuple[Any, Stubber], direct: Any, make_request: RequestFactory) -> None:
    """connect-bedrock.html: Input.S3Uri names where the body is read from; without ContentType the
    object's content type is used."""
    bucket = f"prompts-{uuid.uuid4().hex[:8]}"
    s3 = direct("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="in/p.json", Body=b'{"inputText":"from s3"}', ContentType="application/json")
    client, stubber = bedrock
    stubber.add_response(
        "invoke_model",
        {"body": _body(b'{"ok":true}'), "contentType": "application/json"},
        {"modelId": MODEL, "body": b'{"inputText":"from s3"}', "contentType": "application/json"},
    )
    outcome = _integrations(client, s3).invoke(
        make_request(
            "arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Input": {"S3Uri": f"s3://{bucket}/in/p.json"}}
        )
    )
    assert outcome.error is None, outcome.error
    assert outcome.output["Body"] == {"ok": True}
    missing = _integrations(client, s3).invoke(
        make_request(
            "arn:aws:states:::bedrock:invokeModel", {"ModelId": MODEL, "Input": {"S3Uri": f"s3://{bucket}/nope"}}
        )
    )
    assert missing.error is not None
    assert missing.error.error == "S3.NoSuchKeyException"


def test_fields_it_rejects(bedrock: tuple[Any, Stubber], make_request: RequestFactory) -> None:
    """connect-bedrock.html: Body and Input exclude each other; Input needs an s3:// URI. Output is
    not supported here, and says so."""
    client, _ = bedrock
    sdk = _integrations(client)
    cases = {
        "sets both 'Body' and 'Input'": {"ModelId": MODEL, "Body": {}, "Input": {"S3Uri": "s3://b/k"}},
        "must be an object with an 'S3Uri'": {"ModelId": MODEL, "Input": {"S3Uri": "b/k"}},
        "The 'Output' field of bedrock:invokeModel": {"ModelId": MODEL, "Body": {}, "Output": {"S3Uri": "s3://b/o"}},
    }
    for expected, params in cases.items():
        outcome = sdk.invoke(make_request("arn:aws:states:::bedrock:invokeModel", params, state_name="Ask"))
        assert outcome.error is not None
        assert outcome.error.error == "States.Runtime"
        assert expected in (outcome.error.cause or "")
        assert "state 'Ask'" in (outcome.error.cause or "")


def test_parse_s3_uri() -> None:
    assert parse_s3_uri("s3://bucket/a/b.json") == ("bucket", "a/b.json")
    for bad in ("s3://bucket", "s3://bucket/", "https://bucket/k", None, 3):
        assert parse_s3_uri(bad) is None


def test_invoke_model_in_an_execution(bedrock: tuple[Any, Stubber]) -> None:
    """connect-bedrock.html's example: a ResultSelector picks the model's text out of $.Body."""
    client, stubber = bedrock
    stubber.add_response(
        "invoke_model",
        {"body": _body(b'{"results":[{"outputText":"Ada"}]}'), "contentType": "application/json"},
        {"modelId": MODEL, "body": b'{"inputText":"One name"}'},
    )
    sfn = LocalStepFunctions(services=_integrations(client))
    definition = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::bedrock:invokeModel",
                "Parameters": {"ModelId": MODEL, "Body": {"inputText.$": "$.prompt"}},
                "ResultSelector": {"name.$": "$.Body.results[0].outputText"},
                "End": True,
            }
        },
    }
    machine = sfn.create_state_machine(name="Ask", definition=json.dumps(definition), roleArn=ROLE)
    started = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"prompt":"One name"}')
    described = sfn.describe_execution(executionArn=started["executionArn"])
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"name": "Ada"}
    events = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    assert [event["type"] for event in events][2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]


def test_invoke_model_on_moto(session: Any, moto_endpoint: str, make_request: RequestFactory) -> None:
    """The whole HTTP path: the JSON Body reaches moto's Bedrock Runtime as JSON text (moto parses
    it and answers an empty JSON object), and the streamed answer comes back parsed."""
    sdk = Boto3Integrations(session=session, endpoint_url=moto_endpoint)
    outcome = sdk.invoke(
        make_request(
            "arn:aws:states:::bedrock:invokeModel",
            {"ModelId": MODEL, "Body": {"inputText": "hi"}, "ContentType": "application/json"},
        )
    )
    assert outcome.error is None, outcome.error
    assert (outcome.output["Body"], outcome.output["ContentType"]) == ({}, "application/json")


def _customization(name: str) -> dict[str, Any]:
    return {
        "JobName": name,
        "CustomModelName": f"{name}-model",
        "RoleArn": ROLE,
        "BaseModelIdentifier": MODEL,
        "TrainingDataConfig": {"S3Uri": "s3://train/data.jsonl"},
        "OutputDataConfig": {"S3Uri": "s3://train/out/"},
        "HyperParameters": {"epochCount": "1"},
    }


def test_model_customization_job_on_moto(
    session: Any, moto_endpoint: str, direct: Any, make_request: RequestFactory
) -> None:
    """connect-bedrock.html: CreateModelCustomizationJob runs as request-response or .sync (on
    Bedrock's control plane, not the runtime). moto's jobs stay InProgress, so the .sync task
    times out and the job is stopped."""
    sdk = Boto3Integrations(session=session, endpoint_url=moto_endpoint, job_poll_interval=60.0)
    name = f"tune-{uuid.uuid4().hex[:8]}"
    created = sdk.invoke(make_request("arn:aws:states:::bedrock:createModelCustomizationJob", _customization(name)))
    assert created.error is None, created.error
    assert created.output["JobArn"].endswith(f"model-customization-job/{name}")
    waited = sdk.invoke(
        make_request(
            "arn:aws:states:::bedrock:createModelCustomizationJob.sync",
            _customization(f"{name}-sync"),
            timeout_seconds=300.0,
        )
    )
    assert not waited.completes
    assert waited.submitted_output["JobArn"].endswith(f"{name}-sync")
    job = direct("bedrock").get_model_customization_job(jobIdentifier=f"{name}-sync")
    assert job["status"] == "Stopped"


@pytest.mark.parametrize(("final", "error"), [("Completed", None), ("Failed", "States.TaskFailed")])
def test_model_customization_job_sync_completes(final: str, error: str | None, make_request: RequestFactory) -> None:
    """connect-bedrock.html: createModelCustomizationJob.sync ends with the job's description once
    it is Completed; Failed fails the task with States.TaskFailed."""
    statuses = iter(["InProgress", final])
    client = FakeClient(
        "bedrock",
        create_model_customization_job={"jobArn": "arn:job/tune", "ResponseMetadata": {"HTTPStatusCode": 200}},
        get_model_customization_job=lambda **kwargs: {"jobName": "tune", "status": next(statuses)},
    )
    outcome = Boto3Integrations(client_factory=lambda service: client).invoke(
        make_request("arn:aws:states:::bedrock:createModelCustomizationJob.sync", _customization("tune"))
    )
    assert (outcome.error.error if outcome.error else None) == error
    if error is None:
        assert outcome.output == {"JobName": "tune", "Status": "Completed"}
    assert client.calls[1] == ("get_model_customization_job", {"jobIdentifier": "tune"})
