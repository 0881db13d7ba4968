"""Run one corpus case against a client and score it.

Each runner returns a :class:`CaseResult` with three verdicts (None when not applicable):

* ``outcome``: executions: status, and output (SUCCEEDED) or error name (otherwise);
  TestState: status, output, error and nextState; API errors: the error code (and the operation
  name when recorded and exposed by the exception); validation: ``result`` and ``truncated``.
* ``cause``: the failure cause of a non-succeeded execution or TestState call, the message of an
  API error, the diagnostics of a validation (compared as a multiset: their order carries no
  meaning).
* ``history``: the execution history (when recorded), or TestState's ``inspectionData``.

A verdict compares the full recorded value; a recorded value that is absent (``error`` of a
``Fail`` state without ``Error``) must be absent on our side too.

Setup choices that are not in the corpus: executions use the case's ``placeholders`` (account,
region, partition, state machine and execution names) so context-object values come out as
recorded; when the client rejects a placeholder name (``InvalidName``: AWS forbids ``<``/``>``)
the case is retried with the name's letters and digits, which only matters where the recorded
value is a wildcard anyway. A case without names gets ``ConformanceStateMachine`` and a
client-generated execution name. The recorded role (``snf_role_arn``) is itself a mask, so the
machine gets ``arn:aws:iam::111111111111:role/<that value>`` and the value is a wildcard. TestState and API
error cases run in account ``111111111111``, region ``<region>``, partition ``<partition>``; a
TestState case recorded with a role gets ``arn:<partition>:iam::111111111111:role/ConformanceRole``;
one whose Task called a real service without a mock gets that service's recorded result
(``inspectionData.result``) from a TaskService, and is skipped when the result was not recorded.
A definition that names activity ARNs pins the client's region, account and partition to the first
one's (they are literal in the definition) and the activities are created first; the harness then
plays the recorded activity worker (see :mod:`.replay`). Express executions started
asynchronously were recorded from their log's end event, which the API cannot read back
(``DescribeExecution`` does not support Express): they run through ``start_sync_execution``, which
executes the same definition the same way. A STANDARD execution that stays RUNNING is blocked on a
worker or a timer: see :func:`.clients.settle_execution`.
An API error case expecting ``StateMachineAlreadyExists`` first creates the machine under the same
name with a different ``Comment``, since the recorded test did that in an earlier step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .clients import ApiError, Backend, call_api, iter_history, safe_name, settle_execution
from .corpus import tag_groups
from .history import compare_history, normalise_actual_events
from .matching import MatchContext, match_value

__all__ = [
    "CaseResult",
    "run_api_error_case",
    "run_execution_case",
    "run_service_case",
    "run_test_state_case",
]

_ACCOUNT = "111111111111"
_REGION = "<region>"
_PARTITION = "<partition>"
_DEFAULT_MACHINE_NAME = "ConformanceStateMachine"
_INSPECTION_JSON_FIELDS = frozenset(
    {
        "input",
        "afterArguments",
        "afterInputPath",
        "afterParameters",
        "result",
        "afterResultSelector",
        "afterResultPath",
        "variables",
        "afterItemsPath",
        "afterItemSelector",
        "afterItemBatcher",
        "afterItemsPointer",
    }
)


@dataclass
class CaseResult:
    """The verdicts for one case."""

    file: str
    case_id: str
    groups: tuple[str, ...]
    outcome: bool | None = None
    cause: bool | None = None
    history: bool | None = None
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def passed(self) -> bool:
        """No applicable verdict failed."""
        return self.skipped is None and False not in (self.outcome, self.cause, self.history)

    def verdict(self, name: str, problems: Sequence[str]) -> None:
        """Record one verdict and its problems."""
        setattr(self, name, not problems)
        self.problems.extend(f"[{name}] {p}" for p in problems)

    def report(self) -> str:
        """A readable failure message."""
        lines = [f"{self.case_id}: outcome={self.outcome} cause={self.cause} history={self.history}"]
        lines.extend(f"  {p}" for p in self.problems[:25])
        if len(self.problems) > 25:
            lines.append(f"  ... {len(self.problems) - 25} more")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (travels through pytest-xdist and into result files)."""
        data = asdict(self)
        data["groups"] = list(self.groups)
        data["passed"] = self.passed
        return data


