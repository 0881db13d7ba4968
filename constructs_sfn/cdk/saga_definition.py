"""The states of a saga: forward chain, reverse compensation chain, dead-letter record, Fail states.

Kept apart from :mod:`constructs_sfn.cdk.saga` (props, resources, alarms) so that the shape of the
state machine, the core guarantee of the construct, reads in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_sfn.cdk.saga_steps import (
    DEFAULT_STEP_TIMEOUT,
    SagaAction,
    SagaRetry,
    SagaStep,
    compensation_idempotency_key,
    idempotency_key,
)

__all__ = ["SagaDefinition"]

_ALL = ["States.ALL"]


class SagaDefinition:
    """Builds the saga's states under ``scope``; ``start`` is the first one.

    State names: ``Start``, then per step ``<Step>`` and ``<Step>Failed``, per compensated step
    ``Compensate<Step>`` and ``Compensate<Step>Failed``, and ``RecordCompensationFailure``,
    ``Succeeded``, ``Compensated``, ``CompensationFailed``, ``DeadLetterNotRecorded``.
    """

    def __init__(
        self,
        scope: Construct,
        steps: Sequence[SagaStep],
        *,
        dead_letter_queue: sqs.IQueue,
        record_retry: SagaRetry,
        compensated_error: str,
        compensation_failed_error: str,
    ) -> None:
        self.lambda_functions: list[lambda_.IFunction] = []
        self.start = sfn.Pass(
            scope,
            "Start",
            comment="Keep the execution input apart from the results of the steps and compensations",
            parameters={"input": sfn.JsonPath.entire_payload, "results": {}, "compensations": {}},
        )
        compensated = sfn.Fail(
            scope,
            "Compensated",
            comment="A step failed; the compensations of every step before it completed",
            error=compensated_error,
            cause_path=sfn.JsonPath.format(
                "Step {} failed ({}); the compensations of the steps before it completed",
                sfn.JsonPath.string_at("$.failedStep"),
                sfn.JsonPath.string_at("$.error.Error"),
            ),
        )
        record = self._record_state(scope, dead_letter_queue, record_retry, compensation_failed_error)

        # The compensation chain is one line, step N-1 down to step 1, entered at the
        # compensation just before the failed step: entry[i] is where a failure of step i goes.
        entry: list[sfn.IChainable] = [compensated]
        for index, step in enumerate(steps[:-1]):
            after = entry[index]
            if step.compensation is None:
                entry.append(after)
                continue
            compensation = self._build(
                step.compensation,
                scope,
                f"Compensate{step.name}",
                payload=self._compensation_payload(step.name),
                result_path=f"$.compensations.{step.name}",
                timeout=step.compensation_timeout or DEFAULT_STEP_TIMEOUT,
            )
            (step.compensation_retry or SagaRetry.for_compensations()).apply(compensation)
            compensation_failed = sfn.Pass(
                scope,
                f"Compensate{step.name}Failed",
                result=sfn.Result.from_string(step.name),
                result_path="$.failedCompensation",
            )
            compensation_failed.next(record)
            compensation.add_catch(compensation_failed, errors=_ALL, result_path="$.compensationError")
            compensation.next(after)
            entry.append(compensation)

        chain: sfn.Chain = sfn.Chain.start(self.start)
        for index, step in enumerate(steps):
            action = self._build(
                step.action,
                scope,
                step.name,
                payload=self._action_payload(step.name),
                result_path=f"$.results.{step.name}",
                timeout=step.timeout or DEFAULT_STEP_TIMEOUT,
            )
            (step.retry or SagaRetry.for_actions()).apply(action)
            failed = sfn.Pass(
                scope,
                f"{step.name}Failed",
                result=sfn.Result.from_string(step.name),
                result_path="$.failedStep",
            )
            failed.next(entry[index])
            action.add_catch(failed, errors=_ALL, result_path="$.error")
            chain = chain.next(action)
        chain.next(sfn.Succeed(scope, "Succeeded", comment="Every step completed"))

    def _build(self, action: SagaAction, scope: Construct, state_name: str, **options: Any) -> sfn.TaskStateBase:
        if action.function is not None:
            self.lambda_functions.append(action.function)
        return action.build(scope, state_name, **options)

    @staticmethod
    def _action_payload(step_name: str) -> dict[str, Any]:
        return {
            "input": sfn.JsonPath.object_at("$.input"),
            "results": sfn.JsonPath.object_at("$.results"),
            "step": step_name,
            "idempotencyKey": idempotency_key(step_name),
        }

    @staticmethod
    def _compensation_payload(step_name: str) -> dict[str, Any]:
        return {
            "input": sfn.JsonPath.object_at("$.input"),
            "results": sfn.JsonPath.object_at("$.results"),
            "error": sfn.JsonPath.object_at("$.error"),
            "failedStep": sfn.JsonPath.string_at("$.failedStep"),
            "step": step_name,
            "idempotencyKey": compensation_idempotency_key(step_name),
            "actionIdempotencyKey": idempotency_key(step_name),
        }

    @staticmethod
    def _record_state(
        scope: Construct, queue: sqs.IQueue, retry: SagaRetry, compensation_failed_error: str
    ) -> sfn.TaskStateBase:
        fifo = queue.fifo is True
        record = tasks.SqsSendMessage(
            scope,
            "RecordCompensationFailure",
            comment="Write the dead-letter record people clean up from",
            queue=queue,
            message_body=sfn.TaskInput.from_object(
                {
                    "executionName": sfn.JsonPath.execution_name,
                    "executionArn": sfn.JsonPath.execution_id,
                    "stateMachineArn": sfn.JsonPath.state_machine_id,
                    "failedStep": sfn.JsonPath.string_at("$.failedStep"),
                    "stepError": sfn.JsonPath.object_at("$.error"),
                    "failedCompensation": sfn.JsonPath.string_at("$.failedCompensation"),
                    "compensationError": sfn.JsonPath.object_at("$.compensationError"),
                    "input": sfn.JsonPath.object_at("$.input"),
                    "results": sfn.JsonPath.object_at("$.results"),
                    "compensations": sfn.JsonPath.object_at("$.compensations"),
                }
            ),
            message_group_id=sfn.JsonPath.execution_name if fifo else None,
            message_deduplication_id=sfn.JsonPath.execution_name if fifo else None,
            result_path=sfn.JsonPath.DISCARD,
            # SQS answers in milliseconds; a hung call must not hold the clean-up record back.
            task_timeout=sfn.Timeout.duration(Duration.seconds(30)),
        )
        retry.apply(record)
        not_recorded = sfn.Fail(
            scope,
            "DeadLetterNotRecorded",
            comment="A compensation failed and its dead-letter record could not be written",
            error=compensation_failed_error,
            cause_path=sfn.JsonPath.format(
                "Step {} failed; compensating step {} failed ({}); the dead-letter record could not be "
                "written ({}): clean up from the execution history",
                sfn.JsonPath.string_at("$.failedStep"),
                sfn.JsonPath.string_at("$.failedCompensation"),
                sfn.JsonPath.string_at("$.compensationError.Error"),
                sfn.JsonPath.string_at("$.deadLetterError.Error"),
            ),
        )
        record.add_catch(not_recorded, errors=_ALL, result_path="$.deadLetterError")
        record.next(
            sfn.Fail(
                scope,
                "CompensationFailed",
                comment="A compensation failed after its retries; the dead-letter queue holds the record",
                error=compensation_failed_error,
                cause_path=sfn.JsonPath.format(
                    "Step {} failed ({}); compensating step {} failed ({}); the dead-letter queue holds "
                    "the record for clean-up",
                    sfn.JsonPath.string_at("$.failedStep"),
                    sfn.JsonPath.string_at("$.error.Error"),
                    sfn.JsonPath.string_at("$.failedCompensation"),
                    sfn.JsonPath.string_at("$.compensationError.Error"),
                ),
            )
        )
        return record
