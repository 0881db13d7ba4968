"""Task states: the TaskService contract, events, timeouts, heartbeats, callbacks and activities."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from runtime_support import (
    ACTIVITY_ARN,
    EPOCH,
    LAMBDA_ARN,
    LAMBDA_INVOKE,
    SQS_CALLBACK,
    FakeService,
    assert_well_formed,
    decoded,
    details,
    execute,
    machine,
    of_type,
    offsets,
    one,
    single,
    types,
)

from constructs_sfn.asl import ExecutionContextInfo
from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.runtime.state_task import activity_started
from constructs_sfn.asl.services import TaskOutcome, TaskRequest


def task(resource: str = LAMBDA_INVOKE, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, **fields}


class TestRequestResponse:
    def test_the_service_gets_the_evaluated_parameters_and_identity(self) -> None:
        service = FakeService(TaskOutcome.success({"Payload": {"ok": True}}))
        info = ExecutionContextInfo(
            execution_arn="arn:aws:states:us-east-1:1:execution:M:e",
            state_machine_arn="arn:aws:states:us-east-1:1:stateMachine:M",
        )
        state = task(
            Parameters={"FunctionName": "f", "Payload.$": "$.body"},
            ResultSelector={"ok.$": "$.Payload.ok"},
            ResultPath="$.result",
            TimeoutSeconds=30,
            HeartbeatSeconds=10,
        )

        execution = execute(single(state), {"body": {"n": 1}}, services=service, info=info)

        assert execution.output == {"body": {"n": 1}, "result": {"ok": True}}
        (request,) = service.requests
        assert request.resource == LAMBDA_INVOKE
        assert request.parameters == {"FunctionName": "f", "Payload": {"n": 1}}
        assert request.state_name == "S"
        assert request.execution_arn == "arn:aws:states:us-east-1:1:execution:M:e"
        assert request.state_machine_arn == "arn:aws:states:us-east-1:1:stateMachine:M"
        assert request.attempt == 0
        assert request.task_token is None
        assert (request.timeout_seconds, request.heartbeat_seconds) == (30, 10)
        assert request.query_language == "JSONPath"
        assert request.integration == "request-response"
        assert request.context["State"]["Name"] == "S"
        assert request.context["Execution"]["Input"] == {"body": {"n": 1}}

    def test_without_parameters_the_service_gets_the_effective_input(self) -> None:
        service = FakeService()

        execute(single(task(InputPath="$.inner")), {"inner": {"x": 1}, "outer": 2}, services=service)

        assert service.requests[0].parameters == {"x": 1}

    def test_service_integration_events(self) -> None:
        service = FakeService(TaskOutcome.success({"done": 1}))

        execution = execute(single(task(Parameters={"a": 1}, TimeoutSeconds=30)), services=service)

        assert types(execution) == [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
        scheduled = details(one(execution, "TaskScheduled"))
        assert scheduled == {
            "resourceType": "lambda",
            "resource": "invoke",
            "region": "us-east-1",
            "parameters": '{"a":1}',
            "timeoutInSeconds": 30,
        }
        assert details(one(execution, "TaskStarted")) == {"resourceType": "lambda", "resource": "invoke"}
        assert details(one(execution, "TaskSucceeded")) == {
            "resourceType": "lambda",
            "resource": "invoke",
            "output": '{"done":1}',
            "outputDetails": {"truncated": False},
        }
        assert_well_formed(execution)

    @pytest.mark.parametrize(
        ("resource", "resource_type", "name"),
        [
            ("arn:aws:states:::aws-sdk:s3:getObject", "aws-sdk:s3", "getObject"),
            ("arn:aws:states:::dynamodb:putItem", "dynamodb", "putItem"),
            ("arn:aws:states:::sns:publish.waitForTaskToken", "sns", "publish.waitForTaskToken"),
            ("arn:aws:states:::states:startExecution.sync", "states", "startExecution.sync"),
            ("arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", "aws-sdk:sfn", "sendTaskSuccess"),
        ],
    )
    def test_resource_type_and_name_in_events(self, resource: str, resource_type: str, name: str) -> None:
        service = FakeService(TaskOutcome(output={}, resolves_callback=True))

        execution = execute(single(task(resource)), services=service)

        scheduled = details(one(execution, "TaskScheduled"))
        assert (scheduled["resourceType"], scheduled["resource"]) == (resource_type, name)

    def test_bare_lambda_arn_uses_lambda_function_events(self) -> None:
        service = FakeService(TaskOutcome.success({"r": 1}))

        execution = execute(single(task(LAMBDA_ARN, TimeoutSeconds=5)), {"in": 1}, services=service)

        assert types(execution) == [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
        assert details(one(execution, "LambdaFunctionScheduled")) == {
            "input": '{"in":1}',
            "inputDetails": {"truncated": False},
            "resource": LAMBDA_ARN,
            "timeoutInSeconds": 5,
        }
        assert "lambdaFunctionStartedEventDetails" not in one(execution, "LambdaFunctionStarted")
        assert details(one(execution, "LambdaFunctionSucceeded")) == {
            "output": '{"r":1}',
            "outputDetails": {"truncated": False},
        }

    def test_bare_lambda_failure_events(self) -> None:
        execution = execute(single(task(LAMBDA_ARN)), services=FakeService(TaskOutcome.failure("Exception", "trace")))

        assert details(one(execution, "LambdaFunctionFailed")) == {"error": "Exception", "cause": "trace"}
        assert details(execution.events[-1]) == {"error": "Exception", "cause": "trace"}

    def test_service_failure_events(self) -> None:
        execution = execute(single(task()), services=FakeService(TaskOutcome.failure("Lambda.Unknown", "why")))

        assert details(one(execution, "TaskFailed")) == {
            "error": "Lambda.Unknown",
            "cause": "why",
            "resourceType": "lambda",
            "resource": "invoke",
        }

    def test_a_service_that_raises_fails_the_task_not_the_executor(self) -> None:
        def explode(request: TaskRequest) -> TaskOutcome:
            raise RuntimeError("kaboom")

        execution = execute(single(task(LAMBDA_ARN)), services=FakeService(explode))

        assert execution.status == "FAILED"
        assert execution.error == "States.TaskFailed"
        assert execution.cause == "RuntimeError: kaboom"

    def test_a_service_may_raise_states_error(self) -> None:
        def refuse(request: TaskRequest) -> TaskOutcome:
            raise StatesError("Svc.Denied", "no")

        execution = execute(single(task()), services=FakeService(refuse))

        assert (execution.error, execution.cause) == ("Svc.Denied", "no")

    def test_credentials_are_evaluated_and_passed_on(self) -> None:
        service = FakeService()

        execute(
            single(task(Credentials={"RoleArn.$": "$.role"})),
            {"role": "arn:aws:iam::1:role/x"},
            services=service,
        )

        assert service.requests[0].credentials == {"RoleArn": "arn:aws:iam::1:role/x"}

    def test_jsonata_arguments_and_output(self) -> None:
        service = FakeService(TaskOutcome.success({"Payload": 41}))
        state = task(
            Arguments={"FunctionName": "f", "Payload": "{% $states.input.n %}"},
            Output={"answer": "{% $states.result.Payload + 1 %}"},
            End=True,
        )

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"n": 7}, services=service)

        assert service.requests[0].parameters == {"FunctionName": "f", "Payload": 7}
        assert service.requests[0].query_language == "JSONata"
        assert execution.output == {"answer": 42}

    def test_a_lambda_result_over_the_limit_names_the_function(self) -> None:
        execution = execute(single(task(LAMBDA_ARN)), services=FakeService(TaskOutcome.success("x" * 300_000)))

        assert execution.error == "States.DataLimitExceeded"
        assert execution.cause == (
            f"The state/task '{LAMBDA_ARN}' returned a result with a size exceeding the maximum number of bytes "
            "service limit."
        )
        assert types(execution)[-2:] == ["LambdaFunctionFailed", "ExecutionFailed"]

    def test_a_service_result_over_the_limit_names_the_service(self) -> None:
        execution = execute(single(task()), services=FakeService(TaskOutcome.success("x" * 300_000)))

        assert execution.error == "States.DataLimitExceeded"
        assert execution.cause == (
            "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."
        )


class TestDurationAndTimeouts:
    def test_duration_moves_the_clock(self) -> None:
        execution = execute(single(task()), services=FakeService(TaskOutcome.success({}, duration=90)))

        assert execution.status == "SUCCEEDED"
        assert offsets(of_type(execution, "TaskSucceeded")) == [90]
        assert execution.stop_date == EPOCH + timedelta(seconds=90)

    def test_work_longer_than_timeout_seconds_times_out(self) -> None:
        execution = execute(single(task(TimeoutSeconds=5)), services=FakeService(TaskOutcome.success({}, duration=10)))

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "States.Timeout", None)
        timed_out = one(execution, "TaskTimedOut")
        assert details(timed_out) == {
            "resourceType": "lambda",
            "resource": "invoke",
            "error": "States.Timeout",
        }
        assert offsets([timed_out]) == [5]
        assert details(execution.events[-1]) == {"error": "States.Timeout"}

    def test_lambda_arn_timeout_event(self) -> None:
        execution = execute(
            single(task(LAMBDA_ARN, TimeoutSeconds=5)),
            services=FakeService(TaskOutcome.success({}, duration=6)),
        )

        assert types(execution)[-2:] == ["LambdaFunctionTimedOut", "ExecutionFailed"]
        assert details(one(execution, "LambdaFunctionTimedOut")) == {"error": "States.Timeout"}

    def test_work_within_timeout_succeeds(self) -> None:
        execution = execute(single(task(TimeoutSeconds=5)), services=FakeService(TaskOutcome.success({}, duration=4)))

        assert execution.status == "SUCCEEDED"

    def test_work_that_never_finishes_times_out_at_timeout_seconds(self) -> None:
        execution = execute(single(task(TimeoutSeconds=30)), services=FakeService(TaskOutcome.never()))

        assert execution.error == "States.Timeout"
        assert offsets([one(execution, "TaskTimedOut")]) == [30]

    def test_work_that_never_finishes_without_limits_runs_until_the_one_year_maximum(self) -> None:
        """A STANDARD execution lasts at most a year, then times out.

        Docs: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (maximum execution
        time: one year) and tutorial-continue-new.html ("a maximum duration of one year").
        """
        execution = execute(single(task()), services=FakeService(TaskOutcome.never()))

        assert execution.status == "RUNNING"
        execution.advance_clock(364 * 86400)
        assert execution.status == "RUNNING"
        execution.advance_clock(10 * 365 * 86400)
        assert (execution.status, execution.error) == ("TIMED_OUT", "States.Timeout")

    def test_heartbeat_seconds_with_silent_work_is_a_heartbeat_timeout(self) -> None:
        execution = execute(
            single(task(TimeoutSeconds=600, HeartbeatSeconds=5)), services=FakeService(TaskOutcome.never())
        )

        assert execution.status == "FAILED"
        assert execution.error in ("States.HeartbeatTimeout", "States.Timeout")
        assert offsets([one(execution, "TaskTimedOut")]) == [5]

    def test_a_missed_heartbeat_is_recorded_as_states_timeout(self) -> None:
        execution = execute(
            single(task(TimeoutSeconds=600, HeartbeatSeconds=5)), services=FakeService(TaskOutcome.never())
        )

        assert details(one(execution, "TaskTimedOut"))["error"] == "States.Timeout"
        assert execution.error == "States.Timeout"

    def test_a_missed_heartbeat_is_caught_as_states_timeout_too(self) -> None:
        definition = machine(
            {
                "T": task(HeartbeatSeconds=5, Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "H"}], End=True),
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, services=FakeService(TaskOutcome.never()))

        assert execution.status == "SUCCEEDED"

    def test_a_missed_heartbeat_is_caught_as_heartbeat_timeout(self) -> None:
        # AWS: States.HeartbeatTimeout "is only available inside the Catch and Retry fields".
        definition = machine(
            {
                "T": task(
                    HeartbeatSeconds=5,
                    Catch=[{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "H"}],
                    End=True,
                ),
                "H": {"Type": "Pass", "End": True},
            }
        )

        execution = execute(definition, services=FakeService(TaskOutcome.never()))

        assert execution.status == "SUCCEEDED"

    def test_heartbeat_gaps_longer_than_heartbeat_seconds_time_out(self) -> None:
        outcome = TaskOutcome(output={}, duration=100, heartbeat_gaps=(5, 5, 15))

        execution = execute(single(task(HeartbeatSeconds=10)), services=FakeService(outcome))

        assert execution.status == "FAILED"
        # Beats at 5 and 10; the next one would come at 25, so the heartbeat timer fires at 20.
        assert offsets([one(execution, "TaskTimedOut")]) == [20]

    def test_regular_heartbeats_keep_long_work_alive(self) -> None:
        outcome = TaskOutcome(output={"ok": 1}, duration=100, heartbeat_gaps=(9,) * 12)

        execution = execute(single(task(HeartbeatSeconds=10)), services=FakeService(outcome))

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"ok": 1}

    def test_timeout_and_heartbeat_from_paths(self) -> None:
        service = FakeService()

        execution = execute(
            single(task(TimeoutSecondsPath="$.t", HeartbeatSecondsPath="$.h")),
            {"t": 30, "h": 5},
            services=service,
        )

        scheduled = details(one(execution, "TaskScheduled"))
        assert (scheduled["timeoutInSeconds"], scheduled["heartbeatInSeconds"]) == (30, 5)
        assert (service.requests[0].timeout_seconds, service.requests[0].heartbeat_seconds) == (30, 5)

    def test_missing_timeout_seconds_path(self) -> None:
        execution = execute(
            single(task(TimeoutSecondsPath="$.NoSuchTimeoutSecondsPath", Parameters={})),
            {"int-literal": 0},
            services=FakeService(),
        )

        assert execution.cause == (
            "An error occurred while executing the state 'S' (entered at the event id #2). "
            "Invalid path '$.NoSuchTimeoutSecondsPath' : No results for path: $['NoSuchTimeoutSecondsPath']"
        )
        assert types(execution) == ["ExecutionStarted", "TaskStateEntered", "ExecutionFailed"]

    @pytest.mark.parametrize("field", ["TimeoutSecondsPath", "HeartbeatSecondsPath"])
    def test_an_absurd_timeout_path_does_not_crash_the_executor(self, field: str) -> None:
        execution = execute(single(task(SQS_CALLBACK, **{field: "$.t"})), {"t": 10**30}, services=FakeService())

        assert execution.status in ("RUNNING", "FAILED")
        assert not (execution.cause or "").startswith("Internal executor error")

    @pytest.mark.parametrize(
        ("expression", "shown"), [("{% -5 %}", "'number' for value: -5"), ('{% "x" %}', "'string'")]
    )
    def test_bad_jsonata_timeout_seconds_names_json_types(self, expression: str, shown: str) -> None:
        state = task(TimeoutSeconds=expression, End=True)

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), services=FakeService())

        assert execution.error == "States.QueryEvaluationError"
        assert f"but was {shown}" in (execution.cause or "")

    def test_jsonata_timeout_seconds_expression(self) -> None:
        service = FakeService()
        state = task(TimeoutSeconds="{% $states.input.limit %}", End=True)

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), {"limit": 12}, services=service)

        assert details(one(execution, "TaskScheduled"))["timeoutInSeconds"] == 12
        assert service.requests[0].timeout_seconds == 12


class TestWaitForTaskToken:
    def start(self, **fields: Any) -> tuple[Any, FakeService, str]:
        service = FakeService(TaskOutcome.success({"MessageId": "m-1"}))
        state = task(SQS_CALLBACK, Parameters={"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, **fields)
        execution = execute(single(state), {"order": 1}, services=service)
        token = service.requests[0].task_token
        assert token is not None
        return execution, service, token

    def test_the_execution_pauses_with_the_token_in_the_parameters(self) -> None:
        execution, service, token = self.start()

        assert execution.status == "RUNNING"
        assert execution.stop_date is None
        assert service.requests[0].parameters == {"QueueUrl": "q", "MessageBody": {"token": token}}
        assert service.requests[0].integration == "waitForTaskToken"
        assert set(execution.tokens) == {token}
        assert execution.tokens[token]["state"] == "S"
        assert types(execution) == [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
        ]
        assert details(one(execution, "TaskSubmitted")) == {
            "resourceType": "sqs",
            "resource": "sendMessage.waitForTaskToken",
            "output": '{"MessageId":"m-1"}',
            "outputDetails": {"truncated": False},
        }
        assert decoded(details(one(execution, "TaskScheduled"))["parameters"])["MessageBody"]["token"] == token

    def test_send_task_success_resumes_with_the_callback_output(self) -> None:
        execution, _service, token = self.start()
        execution.advance_clock(3600)

        assert execution.send_task_success(token, '{"approved": true}') is True

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"approved": True}
        succeeded = one(execution, "TaskSucceeded")
        assert details(succeeded)["output"] == '{"approved":true}'
        assert offsets([succeeded]) == [3600]
        assert execution.tokens == {}
        assert execution.send_task_success(token, "{}") is False

    def test_send_task_failure_fails_the_task(self) -> None:
        execution, _service, token = self.start()

        assert execution.send_task_failure(token, "Rejected", "by a human") is True

        assert (execution.status, execution.error, execution.cause) == ("FAILED", "Rejected", "by a human")
        assert details(one(execution, "TaskFailed")) == {
            "error": "Rejected",
            "cause": "by a human",
            "resourceType": "sqs",
            "resource": "sendMessage.waitForTaskToken",
        }

    def test_callback_failure_can_be_caught(self) -> None:
        service = FakeService()
        definition = machine(
            {
                "T": task(SQS_CALLBACK, Catch=[{"ErrorEquals": ["Rejected"], "Next": "H", "ResultPath": "$.e"}]),
                "H": {"Type": "Pass", "End": True},
            }
        )
        definition["States"]["T"]["End"] = True
        execution = execute(definition, {"a": 1}, services=service)

        execution.send_task_failure(service.requests[0].task_token or "", "Rejected", "no")

        assert execution.output == {"a": 1, "e": {"Error": "Rejected", "Cause": "no"}}

    def test_unknown_tokens_are_refused(self) -> None:
        execution, _service, _token = self.start()

        assert execution.send_task_success("nope", "{}") is False
        assert execution.send_task_failure("nope", "E", "C") is False
        assert execution.send_task_heartbeat("nope") is False
        assert execution.status == "RUNNING"

    def test_timeout_seconds_fires_once_time_passes(self) -> None:
        execution, _service, _token = self.start(TimeoutSeconds=100)

        execution.advance_clock(99)
        assert execution.status == "RUNNING"
        execution.advance_clock(1)

        assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
        assert offsets([one(execution, "TaskTimedOut")]) == [100]

    def test_heartbeats_keep_a_callback_alive(self) -> None:
        execution, _service, token = self.start(HeartbeatSeconds=60)

        execution.advance_clock(50)
        assert execution.send_task_heartbeat(token) is True
        execution.advance_clock(100)  # fires at 50 + 60 = 110

        assert execution.status == "FAILED"
        assert offsets([one(execution, "TaskTimedOut")]) == [110]

    def test_a_heartbeat_survives_the_old_deadline(self) -> None:
        execution, _service, token = self.start(HeartbeatSeconds=60)

        execution.advance_clock(30)
        execution.send_task_heartbeat(token)
        execution.advance_clock(50)  # t=80: old deadline 60 passed, new deadline is 90

        assert execution.status == "RUNNING"

    def test_a_mock_may_resolve_the_callback_itself(self) -> None:
        """The submission went through before the callback came: TaskSubmitted, then TaskSucceeded.

        Docs: https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html (callback tasks
        are submitted, then wait for the token) and sfn-local-test-sm-exec.html (a mock answers the task).
        """
        service = FakeService(TaskOutcome(output={"cb": 1}, resolves_callback=True))

        execution = execute(single(task(SQS_CALLBACK)), services=service)

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"cb": 1}
        assert types(execution)[3:6] == ["TaskStarted", "TaskSubmitted", "TaskSucceeded"]

    def test_a_failed_submission_fails_without_waiting(self) -> None:
        execution = execute(single(task(SQS_CALLBACK)), services=FakeService(TaskOutcome.failure("SQS.Err", "x")))

        assert (execution.status, execution.error) == ("FAILED", "SQS.Err")
        assert execution.tokens == {}

    def test_every_attempt_and_state_gets_a_fresh_token(self) -> None:
        service = FakeService()
        definition = machine(
            {"A": task(SQS_CALLBACK, Next="B"), "B": task(SQS_CALLBACK, End=True)},
        )
        execution = execute(definition, services=service)
        first = service.requests[0].task_token or ""

        execution.send_task_success(first, '{"step": 1}')
        assert execution.status == "RUNNING"
        second = service.requests[1].task_token or ""
        assert second not in ("", first)
        execution.send_task_success(second, '{"step": 2}')

        assert execution.output == {"step": 2}

    def test_parallel_branches_wait_for_their_own_tokens(self) -> None:
        service = FakeService()
        definition = single(
            {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": task(SQS_CALLBACK, End=True)}},
                    {"StartAt": "B", "States": {"B": task(SQS_CALLBACK, End=True)}},
                ],
            }
        )
        execution = execute(definition, services=service)
        tokens = {r.state_name: r.task_token or "" for r in service.requests}

        execution.send_task_success(tokens["B"], '"b"')
        assert execution.status == "RUNNING"
        execution.send_task_success(tokens["A"], '"a"')

        assert execution.output == ["a", "b"]

    def test_map_iterations_wait_within_max_concurrency(self) -> None:
        service = FakeService()
        processor = {
            "StartAt": "T",
            "States": {"T": task(SQS_CALLBACK, Parameters={"item.$": "$"}, End=True)},
        }
        execution = execute(
            single({"Type": "Map", "MaxConcurrency": 2, "ItemProcessor": processor}), [10, 20, 30], services=service
        )
        assert [r.parameters for r in service.requests] == [{"item": 10}, {"item": 20}]

        execution.send_task_success(service.requests[1].task_token or "", '"b"')
        assert [r.parameters for r in service.requests][2:] == [{"item": 30}]
        execution.send_task_success(service.requests[2].task_token or "", '"c"')
        assert execution.status == "RUNNING"
        execution.send_task_success(service.requests[0].task_token or "", '"a"')

        assert execution.status == "SUCCEEDED"
        assert execution.output == ["a", "b", "c"]

    def test_answers_and_time_after_the_end_change_nothing(self) -> None:
        execution, _service, token = self.start()
        execution.send_task_success(token, "{}")
        count = len(execution.events)

        execution.advance_clock(3600)

        assert execution.send_task_failure(token, "E", "C") is False
        assert execution.send_task_heartbeat(token) is False
        assert execution.status == "SUCCEEDED"
        assert len(execution.events) == count

    def test_jsonata_arguments_see_the_token(self) -> None:
        service = FakeService()
        state = task(SQS_CALLBACK, Arguments={"token": "{% $states.context.Task.Token %}"}, End=True)

        execution = execute(machine({"S": state}, QueryLanguage="JSONata"), services=service)

        assert execution.status == "RUNNING"
        assert service.requests[0].parameters == {"token": service.requests[0].task_token}


class TestActivities:
    def test_an_activity_waits_for_a_worker(self) -> None:
        execution = execute(single(task(ACTIVITY_ARN, TimeoutSeconds=50, HeartbeatSeconds=10)), {"job": 1})

        assert execution.status == "RUNNING"
        assert types(execution)[-1] == "ActivityScheduled"
        assert details(execution.events[-1]) == {
            "input": '{"job":1}',
            "inputDetails": {"truncated": False},
            "resource": ACTIVITY_ARN,
            "timeoutInSeconds": 50,
            "heartbeatInSeconds": 10,
        }
        (token,) = execution.tokens
        assert execution.tokens[token]["activity_arn"] == ACTIVITY_ARN
        assert json.loads(execution.tokens[token]["input"]) == {"job": 1}

    def test_worker_start_and_success(self) -> None:
        execution = execute(single(task(ACTIVITY_ARN)), {"job": 1})
        (token,) = execution.tokens

        activity_started(execution, token, "worker-1")
        execution.send_task_success(token, '{"done": true}')

        assert execution.status == "SUCCEEDED"
        assert execution.output == {"done": True}
        assert types(execution)[2:] == [
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
        assert details(one(execution, "ActivityStarted")) == {"workerName": "worker-1"}
        assert_well_formed(execution)

    def test_worker_failure(self) -> None:
        execution = execute(single(task(ACTIVITY_ARN)))
        (token,) = execution.tokens

        execution.send_task_failure(token, "Worker.Error", "crashed")

        assert (execution.error, execution.cause) == ("Worker.Error", "crashed")
        assert details(one(execution, "ActivityFailed")) == {"error": "Worker.Error", "cause": "crashed"}

    def test_activity_timeout(self) -> None:
        execution = execute(single(task(ACTIVITY_ARN, TimeoutSeconds=5)))

        execution.advance_clock(5)

        assert (execution.status, execution.error) == ("FAILED", "States.Timeout")
        assert details(one(execution, "ActivityTimedOut")) == {"error": "States.Timeout"}
        assert details(execution.events[-1]) == {"error": "States.Timeout"}
