"""Executions: ``StartExecution``, ``StartSyncExecution``, ``DescribeExecution``,
``DescribeStateMachineForExecution``, ``StopExecution``, ``RedriveExecution``,
``GetExecutionHistory``, ``ListExecutions``, and the ``states:startExecution`` tasks that start
child executions from inside one.

An execution runs inside the call that starts it, to completion or until it waits for something
external; the client then tracks the task tokens it handed out. A STANDARD execution's name is
unique per state machine (starting it again with the same input while it runs answers the same
execution); an EXPRESS one is not describable and keeps no history, as on AWS. See
https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html.
"""

# boto3's keyword names (stateMachineArn, executionArn, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from datetime import datetime
from typing import Any

from constructs_sfn.asl.runtime import Execution, ExecutionContextInfo, VirtualClock
from constructs_sfn.asl.runtime.limits import EXPRESS_MAX_SECONDS
from constructs_sfn.local.aliases import routed_version
from constructs_sfn.local.arns import ResourceKind
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.host import ClientHost, copied, given, with_token
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text
from constructs_sfn.local.map_runs import describe_child_shape
from constructs_sfn.local.names import invalid_name_message, is_valid_name
from constructs_sfn.local.records import ExecutionRecord
from constructs_sfn.local.redrive import matches_redrive_filter, redrive
from constructs_sfn.local.request_validation import boto3_parameters
from constructs_sfn.local.shapes import (
    billing_details,
    describe_execution_shape,
    execution_list_item,
    history_events,
    sync_execution_shape,
)

__all__ = ["ExecutionOperations"]

_NOT_SUPPORTED = "This operation is not supported by this type of state machine"
_CHILD_TIMER_LIMIT = 100_000
"""With pause_at_timers, the most timers a nested child execution fires on its own before it stays RUNNING."""


