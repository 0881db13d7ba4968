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

This module composes the client: its constructor, the state every operation shares, the
request/response plumbing and the bookkeeping of task tokens. The operations themselves live in
one module per purpose (see :mod:`constructs_sfn.local.host`).
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

from constructs_sfn.asl.runtime import Clock, Execution, VirtualClock
from constructs_sfn.asl.runtime.map_run import MapRun
from constructs_sfn.asl.runtime.observer import ExecutionObserver
from constructs_sfn.asl.services import TaskService, UnboundTaskService
from constructs_sfn.local.activities import ActivityOperations
from constructs_sfn.local.aliases import AliasOperations
from constructs_sfn.local.arns import ArnScope, ParsedArn, parse_arn
from constructs_sfn.local.clock_control import ClockControl
from constructs_sfn.local.definition_operations import DefinitionOperations
from constructs_sfn.local.errors import AwsErrorCode, aws_error
from constructs_sfn.local.executions import ExecutionOperations
from constructs_sfn.local.host import given, with_token
from constructs_sfn.local.map_runs import (
    child_list_item,
    describe_map_run_shape,
    find_child,
    find_map_run,
    map_run_list_item,
    map_runs_started_by,
)
from constructs_sfn.local.pagination import InvalidPageTokenError, page
from constructs_sfn.local.records import (
    ActivityRecord,
    ExecutionRecord,
    RetiredTokens,
    StateMachineRecord,
)
from constructs_sfn.local.request_validation import boto3_parameters, check_mock_config, validate_request
from constructs_sfn.local.state_machines import StateMachineOperations
from constructs_sfn.local.tagging import TaggingOperations
from constructs_sfn.local.task_tokens import TaskTokenOperations
from constructs_sfn.local.versions import VersionOperations

if TYPE_CHECKING:
    from botocore.errorfactory import BaseClientExceptions
    from botocore.exceptions import ClientError
    from botocore.paginate import Paginator

    from constructs_sfn.local.host import ClientHost

__all__ = ["DEFAULT_MAX_EXECUTIONS", "LocalStepFunctions"]

DEFAULT_MAX_EXECUTIONS = 10_000
"""How many executions a client keeps by default: enough for any test suite and a working day on
``constructs-sfn serve``, while memory stays bounded (on the order of 100 MB for small workflows)."""


def _millis(instant: datetime) -> datetime:
    """AWS timestamps have millisecond precision."""
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)


def _serialized(cls: type[LocalStepFunctions]) -> type[LocalStepFunctions]:
    """Make every public method of ``cls`` hold the instance's lock for the whole call.

    The operations of its mixin classes (state machines, executions, ..., tags) included: they are wrapped on
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
class LocalStepFunctions(
    StateMachineOperations,
    ExecutionOperations,
    TaskTokenOperations,
    ActivityOperations,
    DefinitionOperations,
    ClockControl,
    VersionOperations,
    AliasOperations,
    TaggingOperations,
):
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
    ``max_executions`` bounds how many executions the client keeps (see **Memory** below).

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
    late ``send_task_*`` gets ``TaskTimedOut`` rather than ``InvalidToken``. AWS keeps a closed
    execution for 90 days; a local client keeps at most ``max_executions`` executions (default:
    :data:`DEFAULT_MAX_EXECUTIONS`). When one more starts, the oldest closed ones (by start) are
    forgotten: their task tokens are already retired, describing them or reading their history
    answers ``ExecutionDoesNotExist`` as AWS does after retention, and their Map Runs go with them.
    A RUNNING execution is never forgotten, so only running ones can make the count exceed the
    bound. ``None`` keeps every execution (memory then grows by about 9-12 KB per small execution).
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
        max_executions: int | None = DEFAULT_MAX_EXECUTIONS,
    ) -> None:
        if max_executions is not None and (
            isinstance(max_executions, bool) or not isinstance(max_executions, int) or max_executions < 1
        ):
            raise ValueError(f"max_executions must be a whole number of at least 1, or None; got {max_executions!r}")
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
        self.max_executions = max_executions
        """The most executions kept before the oldest closed ones are forgotten (None: no bound)."""
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

    # -- Map Runs (constructs_sfn.local.map_runs) ---------------------------------------------
    def list_map_runs(
        self, *, executionArn: str, maxResults: int | None = None, nextToken: str | None = None
    ) -> dict[str, Any]:
        """``ListMapRuns``: the Map Runs an execution's Distributed Maps started, newest first."""
        operation = "ListMapRuns"
        self._validate(operation, given(executionArn=executionArn, maxResults=maxResults, nextToken=nextToken))
        child = self._map_run_child(executionArn)
        execution = child[1] if child is not None else self._execution(executionArn, operation).execution
        runs = list(reversed(map_runs_started_by(execution)))
        chunk, token = self._page(runs, f"mapRuns:{executionArn}", maxResults, nextToken, operation)
        return self._ok(with_token({"mapRuns": [map_run_list_item(run) for run in chunk]}, token))

    def describe_map_run(self, *, mapRunArn: str) -> dict[str, Any]:
        """``DescribeMapRun``: status, dates, limits, and item and execution counts by status."""
        operation = "DescribeMapRun"
        self._validate(operation, given(mapRunArn=mapRunArn))
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
        params = given(
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
        return self._ok(with_token({"executions": [child_list_item(run, child) for child in chunk]}, token))

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

    # -- internals: task tokens of executions ------------------------------------------------
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

    def _enforce_retention(self, newest: ExecutionRecord) -> None:
        """Forget the oldest closed executions while more than ``max_executions`` are kept.

        ``newest`` (the execution just started) stays even when it has already ended, so its
        starter can describe it. Executions are kept in start order, so the scan stops at the first
        closed ones; it only steps over the RUNNING ones, which are never forgotten.
        """
        limit = self.max_executions
        if limit is None:
            return
        excess = len(self._executions) - limit
        if excess <= 0:
            return
        forgotten: list[ExecutionRecord] = []
        for record in self._executions.values():
            if record is not newest and record.execution.status != "RUNNING":
                forgotten.append(record)
                if len(forgotten) == excess:
                    break
        for record in forgotten:
            if record.arn in self._token_holders:
                self._retire_tokens(record)
            del self._executions[record.arn]


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


if TYPE_CHECKING:

    def _is_a_client_host(client: LocalStepFunctions) -> ClientHost:
        # mypy proves here that the client has what its operation mixins (state machines, executions, ..., tags) use.
        return client
