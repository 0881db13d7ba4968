"""State names: at most 80 characters, refused as CreateStateMachine refuses longer ones.

AWS's API reference gives state names a length of 1 to 80 (``StateEnteredEventDetails.name``);
a longer name fails CreateStateMachine with ``INVALID_STATE_NAME`` (the message below is AWS's,
as reported in ChristopheBougere/asl-validator#69 and aws-cloudformation/cfn-lint#4079).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"


def machine(states: dict[str, object]) -> dict[str, object]:
    return {"StartAt": next(iter(states)), "States": states}


NAME_81 = "N" * 81


def test_a_state_name_over_80_characters_is_refused_as_aws_refuses_it() -> None:
    client = LocalStepFunctions()
    text = machine({"Hello": {"Type": "Pass", "Next": NAME_81}, NAME_81: {"Type": "Pass", "End": True}})
    with pytest.raises(ClientError) as refused:
        client.create_state_machine(name="long", definition=json.dumps(text), roleArn=ROLE)
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidDefinition"
    assert error["Message"] == (
        f"Invalid State Machine Definition: 'INVALID_STATE_NAME: Invalid State name: State '{NAME_81}' "
        f"exceeds the 80-character limit allowed by the service at /States/{NAME_81}'"
    )


def test_a_nested_state_name_over_80_characters_is_located_where_it_is() -> None:
    client = LocalStepFunctions()
    branch = {"StartAt": NAME_81, "States": {NAME_81: {"Type": "Pass", "End": True}}}
    text = machine({"P": {"Type": "Parallel", "Branches": [branch], "End": True}})
    diagnostics = client.validate_state_machine_definition(definition=json.dumps(text))["diagnostics"]
    assert [(d["code"], d["location"]) for d in diagnostics] == [
        ("INVALID_STATE_NAME", f"/States/P/Branches[0]/States/{NAME_81}")
    ]


def test_a_state_name_of_exactly_80_characters_is_accepted() -> None:
    client = LocalStepFunctions()
    name = "N" * 80
    text = machine({name: {"Type": "Pass", "End": True}})
    arn = client.create_state_machine(name="eighty", definition=json.dumps(text), roleArn=ROLE)["stateMachineArn"]
    run = client.start_execution(stateMachineArn=arn)
    assert client.describe_execution(executionArn=run["executionArn"])["status"] == "SUCCEEDED"
