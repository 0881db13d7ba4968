"""The Step Functions clients the conformance cases run against.

The target is ``constructs_sfn.local.LocalStepFunctions`` (boto3-shaped, runs in-process on a
virtual clock). ``moto`` can stand in (``CONSTRUCTS_SFN_CONFORMANCE_CLIENT=moto``) to exercise the
harness itself; it needs AWS-valid state machine names and runs executions in threads.

What the harness relies on from a client (boto3 ``stepfunctions`` method names, parameters and
response shapes): ``create_state_machine(name, definition, roleArn, type)`` -> ``stateMachineArn``;
``start_execution(stateMachineArn, input?, name?)`` -> ``executionArn``;
``describe_execution(executionArn)`` -> ``status``, ``output`` (JSON text), ``error``, ``cause``;
``start_sync_execution(stateMachineArn, input?, name?)`` -> ``status``, ``output``, ``error``,
``cause``; ``get_execution_history(executionArn, maxResults, includeExecutionData, nextToken?)``
-> ``events``, ``nextToken``; ``test_state(definition, input?, roleArn?, inspectionLevel?, mock?,
context?, variables?, stateName?, stateConfiguration?, revealSecrets?)`` -> ``status``,
``output``, ``error``, ``cause``, ``nextState``, ``inspectionData``;
``validate_state_machine_definition(definition, type)`` -> ``result``, ``diagnostics``,
``truncated``. Errors are raised as exceptions carrying boto3's ``response["Error"]``
(``Code``, ``Message``), like ``botocore.exceptions.ClientError``.
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "CLIENT_ENV",
    "ApiError",
    "Backend",
    "LocalBackend",
    "MotoBackend",
    "backend_unavailable_reason",
    "call_api",
    "iter_history",
    "make_backend",
    "safe_name",
    "settle_execution",
    "wait_for_execution",
]

CLIENT_ENV = "CONSTRUCTS_SFN_CONFORMANCE_CLIENT"
"""``local`` (default): LocalStepFunctions. ``moto``: moto's interpreter, to test the harness."""

_TERMINAL = frozenset({"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"})


@dataclass(frozen=True)
class ApiError:
    """An error a client call raised, in boto3's terms."""

    code: str
    message: str
    operation: str | None

    @classmethod
    def from_exception(cls, exc: BaseException) -> ApiError:
        """Read boto3's ``response["Error"]`` when present, else the exception's own fields."""
        response = getattr(exc, "response", None)
        operation = getattr(exc, "operation_name", None)
        if isinstance(response, Mapping) and isinstance(response.get("Error"), Mapping):
            error = response["Error"]
            return cls(str(error.get("Code", "")), str(error.get("Message", "")), operation)
        code = getattr(exc, "code", None) or getattr(exc, "error_code", None) or type(exc).__name__
        message = getattr(exc, "message", None) or str(exc)
        return cls(str(code), str(message), operation)


def call_api(method: Callable[..., Any], **kwargs: Any) -> tuple[dict[str, Any] | None, ApiError | None]:
    """Call a client method; return ``(response, None)`` or ``(None, error)``.

    Only exceptions that look like API errors are caught; anything else (a crash in the client)
    propagates, so a harness run shows the traceback instead of a misleading mismatch.
    """
    try:
        return dict(method(**kwargs)), None
    except Exception as exc:
        if getattr(exc, "response", None) is None and not hasattr(exc, "code"):
            name = type(exc).__module__ + "." + type(exc).__name__
            if not name.startswith(("botocore.", "constructs_sfn.")):
                raise
        return None, ApiError.from_exception(exc)


class Backend(Protocol):
    """Makes clients for cases."""

    name: str
    placeholder_names_ok: bool
    """Whether names such as ``<ArnPart_0idx>`` are accepted verbatim."""
    supports_services: bool
    runs_in_real_time: bool
    """True: executions progress by themselves (poll). False: they only progress when driven."""

    def client(self, *, region: str, account_id: str, partition: str, services: Any = None) -> Any:
        """A client whose ARNs use the given region, account and partition."""
        ...

    def close(self) -> None:
        """Release whatever the backend started."""
        ...


class LocalBackend:
    """``constructs_sfn.local.LocalStepFunctions`` on a virtual clock."""

    name = "local"
    placeholder_names_ok = True
    supports_services = True
    runs_in_real_time = False

    def __init__(self) -> None:
        module = importlib.import_module("constructs_sfn.local")
        self._factory: Callable[..., Any] = module.LocalStepFunctions
        self._clock_factory: Callable[[], Any] | None
        try:
            runtime = importlib.import_module("constructs_sfn.asl.runtime")
            self._clock_factory = runtime.VirtualClock
        except (ImportError, AttributeError):
            self._clock_factory = None

    def client(self, *, region: str, account_id: str, partition: str, services: Any = None) -> Any:
        """A fresh LocalStepFunctions (cheap; one per case keeps cases independent)."""
        options: dict[str, Any] = {"region": region, "account_id": account_id, "partition": partition}
        if services is not None:
            options["services"] = services
        if self._clock_factory is not None:
            options["clock"] = self._clock_factory()
        return self._factory(**options)

    def close(self) -> None:
        """Nothing to release."""