@boto3_parameters
class ExecutionOperations:
    """The execution operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def start_execution(
        self: ClientHost,
        *,
        stateMachineArn: str,
        name: str | None = None,
        input: str | None = None,
        traceHeader: str | None = None,
    ) -> dict[str, Any]:
        """``StartExecution``: run the execution until it finishes or waits for something external.

        ``stateMachineArn`` may end in ``#<TestCase>`` to select a test case of ``mock_config``.
        """
        operation = "StartExecution"
        params = given(stateMachineArn=stateMachineArn, name=name, input=input, traceHeader=traceHeader)
        self._validate(operation, params)
        record = self._start(stateMachineArn, name, input, traceHeader, operation, sync=False)
        return self._ok({"executionArn": record.arn, "startDate": record.execution.start_date})

    def start_sync_execution(
        self: ClientHost,
        *,
        stateMachineArn: str,
        name: str | None = None,
        input: str | None = None,
        traceHeader: str | None = None,
        includedData: str | None = None,
    ) -> dict[str, Any]:
        """``StartSyncExecution`` (EXPRESS state machines only): run and return the result."""
        operation = "StartSyncExecution"
        params = given(
            stateMachineArn=stateMachineArn,
            name=name,
            input=input,
            traceHeader=traceHeader,
            includedData=includedData,
        )
        self._validate(operation, params)
        record = self._start(stateMachineArn, name, input, traceHeader, operation, sync=True)
        execution = record.execution
        status, error, cause = execution.status, execution.error, execution.cause
        if status == "RUNNING":
            # An express workflow lasts at most five minutes; let that time pass.
            remaining = EXPRESS_MAX_SECONDS - execution.seconds_since_start()
            if remaining > 0:
                execution.advance_clock(remaining)
            status, error, cause = execution.status, execution.error, execution.cause
            if status == "RUNNING":
                execution.stop()
                status, error, cause = "TIMED_OUT", "States.Timeout", None
        body = sync_execution_shape(
            record, status=status, error=error, cause=cause, include_data=includedData != "METADATA_ONLY"
        )
        body["billingDetails"] = billing_details(record.execution)
        return self._ok(body)

    def describe_execution(self: ClientHost, *, executionArn: str, includedData: str | None = None) -> dict[str, Any]:
        """``DescribeExecution`` (STANDARD executions; EXPRESS ones are not describable on AWS)."""
        operation = "DescribeExecution"
        self._validate(operation, given(executionArn=executionArn, includedData=includedData))
        child = self._map_run_child(executionArn)
        if child is not None:
            return self._ok(describe_child_shape(*child, include_data=includedData != "METADATA_ONLY"))
        record = self._execution(executionArn, operation)
        body = describe_execution_shape(record, include_data=includedData != "METADATA_ONLY", now=self._now())
        return self._ok(body)

    def describe_state_machine_for_execution(
        self: ClientHost, *, executionArn: str, includedData: str | None = None
    ) -> dict[str, Any]:
        """``DescribeStateMachineForExecution``: the definition the execution runs."""
        operation = "DescribeStateMachineForExecution"
        self._validate(operation, given(executionArn=executionArn, includedData=includedData))
        record = self._execution(executionArn, operation)
        machine = record.machine
        body: dict[str, Any] = {
            "stateMachineArn": machine.arn,
            "name": machine.name,
            "definition": record.version.definition_text if record.version else machine.definition_text,
            "roleArn": record.version.role_arn if record.version else machine.role_arn,
            "updateDate": machine.update_date or machine.creation_date,
            "loggingConfiguration": copied(machine.logging_configuration),
            "tracingConfiguration": copied(machine.tracing_configuration),
        }
        revision = record.version.revision_id if record.version else machine.revision_id
        if revision is not None:
            body["revisionId"] = revision
        return self._ok(body)

    def stop_execution(
        self: ClientHost, *, executionArn: str, error: str | None = None, cause: str | None = None
    ) -> dict[str, Any]:
        """``StopExecution``: abort a running execution (``ExecutionAborted``)."""
        operation = "StopExecution"
        self._validate(operation, given(executionArn=executionArn, error=error, cause=cause))
        record = self._execution(executionArn, operation)
        record.execution.stop(error, cause)
        self._track(record)
        stop_date = record.execution.stop_date or self._now()
        return self._ok({"stopDate": stop_date})

    def redrive_execution(self: ClientHost, *, executionArn: str, clientToken: str | None = None) -> dict[str, Any]:
        """``RedriveExecution``: continue a FAILED, TIMED_OUT or ABORTED STANDARD execution where it
        stopped (see :mod:`constructs_sfn.local.redrive` for when AWS allows it)."""
        operation = "RedriveExecution"
        self._validate(operation, given(executionArn=executionArn, clientToken=clientToken))
        record = self._execution(executionArn, operation)
        redrive_date = redrive(record, clientToken, self._now(), operation)
        self._track(record)
        return self._ok({"redriveDate": redrive_date})

    def get_execution_history(
        self: ClientHost,
        *,
        executionArn: str,
        maxResults: int | None = None,
        reverseOrder: bool | None = None,
        nextToken: str | None = None,
        includeExecutionData: bool | None = None,
    ) -> dict[str, Any]:
        """``GetExecutionHistory``: the execution's events, paged, optionally newest first."""
        operation = "GetExecutionHistory"
        params = given(
            executionArn=executionArn,
            maxResults=maxResults,
            reverseOrder=reverseOrder,
            nextToken=nextToken,
            includeExecutionData=includeExecutionData,
        )
        self._validate(operation, params)
        child = self._map_run_child(executionArn)
        events = child[1].events if child is not None else self._execution(executionArn, operation).execution.events
        ordered = list(reversed(events)) if reverseOrder else list(events)
        scope = f"history:{executionArn}:{bool(reverseOrder)}"
        chunk, token = self._page(ordered, scope, maxResults, nextToken, operation)
        body = {"events": history_events(chunk, include_data=includeExecutionData is not False)}
        return self._ok(with_token(body, token))

    def list_executions(
        self: ClientHost,
        *,
        stateMachineArn: str | None = None,
        statusFilter: str | None = None,
        maxResults: int | None = None,
        nextToken: str | None = None,
        mapRunArn: str | None = None,
        redriveFilter: str | None = None,
    ) -> dict[str, Any]:
        """``ListExecutions`` of a state machine (or of one version), most recent first."""
        operation = "ListExecutions"
        params = given(
            stateMachineArn=stateMachineArn,
            statusFilter=statusFilter,
            maxResults=maxResults,
            nextToken=nextToken,
            mapRunArn=mapRunArn,
            redriveFilter=redriveFilter,
        )
        self._validate(operation, params)
        if mapRunArn is not None:
            return self._map_run_executions(mapRunArn, statusFilter, maxResults, nextToken, operation)
        if stateMachineArn is None:
            raise self._error(AwsErrorCode.VALIDATION, "Must provide a StateMachine ARN or a MapRun ARN", operation)
        machine, version, alias = self._qualified(stateMachineArn, operation)
        if machine.type == "EXPRESS":
            raise self._error(AwsErrorCode.STATE_MACHINE_TYPE_NOT_SUPPORTED, _NOT_SUPPORTED, operation)
        records = [
            record
            for record in self._executions.values()
            if record.machine is machine
            and record.state_machine_type == "STANDARD"
            and (version is None or record.version is version)
            and (alias is None or record.alias_arn == alias.arn)
            and (statusFilter is None or record.execution.status == statusFilter)
            and matches_redrive_filter(record, redriveFilter)
        ]
        records.sort(key=_recency, reverse=True)
        scope = f"executions:{stateMachineArn}:{statusFilter}:{redriveFilter}"
        chunk, token = self._page(records, scope, maxResults, nextToken, operation)
        return self._ok(with_token({"executions": [execution_list_item(r) for r in chunk]}, token))

    # -- shared with the other operations (see ClientHost) -------------------------------------
    def _start(
        self: ClientHost,
        state_machine_arn: str,
        name: str | None,
        input_text: str | None,
        trace_header: str | None,
        operation: str,
        *,
        sync: bool,
    ) -> ExecutionRecord:
        arn, _, test_case = state_machine_arn.partition("#")
        machine, version, alias = self._qualified(arn, operation)
        if sync and machine.type != "EXPRESS":
            raise self._error(AwsErrorCode.STATE_MACHINE_TYPE_NOT_SUPPORTED, _NOT_SUPPORTED, operation)
        if name is not None and not is_valid_name(name):
            raise self._error(AwsErrorCode.INVALID_NAME, invalid_name_message(name), operation)
        text = "{}" if input_text is None else input_text
        try:
            input_value = parse_json_text(text)
        except JsonSyntaxError as bad:
            detail = bad.message or "Invalid execution input."
            raise self._error(
                AwsErrorCode.INVALID_EXECUTION_INPUT,
                f"Invalid State Machine Execution Input: '{detail}'",
                operation,
            ) from None
        execution_name = name if name is not None else self._new_uuid()
        express = machine.type == "EXPRESS"
        if express:
            execution_arn = self._scope.express_execution(machine.name, execution_name, self._new_uuid())
        else:
            execution_arn = self._scope.execution(machine.name, execution_name)
            existing = self._executions.get(execution_arn)
            if existing is not None:
                if existing.execution.status == "RUNNING" and existing.input_text == text:
                    return existing
                raise self._error(
                    AwsErrorCode.EXECUTION_ALREADY_EXISTS,
                    f"Execution Already Exists: '{execution_arn}'",
                    operation,
                )
        if alias is not None:
            version = routed_version(machine, alias, self._routing)
        start = self._now()
        info = ExecutionContextInfo(
            execution_arn=execution_arn,
            execution_name=execution_name,
            state_machine_arn=machine.arn,
            state_machine_name=machine.name,
            role_arn=version.role_arn if version else machine.role_arn,
            start_time=start,
            region=self._scope.region,
            account_id=self._scope.account_id,
            partition=self._scope.partition,
            test_case=test_case or None,
            state_machine_type=machine.type,
            state_machine_version_arn=version.arn if version is not None else None,
            state_machine_alias_arn=alias.arn if alias is not None else None,
        )
        clock = VirtualClock(start) if isinstance(self._clock, VirtualClock) else self._clock
        execution = Execution(
            version.model if version else machine.model,
            input_value,
            info=info,
            services=self._services,
            clock=clock,
            rng_seed=self._seeds.getrandbits(64),
            record_history=self.express_history or not express,
            host=_ChildExecutions(self),
            input_text=text,
            observer=self.observer,
            pause_at_timers=self.pause_at_timers,
        )
        self._sequence += 1
        record = ExecutionRecord(
            arn=execution_arn,
            name=execution_name,
            state_machine_arn=machine.arn,
            state_machine_type=machine.type,
            input_text=text,
            execution=execution,
            sequence=self._sequence,
            machine=machine,
            version=version,
            alias_arn=alias.arn if alias is not None else None,
            trace_header=trace_header,
        )
        self._executions[execution_arn] = record
        execution.run()
        self._track(record)
        self._enforce_retention(record)
        return record

    def _execution(self: ClientHost, arn: str, operation: str) -> ExecutionRecord:
        self._parse(arn, (ResourceKind.EXECUTION,), operation)
        record = self._executions.get(arn)
        if record is None:
            raise self._error(AwsErrorCode.EXECUTION_DOES_NOT_EXIST, f"Execution Does Not Exist: '{arn}'", operation)
        return record


