"""The two validation layers in front of every operation: boto3's, then the service model's."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.validate import ParamValidator
from hypothesis import given, settings
from hypothesis import strategies as st

from constructs_sfn.local.request_validation import validate_request
from constructs_sfn.local.service_model import operation_model


def rejected(operation: str, **params: object) -> str:
    """The ValidationException message for a request."""
    with pytest.raises(ClientError) as excinfo:
        validate_request(operation, params)
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    assert excinfo.value.operation_name == operation
    return str(excinfo.value.response["Error"]["Message"])


def test_valid_request_passes() -> None:
    validate_request("StartExecution", {"stateMachineArn": "arn", "name": "n", "input": "{}"})


def test_boto3_reports_missing_and_mistyped_parameters() -> None:
    with pytest.raises(ParamValidationError) as excinfo:
        validate_request("CreateStateMachine", {"name": "", "definition": 3})
    report = str(excinfo.value)
    assert report.startswith("Parameter validation failed:\n")
    assert 'Missing required parameter in input: "roleArn"' in report
    assert "Invalid length for parameter name, value: 0, valid min length: 1" in report
    assert "Invalid type for parameter definition, value: 3" in report


def test_boto3_reports_unknown_parameters() -> None:
    with pytest.raises(ParamValidationError, match='Unknown parameter in input: "colour"'):
        validate_request("ListActivities", {"colour": "red"})


def test_too_long_string() -> None:
    assert rejected("DescribeActivity", activityArn="a" * 257) == (
        "1 validation error detected: Value '" + "a" * 257 + "' at 'activityArn' failed to satisfy constraint: "
        "Member must have length less than or equal to 256"
    )


def test_length_counts_utf16_units() -> None:
    rejected("CreateActivity", name="\U0001f600" * 41)  # 82 UTF-16 units
    validate_request("CreateActivity", {"name": "é" * 80})


def test_sensitive_members_are_not_echoed() -> None:
    message = rejected("SendTaskFailure", taskToken="t", cause="c" * 32769)
    assert message == (
        "1 validation error detected: Value at 'cause' failed to satisfy constraint: "
        "Member must have length less than or equal to 32768"
    )


def test_payloads_are_measured_in_utf8_bytes() -> None:
    validate_request("StartExecution", {"stateMachineArn": "a", "input": "x" * 262_144})
    assert "bytes in UTF-8 encoding" in rejected("StartExecution", stateMachineArn="a", input="é" * 131_073)


def test_integer_maximum() -> None:
    assert rejected("GetExecutionHistory", executionArn="a", maxResults=1001) == (
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000"
    )


def test_enum_in_aws_order() -> None:
    assert rejected("ListExecutions", statusFilter="done").endswith(
        "[SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"
    )
    assert rejected("TestState", definition="{}", inspectionLevel="ALL").endswith("[INFO, DEBUG, TRACE]")


def test_nested_members_are_checked_with_dotted_paths() -> None:
    message = rejected(
        "CreateStateMachine", name="n", definition="{}", roleArn="r", loggingConfiguration={"level": "X"}
    )
    assert "at 'loggingConfiguration.level'" in message


def test_pattern() -> None:
    message = rejected("StartExecution", stateMachineArn="a", traceHeader="é")
    assert message.endswith("Member must satisfy regular expression pattern: \\p{ASCII}*")


def test_several_errors_are_counted() -> None:
    message = rejected("CreateActivity", name="n" * 81, tags=[{"key": "k" * 129}])
    assert message.startswith("2 validation errors detected: Value '")
    assert "; Value '" in message


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=2000),
    st.text(max_size=3),
    st.text(alphabet="ab:", min_size=1, max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)


@pytest.mark.parametrize(
    "operation", ["StartExecution", "DescribeExecution", "ListExecutions", "SendTaskFailure", "GetExecutionHistory"]
)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_boto3_layer_agrees_with_botocore_for_any_request(operation: str, data: st.DataObject) -> None:
    """Requests made of scalars skip botocore's validator only when it would accept them: whatever the
    members' types, lengths and presence, ``ParamValidationError`` is raised exactly when botocore's own
    ``ParamValidator`` reports an error, with botocore's report."""
    shape = operation_model(operation).input_shape
    names = [*shape.members, "unknownMember"]
    params = data.draw(st.dictionaries(st.sampled_from(names), _SCALARS, max_size=len(names)))
    report = ParamValidator().validate(dict(params), shape)
    if report.has_errors():
        with pytest.raises(ParamValidationError) as excinfo:
            validate_request(operation, params)
        assert str(excinfo.value).endswith(report.generate_report())
        return
    code = None
    try:
        validate_request(operation, params)
    except ClientError as refused:  # the service model's own layer may still refuse it
        code = refused.response["Error"]["Code"]
    assert code in (None, "ValidationException")
