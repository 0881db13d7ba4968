from __future__ import annotations

from constructs_sfn.integrations.sdk_metadata import (
    canonical_header_name,
    deterministic_request_id,
    http_date,
    sdk_http_metadata,
    with_sdk_metadata,
)

from .conftest import RequestFactory


def test_header_names_are_spelled_like_the_java_sdk() -> None:
    assert canonical_header_name("x-amzn-requestid") == "x-amzn-RequestId"
    assert canonical_header_name("content-type") == "Content-Type"
    assert canonical_header_name("x-custom") == "x-custom"


def test_metadata_shape() -> None:
    metadata = sdk_http_metadata({"content-type": "text/xml", "date": "D", "x-amzn-requestid": "r"}, 200)
    assert metadata == {
        "AllHttpHeaders": {"Content-Type": ["text/xml"], "Date": ["D"], "x-amzn-RequestId": ["r"]},
        "HttpHeaders": {"Content-Type": "text/xml", "Date": "D", "x-amzn-RequestId": "r"},
        "HttpStatusCode": 200,
    }


def test_with_sdk_metadata_sorts_keys() -> None:
    body = with_sdk_metadata({"StartDate": 1, "ExecutionArn": "a"}, headers={}, status_code=200, request_id="r")
    assert list(body) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]
    assert body["SdkResponseMetadata"] == {"RequestId": "r"}


def test_http_date_uses_the_state_entered_time(make_request: RequestFactory) -> None:
    assert http_date(make_request("r", entered_time="2024-02-29T23:59:59.500Z")) == "Thu, 29 Feb 2024 23:59:59 GMT"
    # An unparsable time falls back to the wall clock; only the format is checked.
    assert http_date(make_request("r", entered_time="?")).endswith(" GMT")


def test_request_ids_depend_on_execution_state_attempt_and_invocation(make_request: RequestFactory) -> None:
    base = deterministic_request_id(make_request("r", state_name="A"))
    assert base == deterministic_request_id(make_request("r", state_name="A"))
    assert base != deterministic_request_id(make_request("r", state_name="B"))
    assert base != deterministic_request_id(make_request("r", state_name="A", attempt=1))
    assert base != deterministic_request_id(make_request("r", state_name="A"), 1)
