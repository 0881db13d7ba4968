"""Distributed Map runs: child executions, counting per item, the virtual-time schedule, streaming.

Rules from the developer guide:
https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html (child workflow
executions, each with its own history and context), https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
(tolerated failures), https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
(batches) and https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from runtime_support import FakeService, execute, one, single, types

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.asl.runtime.map_run import map_runs_of
from constructs_sfn.asl.services import TaskOutcome, TaskRequest


def distributed(
    states: dict[str, Any], *, execution_type: str = "STANDARD", start_at: str | None = None, **fields: Any
) -> dict[str, Any]:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
        "StartAt": start_at or next(iter(states)),
        "States": states,
    }
    return single({"Type": "Map", "ItemProcessor": processor, **fields})


def context_echo() -> dict[str, Any]:
    return {
        "Echo": {
            "Type": "Pass",
            "Parameters": {"id.$": "$$.Execution.Id", "machine.$": "$$.StateMachine.Name", "input.$": "$"},
            "End": True,
        }
    }


def fail_when_negative() -> dict[str, Any]:
    return {
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.v", "NumericLessThan": 0, "Next": "Bad"}],
            "Default": "Good",
        },
        "Bad": {"Type": "Fail", "Error": "Negative", "Cause": "below zero"},
        "Good": {"Type": "Pass", "End": True},
    }


def test_each_item_runs_as_a_child_execution_with_its_own_context() -> None:
    execution = execute(distributed(context_echo(), Label="Lab"), [1, 2])
    assert execution.status == "SUCCEEDED"
    ids = [entry["id"] for entry in execution.output]
    assert len(set(ids)) == 2
    assert all(i.startswith("arn:aws:states:us-east-1:123456789012:execution:LocalStateMachine/Lab:") for i in ids)
    assert [entry["machine"] for entry in execution.output] == ["LocalStateMachine/Lab"] * 2
    assert [entry["input"] for entry in execution.output] == [1, 2]
    # The children's events stay out of the parent's history.
    assert "PassStateEntered" not in types(execution)


def test_express_children_have_express_arns_and_no_kept_history() -> None:
    execution = execute(distributed(context_echo(), execution_type="EXPRESS"), [1])
    assert execution.output[0]["id"].startswith("arn:aws:states:us-east-1:123456789012:express:LocalStateMachine/S:")
    [run] = map_runs_of(execution)
    assert list(run.children) == []
    assert run.executions.as_dict()["succeeded"] == 1


def test_standard_children_keep_their_own_history() -> None:
    execution = execute(distributed(context_echo()), [1, 2, 3])
    [run] = map_runs_of(execution)
    assert len(run.children) == 3
    assert [e["type"] for e in run.children[0].events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert run.children[0].events[0]["executionStartedEventDetails"]["input"] == "1"


def test_counts_by_item_and_by_execution_with_batches() -> None:
    definition = distributed(fail_when_negative(), ItemBatcher={"MaxItemsPerBatch": 2}, ToleratedFailureCount=2)
    definition["States"]["S"]["ItemProcessor"]["States"]["Check"]["Choices"][0]["Variable"] = "$.Items[0].v"
    execution = execute(definition, [{"v": 1}, {"v": 2}, {"v": -1}, {"v": 3}, {"v": 4}])
    assert execution.status == "SUCCEEDED"  # one failed batch of 2 items: 2 <= 2 tolerated
    [run] = map_runs_of(execution)
    assert {k: run.items.values[k] for k in ("total", "succeeded", "failed", "running")} == {
        "total": 5,
        "succeeded": 3,
        "failed": 2,
        "running": 0,
    }
    assert {k: run.executions.values[k] for k in ("total", "succeeded", "failed")} == {
        "total": 3,
        "succeeded": 2,
        "failed": 1,
    }
    assert run.status == "SUCCEEDED"


def test_a_failed_batch_counts_all_its_items_against_the_tolerance() -> None:
    definition = distributed(fail_when_negative(), ItemBatcher={"MaxItemsPerBatch": 3}, ToleratedFailureCount=2)
    definition["States"]["S"]["ItemProcessor"]["States"]["Check"]["Choices"][0]["Variable"] = "$.Items[0].v"
    execution = execute(definition, [{"v": -1}, {"v": 2}, {"v": 3}, {"v": 4}])
    assert (execution.status, execution.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")
    assert types(execution)[-3:] == ["MapRunFailed", "MapStateFailed", "ExecutionFailed"]
    [run] = map_runs_of(execution)
    assert run.status == "FAILED"
    assert run.items.values["failed"] == 3
    assert run.executions.values["total"] == 1  # the run stopped at the failure that crossed the threshold


@pytest.mark.parametrize(("percentage", "status"), [(25, "SUCCEEDED"), (24.9, "FAILED")])
def test_the_tolerated_percentage_of_items(percentage: float, status: str) -> None:
    items = [{"v": -1}] + [{"v": i} for i in range(3)]  # 1 of 4 = 25% fail
    execution = execute(distributed(fail_when_negative(), ToleratedFailurePercentage=percentage), items)
    assert execution.status == status
    if status == "SUCCEEDED":
        assert execution.output[0] == {"Error": "Negative", "Cause": "below zero"}


def test_without_tolerance_the_childs_failure_fails_the_map() -> None:
    execution = execute(distributed(fail_when_negative()), [{"v": 1}, {"v": -1}])
    assert (execution.error, execution.cause) == ("Negative", "below zero")
    assert one(execution, "MapRunFailed")["mapRunFailedEventDetails"] == {"error": "Negative", "cause": "below zero"}


@pytest.mark.parametrize(("concurrency", "seconds"), [(1, 40), (2, 20), (0, 10)])
def test_concurrency_schedules_the_childrens_virtual_time(concurrency: int, seconds: int) -> None:
    waiting = {"Hold": {"Type": "Wait", "Seconds": 10, "End": True}}
    execution = execute(distributed(waiting, MaxConcurrency=concurrency), [1, 2, 3, 4])
    assert execution.status == "SUCCEEDED"
    assert (execution.stop_date - execution.start_date).total_seconds() == seconds
    [run] = map_runs_of(execution)
    starts = sorted({child.start_date for child in run.children})
    assert len(starts) == (4 // concurrency if concurrency else 1)


def test_a_child_input_over_the_payload_limit_fails_that_child() -> None:
    definition = distributed(
        {"Echo": {"Type": "Pass", "Output": "{% $states.input %}", "End": True}},
        ToleratedFailureCount=1,
        ItemSelector="{% $states.context.Map.Item.Value = 'big' ? $pad('', 300000, 'x') : 'small' %}",
    )
    definition["QueryLanguage"] = "JSONata"
    execution = execute(definition, ["big", "tiny"])
    assert execution.status == "SUCCEEDED"
    assert execution.output == [
        {
            "Error": "States.DataLimitExceeded",
            "Cause": "The child execution input of 300002 bytes exceeds the maximum number of bytes service "
            "limit (262144).",
        },
        "small",
    ]


def test_a_child_waiting_for_a_callback_is_stopped_loudly() -> None:
    states = {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}}
    execution = execute(distributed(states), [1], services=FakeService(TaskOutcome.success({})))
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "cannot pause a Distributed Map child execution" in (execution.cause or "")


@pytest.mark.parametrize(
    ("transformation", "output"),
    [
        ("COMPACT", [[1, 2], [3]]),
        ("FLATTEN", [1, 2, 3]),
    ],
)
def test_writer_config_alone_shapes_the_inline_output(transformation: str, output: list[Any]) -> None:
    # input-output-resultwriter.html: WriterConfig without Resource previews the formatted output.
    execution = execute(
        distributed(
            {"Items": {"Type": "Pass", "End": True}},
            ResultWriter={"WriterConfig": {"Transformation": transformation, "OutputType": "JSON"}},
        ),
        [[1, 2], [3]],
    )
    assert execution.output == output


def test_writer_config_none_keeps_the_execution_metadata() -> None:
    execution = execute(
        distributed(
            {"Items": {"Type": "Pass", "End": True}}, ResultWriter={"WriterConfig": {"Transformation": "NONE"}}
        ),
        ["a"],
    )
    [entry] = execution.output
    assert entry["Status"] == "SUCCEEDED"
    assert (entry["Input"], entry["Output"]) == ('"a"', '"a"')
    assert entry["ExecutionArn"].startswith("arn:aws:states:us-east-1:123456789012:execution:LocalStateMachine/S:")


class CountingBody:
    """A streamed object body that records how much of it was read."""

    def __init__(self, text: str) -> None:
        self._data = io.BytesIO(text.encode())
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        return self._data.read(size)


def reader_map(input_type: str, **config: Any) -> dict[str, Any]:
    return distributed(
        {"Item": {"Type": "Pass", "End": True}},
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": input_type, **config},
            "Parameters": {"Bucket": "b", "Key": "k"},
        },
    )


def test_a_streamed_csv_body_is_read_as_far_as_max_items_needs() -> None:
    rows = "id,name\n" + "".join(f"{i},n{i}\n" for i in range(300_000))  # ~3.6 MB: several chunks
    body = CountingBody(rows)
    execution = execute(reader_map("CSV", MaxItems=2), services=FakeService(TaskOutcome.success({"Body": body})))
    assert execution.output == [{"id": "0", "name": "n0"}, {"id": "1", "name": "n1"}]
    assert body.reads == 1


def test_a_malformed_jsonl_line_late_in_the_stream_fails_the_map_run_after_the_earlier_items() -> None:
    body = CountingBody('{"a": 1}\n{"a": 2}\n{broken\n')
    execution = execute(reader_map("JSONL"), services=FakeService(TaskOutcome.success({"Body": body})))
    assert (execution.status, execution.error) == ("FAILED", "States.ItemReaderFailed")
    [run] = map_runs_of(execution)
    assert run.items.values["succeeded"] == 2
    assert types(execution)[-3:] == ["MapRunFailed", "MapStateFailed", "ExecutionFailed"]


def test_list_objects_pages_are_followed_with_the_continuation_token() -> None:
    pages = {
        None: {"Contents": [{"Key": "a"}, {"Key": "b"}], "IsTruncated": True, "NextContinuationToken": "t1"},
        "t1": {"Contents": [{"Key": "c"}], "IsTruncated": False},
    }

    def answer(request: TaskRequest) -> TaskOutcome:
        return TaskOutcome.success(pages[request.parameters.get("ContinuationToken")])

    service = FakeService(answer)
    definition = distributed(
        {"Item": {"Type": "Pass", "End": True}},
        ItemReader={"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b", "Prefix": "p/"}},
    )
    execution = execute(definition, services=service)
    assert execution.output == [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}]
    assert [r.parameters for r in service.requests] == [
        {"Bucket": "b", "Prefix": "p/"},
        {"Bucket": "b", "Prefix": "p/", "ContinuationToken": "t1"},
    ]


def test_an_s3_inventory_manifest_yields_the_rows_of_its_files() -> None:
    import gzip
    import json

    manifest = {
        "destinationBucket": "arn:aws:s3:::inventory",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size",
        "files": [{"key": "inv/data/one.csv.gz"}, {"key": "inv/data/two.csv"}],
    }
    objects = {
        "inv/manifest.json": json.dumps(manifest),
        "inv/data/one.csv.gz": gzip.compress(b'"src","a.txt","3"\n"src","b.txt","4"\n'),
        "inv/data/two.csv": '"src","c.txt","5"\n',
    }

    def answer(request: TaskRequest) -> TaskOutcome:
        assert request.parameters["Bucket"] in ("b", "inventory")
        return TaskOutcome.success({"Body": objects[request.parameters["Key"]]})

    definition = reader_map("MANIFEST")
    definition["States"]["S"]["ItemReader"]["Parameters"]["Key"] = "inv/manifest.json"
    execution = execute(definition, services=FakeService(answer))
    assert execution.output == [
        {"Bucket": "src", "Key": "a.txt", "Size": "3"},
        {"Bucket": "src", "Key": "b.txt", "Size": "4"},
        {"Bucket": "src", "Key": "c.txt", "Size": "5"},
    ]


@pytest.mark.parametrize(
    ("field", "value", "pointer"),
    [
        ("ReaderConfig", {"InputType": "PARQUET"}, "/States/S/ItemReader/ReaderConfig/InputType"),
        ("ReaderConfig", {"InputType": "MANIFEST", "ManifestType": "ATHENA_DATA"}, "/States/S/ItemReader/ReaderConfig/ManifestType"),
        ("ReaderConfig", {"InputType": "JSON", "Transformation": "LOAD_AND_FLATTEN"}, "/States/S/ItemReader/ReaderConfig/Transformation"),
        ("Resource", "arn:aws:states:::aws-sdk:s3:getObject", "/States/S/ItemReader/Resource"),
    ],
)  # fmt: skip
def test_reader_fields_the_executor_does_not_run_are_refused_when_parsed(field: str, value: Any, pointer: str) -> None:
    reader: dict[str, Any] = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "b", "Key": "k"},
    }
    reader[field] = value
    with pytest.raises(DefinitionError) as raised:
        parse_definition(distributed({"Item": {"Type": "Pass", "End": True}}, ItemReader=reader))
    assert raised.value.location == pointer
    assert "local executor" in raised.value.message


def test_a_writer_resource_the_executor_does_not_run_is_refused_when_parsed() -> None:
    writer = {"Resource": "arn:aws:states:::s3:copyObject", "Parameters": {"Bucket": "b"}}
    with pytest.raises(DefinitionError) as raised:
        parse_definition(distributed({"Item": {"Type": "Pass", "End": True}}, ResultWriter=writer))
    assert raised.value.location == "/States/S/ResultWriter/Resource"


class Recording:
    """An observer that keeps (execution, kind, pointer) of every trace event."""

    def __init__(self) -> None:
        self.seen: list[tuple[Any, str, str]] = []

    def on_event(self, execution: Any, event: Any) -> None:
        self.seen.append((execution, str(event.kind), event.pointer))


def test_an_observer_sees_the_childrens_states_as_the_parents_iterations() -> None:
    from constructs_sfn.asl.runtime import Execution, VirtualClock

    observer = Recording()
    execution = Execution(
        parse_definition(distributed(fail_when_negative(), ToleratedFailureCount=1)),
        [{"v": 1}, {"v": -1}],
        clock=VirtualClock.fixed(),
        observer=observer,
    ).run()
    assert execution.status == "SUCCEEDED"
    assert {seen[0] for seen in observer.seen} == {execution}  # the children's events come as the parent's
    kinds = [kind for _, kind, _ in observer.seen]
    assert kinds.count("execution_started") == kinds.count("execution_ended") == 1
    assert kinds.count("iteration_started") == 2
    entered = [pointer for _, kind, pointer in observer.seen if kind == "state_entered"]
    assert "/States/S/ItemProcessor/States/Bad" in entered
    assert entered.count("/States/S/ItemProcessor/States/Check") == 2


def test_an_observer_can_follow_the_map_runs_counters() -> None:
    from constructs_sfn.asl.runtime import Execution, VirtualClock

    class Progress(Recording):
        def __init__(self) -> None:
            super().__init__()
            self.counts: list[tuple[int, int]] = []

        def on_map_run_progress(self, execution: Any, run: Any) -> None:
            self.counts.append((run.items.values["succeeded"], run.items.values["failed"]))

    observer = Progress()
    definition = distributed(fail_when_negative(), ToleratedFailureCount=1)
    Execution(
        parse_definition(definition), [{"v": 1}, {"v": -1}, {"v": 2}], clock=VirtualClock.fixed(), observer=observer
    ).run()
    assert observer.counts == [(1, 0), (1, 1), (2, 1)]


def test_a_childs_task_is_asked_on_the_parents_behalf_with_the_childs_context() -> None:
    states = {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}}
    service = FakeService(TaskOutcome.success({"done": True}))
    execution = execute(distributed(states, Label="Lab"), [1, 2], services=service)
    assert execution.status == "SUCCEEDED"
    assert {r.execution_arn for r in service.requests} == {execution.info.execution_arn}
    assert {r.state_machine_arn for r in service.requests} == {execution.info.state_machine_arn}
    children = {r.context["Execution"]["Id"] for r in service.requests}
    assert len(children) == 2
    assert all(":execution:LocalStateMachine/Lab:" in arn for arn in children)
    assert {r.context["StateMachine"]["Name"] for r in service.requests} == {"LocalStateMachine/Lab"}


def test_only_the_newest_standard_children_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from constructs_sfn.asl.runtime import map_run

    monkeypatch.setattr(map_run, "MAX_KEPT_CHILDREN", 2)
    execution = execute(distributed(context_echo()), [1, 2, 3, 4, 5])
    [run] = map_runs_of(execution)
    assert [child.input_value for child in run.children] == [4, 5]
    assert run.executions.values["total"] == 5


def test_the_item_selector_picks_each_item_before_batching() -> None:
    # https://states-language.net/spec.html#batching-items: "The ItemBatcher Configuration causes
    # the interpreter to batch selected items into sub-arrays", the selected item being the
    # ItemSelector's result for one element.
    definition = distributed(
        {"Batch": {"Type": "Pass", "End": True}},
        ItemSelector={"at.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value.v", "tag.$": "$.tag"},
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run": 7}},
        ItemsPath="$.rows",
    )
    execution = execute(definition, {"tag": "t", "rows": [{"v": "a"}, {"v": "b"}, {"v": "c"}]})
    assert execution.output == [
        {"BatchInput": {"run": 7}, "Items": [{"at": 0, "v": "a", "tag": "t"}, {"at": 1, "v": "b", "tag": "t"}]},
        {"BatchInput": {"run": 7}, "Items": [{"at": 2, "v": "c", "tag": "t"}]},
    ]
