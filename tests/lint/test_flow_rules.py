"""SFN030-SFN042: Map concurrency, Parallel fire-and-forget, reachability, endless loops, Choice Default."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl import parse_definition
from constructs_sfn.lint import LintContext, rule
from lint.helpers import found, machine, task

ITEM = machine({"Item": {"Type": "Pass", "End": True}})


def _map(**fields: Any) -> dict[str, Any]:
    return machine({"Each": {"Type": "Map", "ItemProcessor": ITEM, "End": True, **fields}})


def test_sfn030_unbounded_map_over_a_dynamic_array() -> None:
    [finding] = found(_map(ItemsPath="$.orders"), "SFN030")
    assert finding.severity == "warning"
    assert "'$.orders'" in finding.message
    assert len(found(_map(MaxConcurrency=0), "SFN030")) == 1


def test_sfn030_unbounded_distributed_map_over_s3() -> None:
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
        "Parameters": {"Bucket": "b", "Key": "k.csv"},
    }
    processor = {**ITEM, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}
    [finding] = found(_map(ItemReader=reader, ItemProcessor=processor), "SFN030")
    assert "S3" in finding.message


def test_sfn030_passes_bounded_or_literal_items() -> None:
    assert found(_map(MaxConcurrency=5), "SFN030") == []
    assert found(_map(MaxConcurrencyPath="$.limit"), "SFN030") == []
    literal = machine(
        {"Each": {"Type": "Map", "QueryLanguage": "JSONata", "Items": [1, 2, 3], "ItemProcessor": ITEM, "End": True}}
    )
    assert found(literal, "SFN030") == []


def _parallel(*branches: dict[str, Any]) -> dict[str, Any]:
    return machine({"Both": {"Type": "Parallel", "Branches": list(branches), "ResultPath": None, "End": True}})


def test_sfn031_parallel_branch_that_only_fires() -> None:
    fire = machine({"Notify": task("arn:aws:states:::sns:publish", Parameters={"TopicArn": "t", "Message": "m"})})
    work = machine({"Work": task("arn:aws:states:::dynamodb:putItem", Parameters={"TableName": "t", "Item": {}})})
    [finding] = found(_parallel(work, fire), "SFN031")
    assert finding.pointer == "/States/Both/Branches/1"
    assert "Notify" in finding.message
    async_lambda = machine(
        {"Kick": task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "f", "InvocationType": "Event"})}
    )
    assert len(found(_parallel(work, async_lambda), "SFN031")) == 1


def test_sfn031_passes_branches_that_do_work() -> None:
    work = machine({"Work": task("arn:aws:states:::dynamodb:putItem", Parameters={"TableName": "t", "Item": {}})})
    sync_lambda = machine({"Call": task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "f"})})
    assert found(_parallel(work, sync_lambda), "SFN031") == []


def _hits(rule_id: str, definition: dict[str, Any]) -> list[str | None]:
    return [hit.state for hit in rule(rule_id).check(LintContext(parse_definition(definition, validate=False)))]


def test_sfn040_unreachable_state() -> None:
    orphan = machine({"A": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}})
    assert _hits("SFN040", orphan) == ["Orphan"]
    # the validator rejects it as AWS does; lint shows that error once, for the state
    [error] = found(orphan, "SFN000")
    assert (error.severity, error.state, error.pointer) == ("error", "Orphan", "/States/Orphan")
    assert found(orphan, "SFN040") == []


def test_sfn040_unreachable_state_inside_a_branch() -> None:
    branch = machine({"A": {"Type": "Pass", "End": True}, "Lost": {"Type": "Pass", "End": True}})
    definition = machine({"P": {"Type": "Parallel", "Branches": [branch], "End": True}})
    assert _hits("SFN040", definition) == ["Lost"]


def test_sfn040_passes_connected_graph() -> None:
    connected = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}})
    assert _hits("SFN040", connected) == []


def test_sfn041_loop_that_can_never_end() -> None:
    loop = machine(
        {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "Finished"}],
                "Default": "Poll",
            },
            "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Again"},
            "Again": {"Type": "Pass", "Next": "Poll"},
            "Finished": {"Type": "Succeed"},
        }
    )
    findings = found(loop, "SFN041")
    assert [(f.state, f.severity) for f in findings] == [("Poll", "error"), ("Again", "error")]
    assert "can never reach an end" in findings[0].message


def test_sfn041_passes_loop_with_an_exit_and_catch_paths() -> None:
    polling = machine(
        {
            "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "Finished"}],
                "Default": "Poll",
            },
            "Finished": {"Type": "Succeed"},
        }
    )
    assert found(polling, "SFN041") == []
    # a Catch is a way out too
    retrying = machine(
        {
            "Call": task(
                Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "Failed"}], End=None, Next="Call"
            ),
            "Failed": {"Type": "Fail", "Error": "Gave.Up"},
        }
    )
    assert found(retrying, "SFN041") == []


def test_sfn041_does_not_blame_a_missing_target() -> None:
    broken = machine({"A": {"Type": "Pass", "Next": "Nowhere"}})
    assert found(broken, "SFN041") == []
    assert [f.message.split(":")[0] for f in found(broken, "SFN000")] == [
        "MISSING_TRANSITION_TARGET",
        "MISSING_END_STATE",
    ]


def test_sfn042_choice_without_default() -> None:
    choice = {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}]}
    [finding] = found(machine({"Route": choice, "Done": {"Type": "Succeed"}}), "SFN042")
    assert (finding.state, finding.severity) == ("Route", "warning")
    with_default = {**choice, "Default": "Done"}
    assert found(machine({"Route": with_default, "Done": {"Type": "Succeed"}}), "SFN042") == []
