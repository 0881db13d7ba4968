"""Property: whatever JSON arrives for whatever action, the answer is a success or an AWS-shaped
client error (HTTP 4xx with ``__type`` and ``message``), never an internal failure.

Error shape: https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_sfn.local.endpoint import EndpointServer, EndpointSettings
from constructs_sfn.local.service_model import service_model

ACTIONS = sorted(service_model().operation_names)
JSON_1_0 = {"Content-Type": "application/x-amz-json-1.0"}
ARN_LIKE = st.sampled_from(
    [
        "arn:aws:states:us-east-1:123456789012:stateMachine:fuzz",
        "arn:aws:states:us-east-1:123456789012:execution:fuzz:run",
        "arn:aws:states:us-east-1:123456789012:activity:fuzz",
        "arn:aws:states:us-east-1:123456789012:stateMachine:fuzz:1",
        "arn:aws:iam::123456789012:role/r",
        "",
        "arn:",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    ARN_LIKE,
    st.sampled_from(
        ['{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', "{}", "[", "STANDARD", "EXPRESS"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    action = draw(st.sampled_from([*ACTIONS, "Nope"]))
    members = list(service_model().operation_model(action).input_shape.members) if action in ACTIONS else ["x"]
    chosen = draw(st.lists(st.sampled_from(members), unique=True, max_size=len(members)))
    return action, {name: draw(VALUES) for name in chosen}


@pytest.fixture(scope="module")
def server() -> Iterator[EndpointServer]:
    """A server whose ``answer`` is called directly (the HTTP framing is tested elsewhere)."""
    endpoint = EndpointServer(port=0, settings=EndpointSettings.from_environment({}))
    client = endpoint.client
    definition = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
    client.create_state_machine(name="fuzz", definition=definition, roleArn="arn:aws:iam::123456789012:role/r")
    client.create_activity(name="fuzz")
    try:
        yield endpoint
    finally:
        endpoint.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests())
def test_every_answer_is_success_or_a_client_error(server: EndpointServer, request: tuple[str, dict[str, Any]]) -> None:
    action, params = request
    headers = {**JSON_1_0, "X-Amz-Target": f"AWSStepFunctions.{action}"}
    status, payload, request_id = server.answer("POST", headers, json.dumps(params).encode())
    body = json.loads(payload)
    assert request_id
    if status != 200:
        assert 400 <= status < 500, body
        assert set(body) == {"__type", "message"}
        assert body["__type"].rsplit("#", 1)[1]
