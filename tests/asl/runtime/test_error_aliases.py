"""An unappliable ResultPath: AWS's error name, still catchable under the spec's name."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest


class _Answer:
    def invoke(self, request: TaskRequest) -> TaskOutcome:
        return TaskOutcome.success({"x": 1})


def _machine(catch_name: str) -> dict[str, Any]:
    return {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "ResultPath": "$.a.b",
                "Catch": [{"ErrorEquals": [catch_name], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        },
    }


def test_an_unappliable_result_path_fails_with_reference_path_conflict() -> None:
    definition = parse_definition(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$.a.b", "End": True}}}
    )
    execution = Execution(definition, {"a": 5}).run()
    assert (execution.status, execution.error) == ("FAILED", "States.ReferencePathConflict")


@pytest.mark.parametrize("name", ["States.ReferencePathConflict", "States.ResultPathMatchFailure", "States.ALL"])
def test_it_is_caught_by_aws_name_spec_name_and_states_all(name: str) -> None:
    execution = Execution(parse_definition(_machine(name)), {"a": 5}, services=_Answer()).run()
    assert execution.status == "SUCCEEDED"
    assert execution.output["Error"] == "States.ReferencePathConflict"
