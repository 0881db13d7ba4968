"""``LocalStepFunctions``: boto3's ``stepfunctions`` client, served in memory by the local executor.

Method names, keyword parameters, response dictionaries and errors are those of
``boto3.client("stepfunctions")``, so code under test can be handed this object instead of a real
client. Executions run inside the call that starts them, to completion or until they wait for
something external (a task token, an activity worker, time passing); time is virtual by default,
and ``advance_clock`` lets it pass. Everything is deterministic for a given ``rng_seed``.

Two layers of validation happen before any work, as with the real client: boto3's own parameter
checks (``ParamValidationError``) and Step Functions' model constraints (``ValidationException``).
After that each operation raises the ``ClientError`` AWS answers with, with AWS's code and message.

The client is safe to share between threads: every public method holds one re-entrant lock for its
whole call (see :class:`LocalStepFunctions`).
"""

# boto3's keyword names (stateMachineArn, maxResults, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

import functools
import random
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.model import StateMachineDefinition
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.asl.runtime import Clock, Execution, ExecutionContextInfo, VirtualClock
from constructs_sfn.asl.runtime.map_run import MapRun
from constructs_sfn.asl.runtime.observer import ExecutionObserver
from constructs_sfn.asl.runtime.state_task import activity_started
from constructs_sfn.asl.services import TaskService, UnboundTaskService
from constructs_sfn.local.aliases import AliasOperations, routed_version
from constructs_sfn.local.arns import ArnScope, ParsedArn, ResourceKind, parse_arn
from constructs_sfn.local.definitions import check_definition, validation_result
from constructs_sfn.local.errors import AwsErrorCode, aws_error
from constructs_sfn.local.json_text import JsonSyntaxError, held_json_text, parse_json_text
from constructs_sfn.local.map_runs import (
    child_list_item,
    describe_child_shape,
    describe_map_run_shape,
    find_child,
    find_map_run,
    map_run_list_item,
    map_runs_started_by,
)
from constructs_sfn.local.names import invalid_name_message, is_valid_name
from constructs_sfn.local.pagination import InvalidPageTokenError, page
from constructs_sfn.local.records import (
    ActivityRecord,
    AliasRecord,
    ExecutionRecord,
    RetiredTokens,
    StateMachineRecord,
    StateMachineVersion,
)
from constructs_sfn.local.redrive import matches_redrive_filter, redrive
from constructs_sfn.local.request_validation import (
    boto3_parameters,
    check_clock_advance,
    check_mock_config,
    validate_request,
)
from constructs_sfn.local.shapes import (
    billing_details,
    describe_execution_shape,
    execution_list_item,
    history_events,
    sync_execution_shape,
)
from constructs_sfn.local.tagging import MAX_TAGS, TaggingOperations, merged_tags, too_many_tags_message
from constructs_sfn.local.versions import MAX_VERSIONS, VersionOperations, find_version

if TYPE_CHECKING:
    from botocore.errorfactory import BaseClientExceptions
    from botocore.exceptions import ClientError
    from botocore.paginate import Paginator

    from constructs_sfn.local.host import ClientHost

__all__ = ["LocalStepFunctions"]

_EXPRESS_MAX_SECONDS = 300
_TYPES = ("STANDARD", "EXPRESS")
_TASK_GONE = "Task Timed Out: 'Provided task does not exist anymore'"
_NOT_SUPPORTED = "This operation is not supported by this type of state machine"
_CHILD_TIMER_LIMIT = 100_000
"""With pause_at_timers, the most timers a nested child execution fires on its own before it stays RUNNING."""


def _millis(instant: datetime) -> datetime:
    """AWS timestamps have millisecond precision."""
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)


def _serialized(cls: type[LocalStepFunctions]) -> type[LocalStepFunctions]:
    """Make every public method of ``cls`` hold the instance's lock for the whole call.

    The operations of its mixin classes (versions, aliases, tags) included: they are wrapped on
    ``cls`` itself, base classes first so that ``cls``'s own methods win.
    """
    for klass in reversed(cls.__mro__[:-1]):
        for name, member in list(vars(klass).items()):
            if not name.startswith("_") and callable(member):
                setattr(cls, name, _holding_lock(member))
    return cls