def _new_result(file: str, case: Mapping[str, Any]) -> CaseResult:
    return CaseResult(file=file, case_id=str(case["id"]), groups=tag_groups(case.get("tags", ())))


def _decode(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _error_problems(label: str, error: ApiError) -> list[str]:
    return [f"{label} raised {error.code}: {error.message[:300]}"]


# --------------------------------------------------------------------------------------------------
# executions (cases.jsonl and service_cases.jsonl)


def run_execution_case(
    case: Mapping[str, Any], backend: Backend, *, services: Any = None, file: str = "cases"
) -> CaseResult:
    """Create the machine, run the execution, compare status/output/error/cause/history."""
    result = _new_result(file, case)
    expected = case["expected"]
    placeholders = case.get("placeholders", {})
    role = str(placeholders.get("role_arn", "ConformanceRole"))
    ctx = MatchContext.for_masks(case.get("snapshot_masks", ()), masked_values=(role,))
    activities = _activity_arns(case["definition"])
    scope = {
        "region": placeholders.get("region", _REGION),
        "account_id": placeholders.get("account_id", _ACCOUNT),
        "partition": placeholders.get("partition", _PARTITION),
    }
    if activities:
        # Activity ARNs are literal in the definition; the client must live where they point.
        _, partition, _, region, account, _ = activities[0].split(":", 5)
        scope = {"region": region, "account_id": account, "partition": partition}
    client = backend.client(**scope, services=services)
    for activity in activities:
        call_api(client.create_activity, name=activity.rsplit(":", 1)[-1])
    machine_name = safe_name(
        placeholders.get("state_machine_name"), _DEFAULT_MACHINE_NAME, verbatim=backend.placeholder_names_ok
    )
    machine = {
        "name": machine_name or _DEFAULT_MACHINE_NAME,
        "definition": json.dumps(case["definition"]),
        "roleArn": f"arn:aws:iam::{_ACCOUNT}:role/{role}",
        "type": case.get("state_machine_type", "STANDARD"),
    }
    created, error = call_api(client.create_state_machine, **machine)
    if error is not None and error.code == "InvalidName":
        machine["name"] = safe_name(machine["name"], _DEFAULT_MACHINE_NAME, verbatim=False)
        created, error = call_api(client.create_state_machine, **machine)
    if error is not None or created is None:
        result.verdict("outcome", _error_problems("create_state_machine", error) if error else ["no response"])
        return result
    start_args: dict[str, Any] = {"stateMachineArn": created["stateMachineArn"]}
    if case.get("input_provided", True):
        start_args["input"] = json.dumps(case["input"])
    if placeholders.get("execution_name"):
        start_args["name"] = safe_name(
            placeholders["execution_name"], "execution", verbatim=backend.placeholder_names_ok
        )

    events: list[dict[str, Any]] | None = None
    if case.get("kind") == "express_sync_execution" or case.get("state_machine_type") == "EXPRESS":
        final, error = call_api(client.start_sync_execution, **start_args)
        if error is not None or final is None:
            result.verdict("outcome", _error_problems("start_sync_execution", error) if error else ["no response"])
            return result
    else:
        started, error = call_api(client.start_execution, **start_args)
        if error is not None and error.code == "InvalidName":
            start_args["name"] = safe_name(start_args["name"], "execution", verbatim=False)
            started, error = call_api(client.start_execution, **start_args)
        if error is not None or started is None:
            result.verdict("outcome", _error_problems("start_execution", error) if error else ["no response"])
            return result
        final = settle_execution(
            client,
            started["executionArn"],
            backend,
            activity_arns=[_client_activity_arn(client, a) for a in activities],
            answer_activity=getattr(services, "answer_activity", None),
            worker_name=_recorded_worker_name(expected.get("history", ())),
        )
        if "history" in expected:
            events = list(iter_history(client, started["executionArn"]))

    _score_execution(result, expected, final, ctx)
    if "history" in expected:
        lossy = any(m.get("type") == "SfnNoneRecursiveParallelTransformer" for m in case["snapshot_masks"])
        result.verdict(
            "history",
            compare_history(expected["history"], normalise_actual_events(events or []), ctx, lossy_sections=lossy),
        )
    return result


_ACTIVITY_ARN = re.compile(r"arn:[^:]+:states:[^:]+:[^:]+:activity:[^:]+")


def _activity_arns(definition: Any) -> list[str]:
    """Activity ARNs used as Task resources anywhere in the definition (nested states included)."""
    found: list[str] = []
    if isinstance(definition, Mapping):
        resource = definition.get("Resource")
        if definition.get("Type") == "Task" and isinstance(resource, str) and _ACTIVITY_ARN.fullmatch(resource):
            found.append(resource)
        for value in definition.values():
            found.extend(a for a in _activity_arns(value) if a not in found)
    elif isinstance(definition, list):
        for item in definition:
            found.extend(a for a in _activity_arns(item) if a not in found)
    return found


def _recorded_worker_name(history: Sequence[Mapping[str, Any]]) -> str:
    """The activity worker's name as AWS recorded it (the harness plays that worker)."""
    for event in history:
        details = event.get("activityStartedEventDetails")
        if isinstance(details, Mapping) and isinstance(details.get("workerName"), str):
            return str(details["workerName"])
    return "conformance"


def _client_activity_arn(client: Any, arn: str) -> str:
    """The ARN the client gave the activity of that name (equal to ``arn`` when scopes agree)."""
    created, _ = call_api(client.create_activity, name=arn.rsplit(":", 1)[-1])
    return str(created["activityArn"]) if created else arn


def _score_execution(
    result: CaseResult, expected: Mapping[str, Any], final: Mapping[str, Any], ctx: MatchContext
) -> None:
    outcome: list[str] = []
    status = final.get("status")
    if status != expected["status"]:
        outcome.append(f"status: expected {expected['status']}, got {status}")
    if expected["status"] == "SUCCEEDED":
        if "output" in expected:
            if "output" not in final:
                outcome.append("output: missing")
            else:
                outcome.extend(match_value(expected["output"], _decode(final["output"]), ctx, "output"))
        result.verdict("outcome", outcome)
        return
    outcome.extend(match_value(expected.get("error"), final.get("error"), ctx, "error"))
    result.verdict("outcome", outcome)
    result.verdict("cause", match_value(expected.get("cause"), final.get("cause"), ctx, "cause"))


def run_service_case(case: Mapping[str, Any], backend: Backend) -> CaseResult:
    """Run an execution whose Task states are answered from ``task_results``."""
    from .replay import ReplayTaskService, recorded_json_texts

    if not case.get("mockable"):
        result = _new_result("service_cases", case)
        result.skipped = f"not mockable: {case.get('mockable_reason', 'no reason recorded')}"
        return result
    ctx = MatchContext.for_masks(case.get("snapshot_masks", ()))
    service = ReplayTaskService(
        case.get("task_results", ()),
        ctx,
        texts=recorded_json_texts(case["expected"]),
        s3_objects=case.get("s3_objects", ()),
        history=case["expected"].get("history") or (),
    )
    return run_execution_case(case, backend, services=service, file="service_cases")


# --------------------------------------------------------------------------------------------------
# TestState (test_state_cases.jsonl)


def _test_state_client(backend: Backend, services: Any = None) -> Any:
    return backend.client(region=_REGION, account_id=_ACCOUNT, partition=_PARTITION, services=services)


def _tested_state_type(case: Mapping[str, Any]) -> Any:
    """The ``Type`` of the state a TestState case exercises (single state or ``stateName``)."""
    definition = case["definition"]
    name = case.get("test_state_args", {}).get("stateName")
    if name and isinstance(definition.get("States"), Mapping):
        return (definition["States"].get(name) or {}).get("Type")
    return definition.get("Type")


class _RecordedResultService:
    """Answers every Task attempt with the result TestState recorded (``inspectionData.result``)."""

    def __init__(self, result: Any) -> None:
        self._result = result

    def invoke(self, request: Any) -> Any:
        from constructs_sfn.asl.services import TaskOutcome

        del request
        return TaskOutcome.success(self._result)


def _role_arn() -> str:
    return f"arn:{_PARTITION}:iam::{_ACCOUNT}:role/ConformanceRole"


def run_test_state_case(case: Mapping[str, Any], backend: Backend) -> CaseResult:
    """Call ``test_state`` with the recorded arguments and compare the response."""
    result = _new_result("test_state_cases", case)
    ctx = MatchContext.for_masks(case.get("snapshot_masks", ()))
    args: dict[str, Any] = {"definition": json.dumps(case["definition"])}
    if case.get("input_provided", True):
        args["input"] = json.dumps(case["input"])
    args.update(case.get("test_state_args", {}))
    if case.get("role_arn_given"):
        args["roleArn"] = _role_arn()
    services = None
    if case.get("services") and "mock" not in args and _tested_state_type(case) == "Task":
        recorded = (case["expected"].get("inspectionData") or {}).get("result")
        if recorded is None or not backend.supports_services:
            result.skipped = "the call invoked a real service and the corpus holds no task result to replay"
            return result
        services = _RecordedResultService(_decode(recorded) if isinstance(recorded, str) else recorded)
    client = _test_state_client(backend, services)
    response, error = call_api(client.test_state, **args)
    if error is not None or response is None:
        result.verdict("outcome", _error_problems("test_state", error) if error else ["no response"])
        return result
    expected = case["expected"]
    outcome: list[str] = []
    for key in ("status", "error", "nextState"):
        outcome.extend(match_value(expected.get(key), response.get(key), ctx, key))
    if "output" in expected or "output" in response:
        outcome.extend(match_value(expected.get("output"), _decode(response.get("output")), ctx, "output"))
    result.verdict("outcome", outcome)
    if "cause" in expected or "cause" in response:
        result.verdict("cause", match_value(expected.get("cause"), response.get("cause"), ctx, "cause"))
    inspection = {
        k: (_decode(v) if k in _INSPECTION_JSON_FIELDS else v)
        for k, v in (response.get("inspectionData") or {}).items()
    }
    result.verdict("history", match_value(expected.get("inspectionData") or {}, inspection, ctx, "inspectionData"))
    return result


# --------------------------------------------------------------------------------------------------
# API errors and validation (api_error_cases.jsonl)


def _definition_text(request: Mapping[str, Any]) -> str:
    definition = request.get("definition")
    if request.get("definition_is_json", True):
        return json.dumps(definition)
    return str(definition)


def _input_text(request: Mapping[str, Any]) -> str:
    value = request.get("input")
    if request.get("input_is_json", True):
        return json.dumps(value)
    return str(value)


def run_api_error_case(case: Mapping[str, Any], backend: Backend) -> CaseResult:
    """Make the recorded call and compare the error (or the validation result)."""
    result = _new_result("api_error_cases", case)
    request = case["request"]
    expected = case["expected"]
    operation = case["operation"]
    client = backend.client(region=_REGION, account_id=_ACCOUNT, partition=_PARTITION)
    ctx = MatchContext()
    name = safe_name(_DEFAULT_MACHINE_NAME, _DEFAULT_MACHINE_NAME, verbatim=backend.placeholder_names_ok)
    machine = {
        "name": name or _DEFAULT_MACHINE_NAME,
        "definition": _definition_text(request),
        "roleArn": f"arn:aws:iam::{_ACCOUNT}:role/ConformanceRole",
        "type": request.get("type", "STANDARD"),
    }
    response: dict[str, Any] | None
    error: ApiError | None
    if operation == "validate_state_machine_definition":
        response, error = call_api(
            client.validate_state_machine_definition,
            definition=_definition_text(request),
            type=request.get("type", "STANDARD"),
        )
        _score_validation(result, expected, response, error, ctx)
        return result
    if operation == "create_state_machine":
        if expected.get("error_code") not in _DEFINITION_ERRORS:
            result.skipped = (
                f"AWS rejected an argument the corpus did not record ({expected.get('error_code')}: "
                f"{expected.get('message')}); only the definition and type were recorded"
            )
            return result
        if expected.get("error_code") == "StateMachineAlreadyExists":
            earlier = dict(machine, definition=_with_other_comment(request))
            call_api(client.create_state_machine, **earlier)
        response, error = call_api(client.create_state_machine, **machine)
    elif operation in ("start_execution", "start_sync_execution"):
        created, setup_error = call_api(client.create_state_machine, **machine)
        if setup_error is not None or created is None:
            result.verdict(
                "outcome",
                _error_problems("create_state_machine (setup)", setup_error) if setup_error else ["no response"],
            )
            return result
        args: dict[str, Any] = {"stateMachineArn": created["stateMachineArn"]}
        if "input" in request:
            args["input"] = _input_text(request)
        if request.get("name") is not None:
            args["name"] = request["name"]
        response, error = call_api(getattr(client, operation), **args)
    elif operation == "test_state":
        args = {
            k: v for k, v in request.items() if k not in ("definition", "definition_is_json", "input", "input_is_json")
        }
        args["definition"] = _definition_text(request)
        if "input" in request:
            args["input"] = _input_text(request)
        response, error = call_api(client.test_state, **args)
    else:
        result.skipped = f"operation {operation} is not driven by the harness"
        return result
    if error is None:
        result.verdict("outcome", [f"{operation} succeeded but AWS raised {expected.get('error_code')}: {response}"])
        return result
    outcome = match_value(expected.get("error_code"), error.code, ctx, "error_code")
    if "operation" in expected and error.operation is not None:
        outcome += match_value(expected["operation"], error.operation, ctx, "operation")
    result.verdict("outcome", outcome)
    result.verdict("cause", match_value(expected.get("message"), error.message, ctx, "message"))
    return result


_DEFINITION_ERRORS = frozenset({"InvalidDefinition", "StateMachineAlreadyExists"})
"""CreateStateMachine errors the recorded request (definition, type) can reproduce."""


def _with_other_comment(request: Mapping[str, Any]) -> str:
    definition = request.get("definition")
    if isinstance(definition, Mapping):
        changed = dict(definition)
        changed["Comment"] = f"{changed.get('Comment', '')} (an earlier revision)"
        return json.dumps(changed)
    return _definition_text(request)


def _score_validation(
    result: CaseResult,
    expected: Mapping[str, Any],
    response: Mapping[str, Any] | None,
    error: ApiError | None,
    ctx: MatchContext,
) -> None:
    if error is not None or response is None:
        result.verdict(
            "outcome",
            _error_problems("validate_state_machine_definition", error) if error else ["no response"],
        )
        return
    outcome = match_value(expected.get("result"), response.get("result"), ctx, "result")
    outcome += match_value(expected.get("truncated"), response.get("truncated"), ctx, "truncated")
    result.verdict("outcome", outcome)
    remaining = [dict(d) for d in response.get("diagnostics", [])]
    problems: list[str] = []
    for diagnostic in expected.get("diagnostics", []):
        index = next(
            (i for i, candidate in enumerate(remaining) if not match_value(diagnostic, candidate, ctx.fork())),
            None,
        )
        if index is None:
            problems.append(f"diagnostic not reported: {diagnostic} (got {remaining})")
        else:
            remaining.pop(index)
    if remaining:
        problems.append(f"unexpected diagnostics: {remaining}")
    result.verdict("cause", problems)