class _ChildExecutions:
    """The :class:`~constructs_sfn.asl.services.ExecutionHost` for ``states:startExecution`` tasks."""

    def __init__(self, client: ClientHost) -> None:
        self._client = client

    def start_child_execution(
        self, *, state_machine_arn: str, input_text: str, name: str | None, parent_execution_arn: str
    ) -> dict[str, Any]:
        """Start the child and return ``describe_execution``'s shape (boto3 errors propagate)."""
        del parent_execution_arn  # the parent link only shows in the AWS console
        client = self._client
        machine, _, _ = client._qualified(state_machine_arn, "StartExecution")
        if machine.type == "EXPRESS":
            body = client.start_sync_execution(stateMachineArn=state_machine_arn, name=name, input=input_text)
        else:
            started = client.start_execution(stateMachineArn=state_machine_arn, name=name, input=input_text)
            if client.pause_at_timers:
                # A parent's .sync task cannot wait for a child that pauses later, so the child's
                # own clock runs through its timers (it still waits for callbacks).
                child = client.local_execution(started["executionArn"])
                for _ in range(_CHILD_TIMER_LIMIT):
                    if child.advance_to_next_timer() is None:
                        break
            body = client.describe_execution(executionArn=started["executionArn"])
        body.pop("ResponseMetadata", None)
        return body


def _recency(record: ExecutionRecord) -> tuple[datetime, int]:
    execution = record.execution
    instant = execution.stop_date if execution.status != "RUNNING" and execution.stop_date else execution.start_date
    return instant, record.sequence
