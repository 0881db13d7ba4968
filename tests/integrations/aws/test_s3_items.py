"""The ItemReader's ``arn:aws:states:::s3:getObject`` through boto3, its body left as a stream.

https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
"""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest

from constructs_sfn.asl.services import TaskRequest
from constructs_sfn.integrations import Boto3Integrations

REGION = "us-east-1"


@pytest.fixture(scope="module")
def session(moto_endpoint: str) -> Any:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


def request(parameters: Any) -> TaskRequest:
    return TaskRequest(
        resource="arn:aws:states:::s3:getObject",
        parameters=parameters,
        state_name="Map",
        execution_arn="arn:aws:states:us-east-1:123456789012:execution:M:e",
        state_machine_arn="arn:aws:states:us-east-1:123456789012:stateMachine:M",
        context={},
    )


def test_the_body_is_a_stream_read_in_pieces(session: Any, moto_endpoint: str) -> None:
    s3 = session.client("s3", endpoint_url=moto_endpoint)
    bucket = f"items-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="rows.csv", Body=b"a,b\n1,2\n")
    services = Boto3Integrations(session=session, endpoint_url=moto_endpoint)
    outcome = services.invoke(request({"Bucket": bucket, "Key": "rows.csv"}))
    assert outcome.error is None
    body = outcome.output["Body"]
    assert body.read(4) == b"a,b\n"
    assert body.read() == b"1,2\n"


def test_a_missing_object_is_s3s_error(session: Any, moto_endpoint: str) -> None:
    s3 = session.client("s3", endpoint_url=moto_endpoint)
    bucket = f"items-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    services = Boto3Integrations(session=session, endpoint_url=moto_endpoint)
    outcome = services.invoke(request({"Bucket": bucket, "Key": "nope.csv"}))
    assert outcome.error is not None
    assert outcome.error.error == "S3.NoSuchKeyException"
    assert (outcome.error.cause or "").startswith("The specified key does not exist.")


def test_parameters_without_bucket_and_key_are_refused_with_their_names(session: Any, moto_endpoint: str) -> None:
    services = Boto3Integrations(session=session, endpoint_url=moto_endpoint)
    outcome = services.invoke(request({"Key": 7}))
    assert outcome.error is not None
    assert outcome.error.error == "States.ItemReaderFailed"
    assert "'Bucket' and 'Key'" in (outcome.error.cause or "")