class MotoBackend:
    """moto's Step Functions interpreter behind boto3 (a stand-in for developing the harness)."""

    name = "moto"
    placeholder_names_ok = False
    supports_services = False
    runs_in_real_time = True

    def __init__(self) -> None:
        import logging

        import boto3
        from moto import mock_aws

        # moto's interpreter logs every exception a failing state raises, at ERROR level.
        logging.getLogger("moto").setLevel(logging.CRITICAL)
        self._mock: AbstractContextManager[Any] = mock_aws(
            config={"stepfunctions": {"execute_state_machine": True}}  # type: ignore[typeddict-item]
        )
        self._mock.__enter__()
        self._client = boto3.client("stepfunctions", region_name="us-east-1")

    def client(self, *, region: str, account_id: str, partition: str, services: Any = None) -> Any:
        """The shared boto3 client (moto keeps one backend per account and region)."""
        del region, account_id, partition, services
        return self._client

    def close(self) -> None:
        """Stop the moto mock."""
        self._mock.__exit__(None, None, None)


def backend_unavailable_reason() -> str | None:
    """Why the selected backend cannot run, or None."""
    choice = os.environ.get(CLIENT_ENV, "local")
    if choice == "moto":
        return None
    if choice != "local":
        return f"{CLIENT_ENV}={choice!r} is not one of 'local', 'moto'"
    try:
        module = importlib.import_module("constructs_sfn.local")
    except ModuleNotFoundError as exc:
        if exc.name in ("constructs_sfn", "constructs_sfn.local"):
            return "constructs_sfn.local is not importable (LocalStepFunctions has not landed)"
        raise
    if not hasattr(module, "LocalStepFunctions"):
        return "constructs_sfn.local does not provide LocalStepFunctions yet"
    return None


def make_backend() -> Backend:
    """The backend selected by ``$CONSTRUCTS_SFN_CONFORMANCE_CLIENT``."""
    if os.environ.get(CLIENT_ENV, "local") == "moto":
        return MotoBackend()
    return LocalBackend()


_SEQUENCE = itertools.count(1)


def safe_name(name: str | None, fallback: str, *, verbatim: bool) -> str | None:
    """The case's name verbatim (when allowed), else a valid, unique name derived from it."""
    if verbatim:
        return name
    base = re.sub(r"[^A-Za-z0-9_-]", "_", name or fallback).strip("_") or fallback
    return f"{base}-{next(_SEQUENCE)}"


def wait_for_execution(client: Any, execution_arn: str, *, timeout: float = 60.0) -> dict[str, Any]:
    """Poll ``describe_execution`` until the execution leaves RUNNING (immediate for LocalStepFunctions)."""
    deadline = time.monotonic() + timeout
    delay = 0.0
    while True:
        description = dict(client.describe_execution(executionArn=execution_arn))
        if description.get("status") in _TERMINAL or time.monotonic() > deadline:
            return description
        time.sleep(delay)
        delay = min(0.05, delay * 2 or 0.002)


ActivityAnswer = Callable[[Any, str], None]
"""Answers one activity task: ``(client, task_token)``; may call send_task_success/failure or nothing."""

# Virtual seconds to let pass, in turn, while an execution is blocked: timers (Wait, retry back-off,
# TimeoutSeconds, HeartbeatSeconds) fire in order inside each advance.
_ADVANCE_STEPS = (1.0, 60.0, 3600.0, 86400.0, 31 * 86400.0, 366 * 86400.0)


def settle_execution(
    client: Any,
    execution_arn: str,
    backend: Backend,
    *,
    activity_arns: Sequence[str] = (),
    answer_activity: ActivityAnswer | None = None,
    worker_name: str = "conformance",
) -> dict[str, Any]:
    """Bring an execution to a final status and describe it.

    moto: poll. LocalStepFunctions: a RUNNING execution is blocked on a worker or a timer, so the
    harness acts as the activity worker (``get_activity_task`` + ``answer_activity``) and then lets
    virtual time pass with ``advance_clock`` (a LocalStepFunctions extension), until it finishes.
    """
    if backend.runs_in_real_time:
        return wait_for_execution(client, execution_arn)
    description = dict(client.describe_execution(executionArn=execution_arn))
    steps = iter(_ADVANCE_STEPS)
    while description.get("status") not in _TERMINAL:
        served = False
        for activity_arn in activity_arns:
            task, error = call_api(client.get_activity_task, activityArn=activity_arn, workerName=worker_name)
            if error is None and task and task.get("taskToken") and answer_activity is not None:
                answer_activity(client, str(task["taskToken"]))
                served = True
        if not served:
            step = next(steps, None)
            if step is None or not hasattr(client, "advance_clock"):
                break
            client.advance_clock(step)
        description = dict(client.describe_execution(executionArn=execution_arn))
    return description


def iter_history(client: Any, execution_arn: str) -> Iterator[dict[str, Any]]:
    """All history events, following ``nextToken``."""
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {
            "executionArn": execution_arn,
            "maxResults": 1000,
            "includeExecutionData": True,
        }
        if token:
            kwargs["nextToken"] = token
        page = client.get_execution_history(**kwargs)
        yield from page.get("events", [])
        token = page.get("nextToken")
        if not token:
            return
