"""``constructs_sfn.cli.timeline``: AWS-format timestamps, the timeline's bounds and its outcomes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from constructs_sfn.cli.timeline import (
    MAX_TIMELINE_LINES,
    TimelineRecorder,
    aws_json_value,
    aws_timestamp,
    render_event_table,
    render_timeline,
)
from constructs_sfn.integrations import TaskServices
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/test"


def test_timestamps_have_milliseconds_and_the_utc_offset() -> None:
    """AWS timestamps have millisecond precision:
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html"""
    assert aws_timestamp(datetime(2024, 1, 1, tzinfo=UTC)) == "2024-01-01T00:00:00.000+00:00"
    assert aws_timestamp(datetime(2024, 1, 1, 0, 0, 3, 123456, tzinfo=UTC)) == "2024-01-01T00:00:03.123+00:00"
    berlin = timezone(timedelta(hours=1))
    assert aws_timestamp(datetime(2024, 1, 1, 1, 0, tzinfo=berlin)) == "2024-01-01T00:00:00.000+00:00"
    assert aws_timestamp(datetime(2024, 1, 1)) == "2024-01-01T00:00:00.000+00:00"  # naive: taken as UTC


def test_json_values_keep_their_shape() -> None:
    moment = datetime(2024, 5, 1, 12, tzinfo=UTC)
    value = {"a": [moment, {"b": moment}], "n": 1, "s": "x", "none": None}
    assert aws_json_value(value) == {
        "a": ["2024-05-01T12:00:00.000+00:00", {"b": "2024-05-01T12:00:00.000+00:00"}],
        "n": 1,
        "s": "x",
        "none": None,
    }


def _run(definition: dict[str, object], input_text: str = "{}") -> tuple[TimelineRecorder, LocalStepFunctions, str]:
    recorder = TimelineRecorder()
    client = LocalStepFunctions(observer=recorder)
    arn = client.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    execution_arn = client.start_execution(stateMachineArn=arn, input=input_text)["executionArn"]
    return recorder, client, execution_arn


def test_a_long_loop_is_cut_at_the_line_limit() -> None:
    loop = {
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More"},
            "More": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericLessThan": 300, "Next": "Count"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    recorder, client, arn = _run(loop, '{"n": 0}')
    execution = client.local_execution(arn)
    assert execution.status == "SUCCEEDED"
    assert len(recorder.visits) == 601
    lines = render_timeline(recorder, loop, start=execution.start_date, running=False)
    assert len(lines) == MAX_TIMELINE_LINES + 1
    assert lines[-1] == f"... and {601 - MAX_TIMELINE_LINES} more state visits (--history shows every event)"


def test_a_stopped_state_and_a_failure() -> None:
    machine = {
        "StartAt": "Hold",
        "States": {"Hold": {"Type": "Wait", "Seconds": 10, "Next": "Boom"}, "Boom": {"Type": "Fail", "Error": "E"}},
    }
    recorder, client, arn = _run(machine)
    execution = client.local_execution(arn)
    lines = render_timeline(recorder, machine, start=execution.start_date, running=False)
    assert [line.split() for line in lines] == [
        ["+0s", "Hold", "Wait", "10s", "->", "Boom"],
        ["+10s", "Boom", "Fail", "0s", "failed:", "E"],
    ]


def test_child_executions_are_left_out() -> None:
    recorder = TimelineRecorder()
    client = LocalStepFunctions(observer=recorder, services=TaskServices(read_env=False))  # nested executions
    child = {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}}
    child_arn = client.create_state_machine(name="child", definition=json.dumps(child), roleArn=ROLE)["stateMachineArn"]
    parent = {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn},
                "End": True,
            }
        },
    }
    parent_arn = client.create_state_machine(name="parent", definition=json.dumps(parent), roleArn=ROLE)[
        "stateMachineArn"
    ]
    execution_arn = client.start_execution(stateMachineArn=parent_arn)["executionArn"]
    assert client.describe_execution(executionArn=execution_arn)["status"] == "SUCCEEDED"
    assert [visit.name for visit in recorder.visits] == ["Call"]


def test_event_table_columns() -> None:
    events = [
        {"timestamp": datetime(2024, 1, 1, tzinfo=UTC), "type": "ExecutionStarted", "id": 1, "previousEventId": 0},
        {
            "timestamp": datetime(2024, 1, 1, 0, 0, 1, tzinfo=UTC),
            "type": "ExecutionFailed",
            "id": 2,
            "previousEventId": 1,
            "executionFailedEventDetails": {"error": "E", "cause": "not shown in the table"},
        },
    ]
    assert render_event_table(events) == [
        "ID  PREV  TIMESTAMP                      TYPE              DETAILS",
        " 1     0  2024-01-01T00:00:00.000+00:00  ExecutionStarted",
        " 2     1  2024-01-01T00:00:01.000+00:00  ExecutionFailed   error=E",
    ]


def test_map_iterations_are_labelled_by_index_nested_maps_by_both() -> None:
    """Concurrent Map iterations enter the same states; each visit names its iteration, inside the
    iteration of an enclosing Map (a Parallel branch continues the iteration it runs in)."""
    cell = {
        "Type": "Parallel",
        "Branches": [{"StartAt": "L", "States": {"L": {"Type": "Pass", "End": True}}}],
        "End": True,
    }
    machine = {
        "StartAt": "Outer",
        "States": {
            "Outer": {
                "Type": "Map",
                "ItemsPath": "$.rows",
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {
                        "Inner": {
                            "Type": "Map",
                            "ItemProcessor": {
                                "StartAt": "Hold",
                                "States": {
                                    "Hold": {"Type": "Wait", "SecondsPath": "$", "Next": "Cell"},
                                    "Cell": cell,
                                },
                            },
                            "End": True,
                        }
                    },
                },
                "End": True,
            }
        },
    }
    recorder, client, arn = _run(machine, '{"rows": [[3, 1], [2]]}')
    execution = client.local_execution(arn)
    assert execution.status == "SUCCEEDED", execution.cause
    seen = sorted(
        (visit.name, visit.iteration, (visit.ended - visit.started).total_seconds())
        for visit in recorder.visits
        if visit.ended
    )
    assert seen == [
        ("Cell", (0, 0), 0.0),
        ("Cell", (0, 1), 0.0),
        ("Cell", (1, 0), 0.0),
        ("Hold", (0, 0), 3.0),
        ("Hold", (0, 1), 1.0),
        ("Hold", (1, 0), 2.0),
        ("Inner", (0,), 3.0),
        ("Inner", (1,), 2.0),
        ("L", (0, 0), 0.0),
        ("L", (0, 1), 0.0),
        ("L", (1, 0), 0.0),
        ("Outer", (), 3.0),
    ]
    lines = render_timeline(recorder, machine, start=execution.start_date, running=False)
    assert any(line.split()[:3] == ["+0s", "Hold", "[0,1]"] and line.endswith("1s  -> Cell") for line in lines), lines


def test_retries_name_one_error_when_all_were_the_same_and_each_otherwise() -> None:
    """Each Retry rule matches its own errors: https://states-language.net/spec.html#retrying-after-error"""
    from constructs_sfn.asl.errors import StatesError

    outcomes = iter(["Busy", "Limit", "Busy", None, "Busy", "Busy", None])  # None: the call succeeds

    def flaky(event: object, context: object) -> object:
        error = next(outcomes)
        if error is not None:
            raise StatesError(error, "try again")
        return {}

    retry = [{"ErrorEquals": ["Busy", "Limit"], "MaxAttempts": 3, "IntervalSeconds": 1, "BackoffRate": 1}]
    task = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F", "Retry": retry}
    machine = {"StartAt": "A", "States": {"A": {**task, "Next": "B"}, "B": {**task, "End": True}}}
    recorder = TimelineRecorder()
    services = TaskServices(read_env=False).bind_lambda("F", flaky)
    client = LocalStepFunctions(observer=recorder, services=services)
    arn = client.create_state_machine(name="m", definition=json.dumps(machine), roleArn=ROLE)["stateMachineArn"]
    execution_arn = client.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    execution = client.local_execution(execution_arn)
    assert execution.status == "SUCCEEDED", execution.cause
    lines = render_timeline(recorder, machine, start=execution.start_date, running=False)
    assert lines[0].endswith("3s  retried 3x after Busy, Limit, Busy; -> B")
    assert lines[1].endswith("2s  retried 2x after Busy; end")