def _holding_lock(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(self: LocalStepFunctions, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


@_serialized
@boto3_parameters
class LocalStepFunctions(VersionOperations, AliasOperations, TaggingOperations):
    """An in-memory Step Functions API with the methods and shapes of boto3's client.

    ``region``, ``account_id`` and ``partition`` are any strings; they go into every ARN.
    ``services`` performs Task states (default: every Task fails, naming the unbound resource).
    ``clock`` is where time comes from (default: a virtual clock starting 2024-01-01T00:00:00Z).
    ``rng_seed`` makes generated names, tokens and request ids reproducible.
    ``mock_config`` is a Step Functions Local mock configuration (a ``MockConfig``, its JSON as a
    mapping, or a path to ``MockConfigFile.json``) used by executions started as
    ``start_execution(stateMachineArn="<arn>#<TestCase>")``.
    ``observer`` receives the trace events (:mod:`constructs_sfn.asl.runtime.observer`) of every
    execution this client starts, nested child executions included (default: none).
    ``pause_at_timers`` makes executions stop at every timer until the test lets time pass
    (:meth:`advance_clock`, :meth:`advance_to_next_timer`, :meth:`run_until_finished`), so a
    RUNNING execution can be described, stopped, heartbeaten or answered midway (default: False,
    run to completion).

    **Threads.** One client may be shared by any number of threads. Every public method holds a
    re-entrant lock of the client for its whole call, executions (which run inside the calls that
    start or resume them) included, so calls are atomic and applied one at a time: no execution,
    task token or activity task is lost or handed out twice, and listings never see a half-made
    change. The lock is re-entrant, so Task services that call back into the client from the
    calling thread (nested ``states:startExecution`` tasks) work; a Task service that waits for
    *another* thread's call into the same client deadlocks. A long execution blocks the other
    threads' calls until it pauses or ends.

    **Memory.** The task tokens of an execution are forgotten when it ends; the last
    :data:`~constructs_sfn.local.records.RETIRED_TOKEN_MEMORY` of them are still recognized, so a
    late ``send_task_*`` gets ``TaskTimedOut`` rather than ``InvalidToken``.
    """

    def __init__(
        self,
        *,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        partition: str = "aws",
        services: TaskService | None = None,
        clock: Clock | None = None,
        rng_seed: int = 0,
        mock_config: Any = None,
        observer: ExecutionObserver | None = None,
        express_history: bool = False,
        pause_at_timers: bool = False,
    ) -> None:
        if pause_at_timers and clock is not None and not isinstance(clock, VirtualClock):
            raise ValueError("pause_at_timers=True needs a VirtualClock (time passes only when the test says)")
        self.pause_at_timers = pause_at_timers
        """Executions stop at every timer (Wait, retry back-off, task durations, timeouts) until
        :meth:`advance_clock` or :meth:`advance_to_next_timer` lets time pass. Default: False
        (time jumps to each timer by itself and executions run to completion)."""
        self.observer = observer
        """The observer handed to every execution started from now on (None: nobody watches)."""
        self.express_history = express_history
        """Keep the history of EXPRESS executions too. AWS keeps none (only CloudWatch Logs), so
        ``get_execution_history`` still refuses them; :meth:`local_execution` shows it. Default: False."""
        self._scope = ArnScope(partition=partition, region=region, account_id=account_id)
        self._clock: Clock = clock if clock is not None else VirtualClock.fixed()
        base: TaskService = services if services is not None else UnboundTaskService()
        self._services: TaskService = _with_mocks(base, mock_config) if mock_config is not None else base
        self._names = random.Random(f"names:{rng_seed}")
        self._request_ids = random.Random(f"requests:{rng_seed}")
        self._seeds = random.Random(f"executions:{rng_seed}")
        self._routing = random.Random(f"alias-routing:{rng_seed}")
        """Draws the version of each execution started through an alias (by the alias's weights)."""
        self._state_machines: dict[str, StateMachineRecord] = {}
        self._executions: dict[str, ExecutionRecord] = {}
        self._activities: dict[str, ActivityRecord] = {}
        self._lock = threading.RLock()
        self._token_owners: dict[str, ExecutionRecord] = {}
        self._token_holders: dict[str, ExecutionRecord] = {}
        """Executions that have live tokens in ``_token_owners``, by ARN (pruned when they end)."""
        self._retired_tokens = RetiredTokens()
        self._activity_backlog: dict[str, None] = {}
        """Activity task tokens not yet handed to a worker, oldest first (an ordered set)."""
        self._activity_started: set[str] = set()
        self._sequence = 0
        self.meta = SimpleNamespace(region_name=region, partition=partition, service_name="stepfunctions")
        """Like ``client.meta`` of boto3: ``region_name``, ``partition``, ``service_name``."""

    # -- boto3 client surface ------------------------------------------------------------------
    @property
    def exceptions(self) -> BaseClientExceptions:
        """The error classes, as ``client.exceptions.InvalidArn`` etc. of a boto3 client."""
        from constructs_sfn.local.service_model import client_exceptions

        return client_exceptions()

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``get_paginator(operation_name)`` is available, as on a boto3 client."""
        from constructs_sfn.local.paginators import can_paginate

        return can_paginate(self, operation_name)

    def get_paginator(self, operation_name: str) -> Paginator[Any]:
        """A boto3-style paginator (``list_executions``, ``get_execution_history``, ...)."""
        from constructs_sfn.local.paginators import paginator

        return paginator(self, operation_name)

    @property
    def services(self) -> TaskService:
        """The task service executions use (including the mock layer, when configured)."""
        return self._services

    def local_execution(self, executionArn: str) -> Execution:
        """The executor's own object for an execution (its status, output and history events).

        Not a boto3 method: what the test toolkit reads, for EXPRESS executions too.
        """
        record = self._executions.get(executionArn)
        if record is None:
            message = f"Execution Does Not Exist: '{executionArn}'"
            raise self._error(AwsErrorCode.EXECUTION_DOES_NOT_EXIST, message, "DescribeExecution")
        return record.execution

    def advance_clock(self, seconds: float) -> None:
        """Let ``seconds`` of virtual time pass for every paused execution.

        Due heartbeat and task timeouts fire, and waiting executions move on. Not a boto3 method.
        """
        running = (
            record.execution.clock.now() for record in self._executions.values() if record.execution.status == "RUNNING"
        )
        check_clock_advance(seconds, [self._clock.now(), *running])
        if isinstance(self._clock, VirtualClock):
            self._clock.advance(seconds)
        for record in list(self._executions.values()):
            if record.execution.status == "RUNNING":
                record.execution.advance_clock(seconds)
                self._track(record)

    def advance_to_next_timer(self) -> float | None:
        """Let virtual time pass until the earliest timer of any running execution fires.

        Returns the seconds that passed, or None when no running execution has a pending timer.
        Not a boto3 method.
        """
        waits = [
            (due - record.execution.clock.now()).total_seconds()
            for record in self._executions.values()
            if (due := record.execution.next_timer_at()) is not None
        ]
        if not waits:
            return None
        seconds = max(min(waits), 0.0)
        self.advance_clock(seconds)
        return seconds

    def run_until_finished(self, executionArn: str, max_timers: int = 100_000) -> dict[str, Any]:
        """Fire timers (of every running execution, in time order) until ``executionArn`` ends.

        Returns ``describe_execution``'s answer. An execution waiting for a callback runs on to its
        timeout (``TimeoutSeconds``, else a year). ``ValueError`` after ``max_timers`` timers, so a
        Wait loop without end cannot hang the test. Not a boto3 method.
        """
        record = self._execution(executionArn, "DescribeExecution")
        for _ in range(max_timers):
            if record.execution.status != "RUNNING" or self.advance_to_next_timer() is None:
                return self.describe_execution(executionArn=executionArn)
        raise ValueError(f"run_until_finished: {executionArn} still RUNNING after {max_timers} timers")

    # -- state machines ------------------------------------------------------------------------
    def create_state_machine(
        self,
        *,
        name: str,
        definition: str,
        roleArn: str,
        type: str | None = None,
        loggingConfiguration: Mapping[str, Any] | None = None,
        tags: list[Mapping[str, str]] | None = None,
        tracingConfiguration: Mapping[str, Any] | None = None,
        publish: bool | None = None,
        versionDescription: str | None = None,
        encryptionConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``CreateStateMachine``: validate the definition as AWS does and store the machine."""
        operation = "CreateStateMachine"
        params = _given(
            name=name,
            definition=definition,
            roleArn=roleArn,
            type=type,
            loggingConfiguration=loggingConfiguration,
            tags=tags,
            tracingConfiguration=tracingConfiguration,
            publish=publish,
            versionDescription=versionDescription,
            encryptionConfiguration=encryptionConfiguration,
        )
        self._validate(operation, params)
        if versionDescription is not None and not publish:
            raise self._error(
                AwsErrorCode.VALIDATION, "Version description can only be set when publish is true", operation
            )
        if not is_valid_name(name):
            raise self._error(AwsErrorCode.INVALID_NAME, invalid_name_message(name), operation)
        machine_type = type or "STANDARD"
        logging = self._logging_configuration(loggingConfiguration, operation)
        model = self._compile(definition, machine_type, operation)
        tracing = {"enabled": bool((tracingConfiguration or {}).get("enabled", False))}
        encryption = dict(encryptionConfiguration) if encryptionConfiguration is not None else None
        key = (definition, machine_type, logging, tracing, encryption, bool(publish), versionDescription)
        arn = self._scope.state_machine(name)
        self._check_tag_count(arn, tags, operation)
        existing = self._state_machines.get(arn)
        if existing is not None:
            if existing.idempotency_key != key:
                raise self._error(
                    AwsErrorCode.STATE_MACHINE_ALREADY_EXISTS,
                    f"State Machine Already Exists: '{arn}'",
                    operation,
                )
            return self._ok(self._created(existing))
        record = StateMachineRecord(
            arn=arn,
            name=name,
            type=machine_type,
            definition_text=definition,
            model=model,
            role_arn=roleArn,
            creation_date=self._now(),
            logging_configuration=logging,
            tracing_configuration=tracing,
            encryption_configuration=encryption,
            tags=[dict(tag) for tag in tags or ()],
            idempotency_key=key,
        )
        self._state_machines[arn] = record
        if publish:
            self._publish(record, versionDescription, self._new_uuid(), operation)
        return self._ok(self._created(record))

    def describe_state_machine(self, *, stateMachineArn: str, includedData: str | None = None) -> dict[str, Any]:
        """``DescribeStateMachine`` (also for a version ARN ``<arn>:<n>``)."""
        operation = "DescribeStateMachine"
        self._validate(operation, _given(stateMachineArn=stateMachineArn, includedData=includedData))
        record, version = self._machine(stateMachineArn, operation)
        body: dict[str, Any] = {
            "stateMachineArn": record.arn if version is None else version.arn,
            "name": record.name,
            "status": "ACTIVE",
            "definition": record.definition_text if version is None else version.definition_text,
            "roleArn": record.role_arn if version is None else version.role_arn,
            "type": record.type,
            "creationDate": record.creation_date if version is None else version.creation_date,
            "loggingConfiguration": _copy(record.logging_configuration),
            "tracingConfiguration": _copy(record.tracing_configuration),
        }
        revision = record.revision_id if version is None else version.revision_id
        if revision is not None:
            body["revisionId"] = revision
        if version is not None and version.description is not None:
            body["description"] = version.description
        if record.encryption_configuration is not None:
            body["encryptionConfiguration"] = _copy(record.encryption_configuration)
        return self._ok(body)

    def list_state_machines(self, *, maxResults: int | None = None, nextToken: str | None = None) -> dict[str, Any]:
        """``ListStateMachines``, ordered by ARN, paged."""
        operation = "ListStateMachines"
        self._validate(operation, _given(maxResults=maxResults, nextToken=nextToken))
        machines = sorted(self._state_machines.values(), key=lambda record: record.arn)
        chunk, token = self._page(machines, "state-machines", maxResults, nextToken, operation)
        items = [
            {"stateMachineArn": m.arn, "name": m.name, "type": m.type, "creationDate": m.creation_date} for m in chunk
        ]
        return self._ok(_with_token({"stateMachines": items}, token))

    def update_state_machine(
        self,
        *,
        stateMachineArn: str,
        definition: str | None = None,
        roleArn: str | None = None,
        loggingConfiguration: Mapping[str, Any] | None = None,
        tracingConfiguration: Mapping[str, Any] | None = None,
        publish: bool | None = None,
        versionDescription: str | None = None,
        encryptionConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``UpdateStateMachine``: new definition/role/configuration; new revision when they change."""
        operation = "UpdateStateMachine"
        params = _given(
            stateMachineArn=stateMachineArn,
            definition=definition,
            roleArn=roleArn,
            loggingConfiguration=loggingConfiguration,
            tracingConfiguration=tracingConfiguration,
            publish=publish,
            versionDescription=versionDescription,
            encryptionConfiguration=encryptionConfiguration,
        )
        self._validate(operation, params)
        if all(
            value is None
            for value in (
                definition,
                roleArn,
                loggingConfiguration,
                tracingConfiguration,
                encryptionConfiguration,
            )
        ):
            raise self._error(
                AwsErrorCode.MISSING_REQUIRED_PARAMETER,
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration "
                "must be specified",
                operation,
            )
        if versionDescription is not None and not publish:
            raise self._error(
                AwsErrorCode.VALIDATION, "Version description can only be set when publish is true", operation
            )
        record, version = self._machine(stateMachineArn, operation)
        if version is not None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, _no_machine(stateMachineArn), operation)
        changed = False
        if definition is not None:
            model = self._compile(definition, record.type, operation)
            changed = changed or definition != record.definition_text
            record.definition_text, record.model = definition, model
        if loggingConfiguration is not None:
            record.logging_configuration = self._logging_configuration(loggingConfiguration, operation)
        if tracingConfiguration is not None:
            record.tracing_configuration = {"enabled": bool(tracingConfiguration.get("enabled", False))}
        if encryptionConfiguration is not None:
            record.encryption_configuration = dict(encryptionConfiguration)
        if roleArn is not None:
            changed = changed or roleArn != record.role_arn
            record.role_arn = roleArn
        if changed or record.revision_id is None:
            record.revision_id = self._new_uuid()
        record.update_date = self._now()
        body: dict[str, Any] = {"updateDate": record.update_date, "revisionId": record.revision_id}
        if publish:
            latest = record.versions[-1] if record.versions else None
            if latest is None or latest.revision_id != record.revision_id:
                latest = self._publish(record, versionDescription, record.revision_id, operation)
            body["stateMachineVersionArn"] = latest.arn
        return self._ok(body)

    def delete_state_machine(self, *, stateMachineArn: str) -> dict[str, Any]:
        """``DeleteStateMachine``: succeeds whether or not the machine exists (as on AWS)."""
        operation = "DeleteStateMachine"
        self._validate(operation, _given(stateMachineArn=stateMachineArn))
        parsed = self._parse(stateMachineArn, (ResourceKind.STATE_MACHINE,), operation)
        self._refuse_map_state_arn(parsed, operation)
        if parsed.qualifier is None:
            self._state_machines.pop(parsed.arn, None)
        return self._ok({})

    # -- executions ----------------------------------------------------------------------------
    def start_execution(
        self,
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
        params = _given(stateMachineArn=stateMachineArn, name=name, input=input, traceHeader=traceHeader)
        self._validate(operation, params)
        record = self._start(stateMachineArn, name, input, traceHeader, operation, sync=False)
        return self._ok({"executionArn": record.arn, "startDate": record.execution.start_date})

    def start_sync_execution(
        self,
        *,
        stateMachineArn: str,
        name: str | None = None,
        input: str | None = None,
        traceHeader: str | None = None,
        includedData: str | None = None,
    ) -> dict[str, Any]:
        """``StartSyncExecution`` (EXPRESS state machines only): run and return the result."""
        operation = "StartSyncExecution"
        params = _given(
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
            remaining = _EXPRESS_MAX_SECONDS - execution.seconds_since_start()
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

    def describe_execution(self, *, executionArn: str, includedData: str | None = None) -> dict[str, Any]:
        """``DescribeExecution`` (STANDARD executions; EXPRESS ones are not describable on AWS)."""
        operation = "DescribeExecution"
        self._validate(operation, _given(executionArn=executionArn, includedData=includedData))
        child = self._map_run_child(executionArn)
        if child is not None:
            return self._ok(describe_child_shape(*child, include_data=includedData != "METADATA_ONLY"))
        record = self._execution(executionArn, operation)
        body = describe_execution_shape(record, include_data=includedData != "METADATA_ONLY", now=self._now())
        return self._ok(body)

    def describe_state_machine_for_execution(
        self, *, executionArn: str, includedData: str | None = None
    ) -> dict[str, Any]:
        """``DescribeStateMachineForExecution``: the definition the execution runs."""
        operation = "DescribeStateMachineForExecution"
        self._validate(operation, _given(executionArn=executionArn, includedData=includedData))
        record = self._execution(executionArn, operation)
        machine = record.machine
        body: dict[str, Any] = {
            "stateMachineArn": machine.arn,
            "name": machine.name,
            "definition": record.version.definition_text if record.version else machine.definition_text,
            "roleArn": record.version.role_arn if record.version else machine.role_arn,
            "updateDate": machine.update_date or machine.creation_date,
            "loggingConfiguration": _copy(machine.logging_configuration),
            "tracingConfiguration": _copy(machine.tracing_configuration),
        }
        revision = record.version.revision_id if record.version else machine.revision_id
        if revision is not None:
            body["revisionId"] = revision
        return self._ok(body)

    def stop_execution(
        self, *, executionArn: str, error: str | None = None, cause: str | None = None
    ) -> dict[str, Any]:
        """``StopExecution``: abort a running execution (``ExecutionAborted``)."""
        operation = "StopExecution"
        self._validate(operation, _given(executionArn=executionArn, error=error, cause=cause))
        record = self._execution(executionArn, operation)
        record.execution.stop(error, cause)
        self._track(record)
        stop_date = record.execution.stop_date or self._now()
        return self._ok({"stopDate": stop_date})

    def redrive_execution(self, *, executionArn: str, clientToken: str | None = None) -> dict[str, Any]:
        """``RedriveExecution``: continue a FAILED, TIMED_OUT or ABORTED STANDARD execution where it
        stopped (see :mod:`constructs_sfn.local.redrive` for when AWS allows it)."""
        operation = "RedriveExecution"
        self._validate(operation, _given(executionArn=executionArn, clientToken=clientToken))
        record = self._execution(executionArn, operation)
        redrive_date = redrive(record, clientToken, self._now(), operation)
        self._track(record)
        return self._ok({"redriveDate": redrive_date})

    def get_execution_history(
        self,
        *,
        executionArn: str,
        maxResults: int | None = None,
        reverseOrder: bool | None = None,
        nextToken: str | None = None,
        includeExecutionData: bool | None = None,
    ) -> dict[str, Any]:
        """``GetExecutionHistory``: the execution's events, paged, optionally newest first."""
        operation = "GetExecutionHistory"
        params = _given(
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
        return self._ok(_with_token(body, token))

    def list_executions(
        self,
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
        params = _given(
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
        return self._ok(_with_token({"executions": [execution_list_item(r) for r in chunk]}, token))

    # -- Map Runs (constructs_sfn.local.map_runs) ---------------------------------------------
    def list_map_runs(
        self, *, executionArn: str, maxResults: int | None = None, nextToken: str | None = None
    ) -> dict[str, Any]:
        """``ListMapRuns``: the Map Runs an execution's Distributed Maps started, newest first."""
        operation = "ListMapRuns"
        self._validate(operation, _given(executionArn=executionArn, maxResults=maxResults, nextToken=nextToken))
        child = self._map_run_child(executionArn)
        execution = child[1] if child is not None else self._execution(executionArn, operation).execution
        runs = list(reversed(map_runs_started_by(execution)))
        chunk, token = self._page(runs, f"mapRuns:{executionArn}", maxResults, nextToken, operation)
        return self._ok(_with_token({"mapRuns": [map_run_list_item(run) for run in chunk]}, token))

    def describe_map_run(self, *, mapRunArn: str) -> dict[str, Any]:
        """``DescribeMapRun``: status, dates, limits, and item and execution counts by status."""
        operation = "DescribeMapRun"
        self._validate(operation, _given(mapRunArn=mapRunArn))
        return self._ok(describe_map_run_shape(self._map_run(mapRunArn, operation)))

    def update_map_run(
        self,
        *,
        mapRunArn: str,
        maxConcurrency: int | None = None,
        toleratedFailurePercentage: float | None = None,
        toleratedFailureCount: int | None = None,
    ) -> dict[str, Any]:
        """``UpdateMapRun``: change a Map Run's concurrency and tolerated failures.

        Locally a Map Run's children have all run by the time a caller can reach it, so the new
        values are recorded (``DescribeMapRun`` shows them) but change no outcome.
        """
        operation = "UpdateMapRun"
        params = _given(
            mapRunArn=mapRunArn,
            maxConcurrency=maxConcurrency,
            toleratedFailurePercentage=toleratedFailurePercentage,
            toleratedFailureCount=toleratedFailureCount,
        )
        self._validate(operation, params)
        run = self._map_run(mapRunArn, operation)
        if len(params) == 1:
            raise self._error(
                AwsErrorCode.VALIDATION,
                "At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount is required",
                operation,
            )
        run.update(
            max_concurrency=maxConcurrency,
            tolerated_failure_count=toleratedFailureCount,
            tolerated_failure_percentage=toleratedFailurePercentage,
        )
        return self._ok({})

    def _map_run(self, arn: str, operation: str) -> MapRun:
        run = find_map_run((record.execution for record in self._executions.values()), arn)
        if run is None:
            raise self._error("ResourceNotFound", f"Resource not found: '{arn}'", operation)
        return run

    def _map_run_child(self, arn: str) -> tuple[MapRun, Execution] | None:
        if arn in self._executions:
            return None
        return find_child((record.execution for record in self._executions.values()), arn)

    def _map_run_executions(
        self, arn: str, status: str | None, max_results: int | None, next_token: str | None, operation: str
    ) -> dict[str, Any]:
        run = self._map_run(arn, operation)
        children = [child for child in reversed(run.children) if status is None or child.status == status]
        chunk, token = self._page(children, f"mapRunExecutions:{arn}:{status}", max_results, next_token, operation)
        return self._ok(_with_token({"executions": [child_list_item(run, child) for child in chunk]}, token))

    # -- task tokens ---------------------------------------------------------------------------
    def send_task_success(self, *, taskToken: str, output: str) -> dict[str, Any]:
        """``SendTaskSuccess``: resume the task waiting on ``taskToken`` with ``output``."""
        operation = "SendTaskSuccess"
        self._validate(operation, _given(taskToken=taskToken, output=output))
        record = self._waiting_on(taskToken, operation)
        try:
            value = parse_json_text(output)
        except JsonSyntaxError as bad:
            raise self._error(AwsErrorCode.INVALID_OUTPUT, f"Invalid Output: '{bad.message}'", operation) from None
        record.execution.send_task_success(taskToken, held_json_text(output, value))
        self._track(record)
        return self._ok({})

    def send_task_failure(
        self, *, taskToken: str, error: str | None = None, cause: str | None = None
    ) -> dict[str, Any]:
        """``SendTaskFailure``: fail the task waiting on ``taskToken`` (Retry/Catch apply)."""
        operation = "SendTaskFailure"
        self._validate(operation, _given(taskToken=taskToken, error=error, cause=cause))
        record = self._waiting_on(taskToken, operation)
        record.execution.send_task_failure(taskToken, error, cause)
        self._track(record)
        return self._ok({})

    def send_task_heartbeat(self, *, taskToken: str) -> dict[str, Any]:
        """``SendTaskHeartbeat``: reset the heartbeat timer of the task waiting on ``taskToken``."""
        operation = "SendTaskHeartbeat"
        self._validate(operation, _given(taskToken=taskToken))
        record = self._waiting_on(taskToken, operation)
        record.execution.send_task_heartbeat(taskToken)
        return self._ok({})

    # -- activities ----------------------------------------------------------------------------
    def create_activity(
        self,
        *,
        name: str,
        tags: list[Mapping[str, str]] | None = None,
        encryptionConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``CreateActivity`` (idempotent by name, as on AWS)."""
        operation = "CreateActivity"
        self._validate(operation, _given(name=name, tags=tags, encryptionConfiguration=encryptionConfiguration))
        if not is_valid_name(name):
            raise self._error(AwsErrorCode.INVALID_NAME, invalid_name_message(name), operation)
        arn = self._scope.activity(name)
        self._check_tag_count(arn, tags, operation)
        record = self._activities.get(arn)
        if record is None:
            record = ActivityRecord(
                arn=arn,
                name=name,
                creation_date=self._now(),
                tags=[dict(tag) for tag in tags or ()],
                encryption_configuration=dict(encryptionConfiguration) if encryptionConfiguration else None,
            )
            self._activities[arn] = record
        return self._ok({"activityArn": record.arn, "creationDate": record.creation_date})

    def describe_activity(self, *, activityArn: str) -> dict[str, Any]:
        """``DescribeActivity``."""
        operation = "DescribeActivity"
        self._validate(operation, _given(activityArn=activityArn))
        record = self._activity(activityArn, operation)
        body: dict[str, Any] = {
            "activityArn": record.arn,
            "name": record.name,
            "creationDate": record.creation_date,
        }
        if record.encryption_configuration is not None:
            body["encryptionConfiguration"] = _copy(record.encryption_configuration)
        return self._ok(body)

    def list_activities(self, *, maxResults: int | None = None, nextToken: str | None = None) -> dict[str, Any]:
        """``ListActivities``, ordered by ARN, paged."""
        operation = "ListActivities"
        self._validate(operation, _given(maxResults=maxResults, nextToken=nextToken))
        activities = sorted(self._activities.values(), key=lambda record: record.arn)
        chunk, token = self._page(activities, "activities", maxResults, nextToken, operation)
        items = [{"activityArn": a.arn, "name": a.name, "creationDate": a.creation_date} for a in chunk]
        return self._ok(_with_token({"activities": items}, token))

    def delete_activity(self, *, activityArn: str) -> dict[str, Any]:
        """``DeleteActivity``: succeeds whether or not the activity exists."""
        operation = "DeleteActivity"
        self._validate(operation, _given(activityArn=activityArn))
        parsed = self._parse(activityArn, (ResourceKind.ACTIVITY,), operation)
        self._activities.pop(parsed.arn, None)
        return self._ok({})

    def get_activity_task(self, *, activityArn: str, workerName: str | None = None) -> dict[str, Any]:
        """``GetActivityTask``: hand the oldest scheduled task of the activity to a worker.

        AWS long-polls for up to 60 seconds; locally the answer is immediate, and a poll with no
        task scheduled returns no ``taskToken`` (what boto3 shows after an empty poll).
        """
        operation = "GetActivityTask"
        self._validate(operation, _given(activityArn=activityArn, workerName=workerName))
        record = self._activity(activityArn, operation)
        handed_out: dict[str, Any] | None = None
        for token in list(self._activity_backlog):
            owner = self._token_owners.get(token)
            details = owner.execution.tokens.get(token) if owner is not None else None
            if owner is None or details is None or token in self._activity_started:
                # answered, timed out, ended, or already with a worker: never handed out again
                del self._activity_backlog[token]
                continue
            if details.get("activity_arn") == record.arn:
                del self._activity_backlog[token]
                self._activity_started.add(token)
                activity_started(owner.execution, token, workerName)
                handed_out = {"taskToken": token, "input": str(details.get("input", "{}"))}
                break
        if handed_out is not None:
            return self._ok(handed_out)
        return self._ok({})

    # -- definitions ---------------------------------------------------------------------------
    def validate_state_machine_definition(
        self,
        *,
        definition: str,
        type: str | None = None,
        severity: str | None = None,
        maxResults: int | None = None,
    ) -> dict[str, Any]:
        """``ValidateStateMachineDefinition``: AWS-shaped diagnostics (severity, code, message, location)."""
        operation = "ValidateStateMachineDefinition"
        params = _given(definition=definition, type=type, severity=severity, maxResults=maxResults)
        self._validate(operation, params)
        checked = check_definition(definition, state_machine_type=type or "STANDARD")
        body = validation_result(checked, severity=severity or "ERROR", max_results=maxResults or 0)
        return self._ok(body)

    def test_state(
        self,
        *,
        definition: str,
        roleArn: str | None = None,
        input: str | None = None,
        inspectionLevel: str | None = None,
        revealSecrets: bool | None = None,
        variables: str | None = None,
        stateName: str | None = None,
        mock: Mapping[str, Any] | None = None,
        context: str | None = None,
        stateConfiguration: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``TestState``: run one state (INFO, DEBUG or TRACE inspection; ``mock``; ``variables``)."""
        from constructs_sfn.local.teststate import TestStateRejectedError, TestStateRequest, TestStateScope, run_request

        operation = "TestState"
        params = _given(
            definition=definition,
            roleArn=roleArn,
            input=input,
            inspectionLevel=inspectionLevel,
            revealSecrets=revealSecrets,
            variables=variables,
            stateName=stateName,
            mock=mock,
            context=context,
            stateConfiguration=stateConfiguration,
        )
        self._validate(operation, params)
        request = TestStateRequest(
            definition=definition,
            role_arn=roleArn,
            input_text=input,
            inspection_level=inspectionLevel or "INFO",
            reveal_secrets=bool(revealSecrets),
            variables_text=variables,
            state_name=stateName,
            mock=mock,
            context_text=context,
            state_configuration=stateConfiguration,
        )
        try:
            scope = TestStateScope(
                region=self._scope.region, account_id=self._scope.account_id, partition=self._scope.partition
            )
            body = run_request(request, services=self._services, scope=scope, clock=self._clock)
        except TestStateRejectedError as rejected:
            raise self._error(rejected.code, rejected.message, operation) from None
        return self._ok(body)

    # -- internals: requests and responses -----------------------------------------------------
    def _metadata(self) -> dict[str, Any]:
        request_id = str(uuid.UUID(int=self._request_ids.getrandbits(128), version=4))
        return {
            "RequestId": request_id,
            "HTTPStatusCode": 200,
            "HTTPHeaders": {"x-amzn-requestid": request_id, "content-type": "application/x-amz-json-1.0"},
            "RetryAttempts": 0,
        }

    def _ok(self, body: dict[str, Any]) -> dict[str, Any]:
        body["ResponseMetadata"] = self._metadata()
        return body

    def _error(
        self, code: str, message: str, operation: str, *, fields: Mapping[str, str] | None = None
    ) -> ClientError:
        return aws_error(code, message, operation, metadata=self._metadata(), fields=fields)

    def _validate(self, operation: str, params: Mapping[str, Any]) -> None:
        from botocore.exceptions import ClientError

        try:
            validate_request(operation, params)
        except ClientError as error:
            # Request ids are only drawn for responses that happen, keeping them reproducible.
            metadata: dict[str, Any] = {**self._metadata(), "HTTPStatusCode": 400}
            error.response["ResponseMetadata"] = metadata  # type: ignore[typeddict-item]
            raise

    def _now(self) -> datetime:
        return _millis(self._clock.now())

    def _new_uuid(self) -> str:
        return str(uuid.UUID(int=self._names.getrandbits(128), version=4))

    def _page(
        self, items: list[Any], scope: str, max_results: int | None, next_token: str | None, operation: str
    ) -> tuple[list[Any], str | None]:
        try:
            return page(items, scope=scope, max_results=max_results, next_token=next_token)
        except InvalidPageTokenError:
            raise self._error(AwsErrorCode.INVALID_TOKEN, f"Invalid Token: '{next_token}'", operation) from None

    def _parse(self, arn: str, allowed: tuple[str, ...], operation: str) -> ParsedArn:
        parsed = parse_arn(arn, allowed=allowed)
        if isinstance(parsed, str):
            raise self._error(AwsErrorCode.INVALID_ARN, parsed, operation)
        return parsed

    # -- internals: state machines -------------------------------------------------------------
    def _compile(self, definition: str, machine_type: str, operation: str) -> StateMachineDefinition:
        checked = check_definition(definition, state_machine_type=machine_type)
        if checked.errors or checked.document is None:
            raise self._error(AwsErrorCode.INVALID_DEFINITION, checked.message, operation)
        try:
            return parse_definition(checked.document, validate=False)
        except DefinitionError as refused:
            raise self._error(AwsErrorCode.INVALID_DEFINITION, refused.render(), operation) from None

    def _logging_configuration(self, configuration: Mapping[str, Any] | None, operation: str) -> dict[str, Any]:
        configuration = configuration or {}
        level = configuration.get("level", "OFF")
        destinations = list(configuration.get("destinations") or ())
        if len(destinations) > 1 or (level != "OFF" and len(destinations) != 1):
            raise self._error(
                AwsErrorCode.INVALID_LOGGING_CONFIGURATION,
                "Invalid Logging Configuration: Must specify exactly one Log Destination.",
                operation,
            )
        out: dict[str, Any] = {
            "level": level,
            "includeExecutionData": bool(configuration.get("includeExecutionData")),
        }
        if destinations:
            out["destinations"] = _copy(destinations)
        return out

    def _publish(
        self, record: StateMachineRecord, description: str | None, revision: str, operation: str
    ) -> StateMachineVersion:
        if len(record.versions) >= MAX_VERSIONS:
            message = f"Versions per state machine limit exceeded: '{record.arn}' already has {MAX_VERSIONS} versions"
            raise self._error(AwsErrorCode.SERVICE_QUOTA_EXCEEDED, message, operation)
        version = StateMachineVersion(
            arn=f"{record.arn}:{record.next_version}",
            number=record.next_version,
            definition_text=record.definition_text,
            model=record.model,
            role_arn=record.role_arn,
            creation_date=self._now(),
            revision_id=revision,
            description=description,
        )
        record.next_version += 1
        record.versions.append(version)
        return version

    def _created(self, record: StateMachineRecord) -> dict[str, Any]:
        body: dict[str, Any] = {"stateMachineArn": record.arn, "creationDate": record.creation_date}
        if record.versions:
            body["stateMachineVersionArn"] = record.versions[0].arn
        return body

    def _machine(self, arn: str, operation: str) -> tuple[StateMachineRecord, StateMachineVersion | None]:
        """The state machine ``arn`` names, and its version for a version ARN (an alias ARN names none)."""
        record, version, alias = self._qualified(arn, operation)
        if alias is not None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, _no_machine(arn), operation)
        return record, version

    def _qualified(
        self, arn: str, operation: str
    ) -> tuple[StateMachineRecord, StateMachineVersion | None, AliasRecord | None]:
        """Like :meth:`_machine`, and an alias ARN names its alias (the version is chosen per execution)."""
        parsed = self._parse(arn, (ResourceKind.STATE_MACHINE,), operation)
        self._refuse_map_state_arn(parsed, operation)
        record = self._state_machines.get(parsed.base_state_machine_arn)
        if record is None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, _no_machine(arn), operation)
        qualifier = parsed.qualifier
        if qualifier is None:
            return record, None, None
        alias = record.aliases.get(qualifier)
        if alias is not None:
            return record, None, alias
        version = find_version(record, qualifier)
        if version is None:
            raise self._error(AwsErrorCode.STATE_MACHINE_DOES_NOT_EXIST, _no_machine(arn), operation)
        return record, version, None

    def _refuse_map_state_arn(self, parsed: ParsedArn, operation: str) -> None:
        # "If you provide a qualified state machine ARN that refers to a Distributed Map state, the
        # request fails with ValidationException" (StartExecution, DescribeStateMachine, ...).
        if parsed.map_state_label is not None:
            message = f"Invalid Arn: '{parsed.arn}' refers to a Distributed Map state, not to a state machine"
            raise self._error(AwsErrorCode.VALIDATION, message, operation)

    def _check_tag_count(self, arn: str, tags: list[Mapping[str, str]] | None, operation: str) -> None:
        count = len(merged_tags((), tags or ()))
        if count > MAX_TAGS:
            message = too_many_tags_message(arn, count)
            raise self._error(AwsErrorCode.TOO_MANY_TAGS, message, operation, fields={"resourceName": arn})

    # -- internals: executions -----------------------------------------------------------------
    def _start(
        self,
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
        return record

    def _execution(self, arn: str, operation: str) -> ExecutionRecord:
        self._parse(arn, (ResourceKind.EXECUTION,), operation)
        record = self._executions.get(arn)
        if record is None:
            raise self._error(AwsErrorCode.EXECUTION_DOES_NOT_EXIST, f"Execution Does Not Exist: '{arn}'", operation)
        return record

    def _track(self, record: ExecutionRecord) -> None:
        """Remember the task tokens ``record`` has handed out, to route send_task_* calls, and
        forget those of every execution that has ended since (a nested child may end its parent)."""
        for token, details in record.execution.tokens.items():
            if token not in self._token_owners:
                self._token_owners[token] = record
                record.issued_tokens.append(token)
                self._token_holders[record.arn] = record
                if details.get("kind") == "activity":
                    self._activity_backlog[token] = None
        for holder in [held for held in self._token_holders.values() if held.execution.status != "RUNNING"]:
            self._retire_tokens(holder)

    def _retire_tokens(self, record: ExecutionRecord) -> None:
        del self._token_holders[record.arn]
        for token in record.issued_tokens:
            self._token_owners.pop(token, None)
            self._activity_backlog.pop(token, None)
            self._activity_started.discard(token)
            self._retired_tokens.add(token)
        record.issued_tokens.clear()

    def _waiting_on(self, token: str, operation: str) -> ExecutionRecord:
        record = self._token_owners.get(token)
        if record is None:
            if token in self._retired_tokens:
                raise self._error(AwsErrorCode.TASK_TIMED_OUT, _TASK_GONE, operation)
            raise self._error(AwsErrorCode.INVALID_TOKEN, "Invalid Token: 'Invalid token'", operation)
        if record.execution.status != "RUNNING" or token not in record.execution.tokens:
            raise self._error(AwsErrorCode.TASK_TIMED_OUT, _TASK_GONE, operation)
        return record

    # -- internals: activities -----------------------------------------------------------------
    def _activity(self, arn: str, operation: str) -> ActivityRecord:
        parsed = self._parse(arn, (ResourceKind.ACTIVITY,), operation)
        record = self._activities.get(parsed.arn)
        if record is None:
            raise self._error(AwsErrorCode.ACTIVITY_DOES_NOT_EXIST, f"Activity Does Not Exist: '{arn}'", operation)
        return record


class _ChildExecutions:
    """The :class:`~constructs_sfn.asl.services.ExecutionHost` for ``states:startExecution`` tasks."""

    def __init__(self, client: LocalStepFunctions) -> None:
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


def _with_mocks(services: TaskService, mock_config: Any) -> TaskService:
    check_mock_config(mock_config)
    from constructs_sfn.integrations.mock_config import MockConfig
    from constructs_sfn.integrations.mocked import MockedTaskService

    if isinstance(mock_config, MockConfig):
        config = mock_config
    elif isinstance(mock_config, Mapping):
        config = MockConfig.from_dict(mock_config)
    else:
        config = MockConfig.from_path(mock_config)
    return MockedTaskService(config, fallback=services)


def _given(**params: Any) -> dict[str, Any]:
    """The parameters the caller passed (``None`` stands for "not given", as boto3 omits them)."""
    return {key: value for key, value in params.items() if value is not None}


def _with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token is not None:
        body["nextToken"] = token
    return body


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _no_machine(arn: str) -> str:
    return f"State Machine Does Not Exist: '{arn}'"


def _recency(record: ExecutionRecord) -> tuple[datetime, int]:
    execution = record.execution
    instant = execution.stop_date if execution.status != "RUNNING" and execution.stop_date else execution.start_date
    return instant, record.sequence


if TYPE_CHECKING:

    def _is_a_client_host(client: LocalStepFunctions) -> ClientHost:
        # mypy proves here that the client has what its operation mixins (versions, aliases, tags) use.
        return client
