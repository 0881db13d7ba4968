"""Building and reading Step Functions ARNs."""

from __future__ import annotations

import pytest

from constructs_sfn.local.arns import ArnScope, ParsedArn, ResourceKind, parse_arn

SCOPE = ArnScope(partition="aws-us-gov", region="us-gov-west-1", account_id="111122223333")
MACHINES = (ResourceKind.STATE_MACHINE,)


def test_builders() -> None:
    prefix = "arn:aws-us-gov:states:us-gov-west-1:111122223333"
    assert SCOPE.state_machine("m") == f"{prefix}:stateMachine:m"
    assert SCOPE.execution("m", "e") == f"{prefix}:execution:m:e"
    assert SCOPE.express_execution("m", "e", "u") == f"{prefix}:express:m:e:u"
    assert SCOPE.activity("a") == f"{prefix}:activity:a"


def test_parse_state_machine_and_version() -> None:
    parsed = parse_arn(SCOPE.state_machine("m") + ":3", allowed=MACHINES)
    assert isinstance(parsed, ParsedArn)
    assert parsed.qualifier == "3"
    assert parsed.base_state_machine_arn == SCOPE.state_machine("m")
    assert (parsed.partition, parsed.region, parsed.account_id) == ("aws-us-gov", "us-gov-west-1", "111122223333")
    unqualified = parse_arn(SCOPE.state_machine("m"), allowed=MACHINES)
    assert isinstance(unqualified, ParsedArn)
    assert unqualified.qualifier is None


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        ("nope", "Invalid Arn: 'Invalid ARN prefix: nope'"),
        ("arn:aws:lambda:r:a:function:f", "Invalid Arn: 'arn:aws:lambda:r:a:function:f'"),
        ("arn:aws:states:r:a:activity:x", "Invalid Arn: 'Resource type not valid in this context: activity'"),
        ("arn:aws:states:r:a:stateMachine:m:1:2", "Invalid Arn: 'arn:aws:states:r:a:stateMachine:m:1:2'"),
        ("arn:aws:states:r:a:stateMachine:", "Invalid Arn: 'arn:aws:states:r:a:stateMachine:'"),
        ("arn:aws:states:r:a:stateMachine", "Invalid Arn: 'arn:aws:states:r:a:stateMachine'"),
    ],
)
def test_invalid(arn: str, message: str) -> None:
    assert parse_arn(arn, allowed=MACHINES) == message


def test_execution_segments() -> None:
    allowed = (ResourceKind.EXECUTION, ResourceKind.EXPRESS)
    assert isinstance(parse_arn(SCOPE.execution("m", "e"), allowed=allowed), ParsedArn)
    assert isinstance(parse_arn(SCOPE.express_execution("m", "e", "u"), allowed=allowed), ParsedArn)
    assert isinstance(parse_arn(SCOPE.execution("m", "e") + ":x", allowed=allowed), str)


def test_map_state_label() -> None:
    """``stateMachine:<name>/<label>`` names a Distributed Map state of the machine
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html)."""
    labelled = parse_arn(SCOPE.state_machine("m") + "/mapStateLabel", allowed=MACHINES)
    plain = parse_arn(SCOPE.state_machine("m") + ":PROD", allowed=MACHINES)
    assert isinstance(labelled, ParsedArn)
    assert isinstance(plain, ParsedArn)
    assert labelled.map_state_label == "mapStateLabel"
    assert plain.map_state_label is None
