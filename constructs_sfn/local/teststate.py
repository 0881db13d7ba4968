"""``TestState`` requests: AWS's request checks, then the runtime, then the response body.

The runtime (:func:`constructs_sfn.asl.runtime.teststate.run_test_state`) runs the one state;
everything AWS refuses before running it is decided here, with AWS's codes and messages:
unsupported state types, what a ``mock`` may be combined with, the shape of a mocked result for
Map/Parallel, the ``context`` object a caller may supply, and mocked results that do not match the
API they stand in for (``fieldValidationMode``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.services import TaskService
from constructs_sfn.local.definitions import check_definition, check_single_state
from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text
from constructs_sfn.local.mock_validation import mock_result_problem

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.clock import Clock
    from constructs_sfn.asl.runtime.teststate_context import TestStateScope

__all__ = ["TestStateRejectedError", "TestStateRequest", "run_request"]

SINGLE_STATE_NAME = "StateName"
"""The name AWS gives the state when the definition is a single state (no ``stateName``)."""

_WITHOUT_MOCK = (
    "TestState API does not support Map or Parallel states. Supported state types include: "
    "[Task, Wait, Pass, Succeed, Fail, Choice]"
)
_CONTEXT_FIELDS: Mapping[str, Mapping[str, str]] = {
    "Execution": {
        "Id": "string",
        "Input": "any",
        "Name": "string",
        "RoleArn": "string",
        "StartTime": "string",
        "RedriveCount": "integer",
        "RedriveTime": "string",
    },
    "State": {"EnteredTime": "string", "Name": "string", "RetryCount": "integer"},
    "StateMachine": {"Id": "string", "Name": "string"},
    "Task": {"Token": "string"},
}


class TestStateRejectedError(Exception):
    """A TestState request AWS refuses before running anything: an error code and message."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True, slots=True)
class TestStateRequest:
    """The parameters of one ``TestState`` call, as the caller gave them."""

    __test__ = False  # not a pytest test class, despite the name

    definition: str
    role_arn: str | None = None
    input_text: str | None = None
    inspection_level: str = "INFO"
    reveal_secrets: bool = False
    variables_text: str | None = None
    state_name: str | None = None
    mock: Mapping[str, Any] | None = None
    context_text: str | None = None
    state_configuration: Mapping[str, Any] | None = None


RunTestState = Callable[..., dict[str, Any]]


def _runtime_entry_point() -> RunTestState:
    from constructs_sfn.asl.runtime.teststate import run_test_state

    return run_test_state


def run_request(
    request: TestStateRequest,
    *,
    services: TaskService,
    runner: RunTestState | None = None,
    scope: TestStateScope | None = None,
    clock: Clock | None = None,
) -> dict[str, Any]:
    """Check ``request`` as AWS does, run the state, and return TestState's response body.

    ``scope`` (region, account, partition) and ``clock`` shape the context object's ARNs and
    timestamps. Raises :class:`TestStateRejectedError` for requests AWS refuses.
    """
    document, state = _definition(request)
    state_type = state.get("Type")
    resource = state.get("Resource") if isinstance(state.get("Resource"), str) else ""
    mock = request.mock
    _check_mock_combinations(request, state, str(state_type), str(resource))
    input_value = _json_field(request.input_text, "{}", _invalid_input)
    variables = _object_field(request.variables_text, "variables")
    if request.context_text is not None and mock is None:
        # API_TestState.html: context "may only be specified if a mock is specified in the same
        # request". Unverified wording: AWS's own message for this case is not recorded.
        raise TestStateRejectedError(
            AwsErrorCode.VALIDATION,
            "Invalid Context object provided: A Context object may only be specified together with a mock",
        )
    context = _context(request.context_text, str(state_type), str(resource))
    if mock is not None:
        _check_mock(mock, state, str(state_type), str(resource), request.state_configuration)
    run = runner or _runtime_entry_point()
    try:
        body = run(
            definition=document,
            state_name=request.state_name,
            input_value=input_value,
            inspection_level=request.inspection_level,
            reveal_secrets=request.reveal_secrets,
            variables=variables,
            mock=dict(mock) if mock is not None else None,
            state_configuration=dict(request.state_configuration) if request.state_configuration else None,
            context=context,
            services=services,
            role_arn=request.role_arn,
            scope=scope,
            clock=clock,
            inspection_text=True,
        )
    except DefinitionError as refused:
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, refused.render()) from refused
    except Exception as refused:
        code, message = getattr(refused, "code", None), getattr(refused, "message", None)
        if type(refused).__name__ == "TestStateRequestError" and isinstance(code, str) and isinstance(message, str):
            raise TestStateRejectedError(code, message) from refused
        raise
    out = {key: value for key, value in dict(body).items() if value is not None}
    if request.inspection_level == "INFO":
        out.pop("inspectionData", None)
    return out


def _definition(request: TestStateRequest) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The decoded definition and the state under test; InvalidDefinition as AWS words it."""
    if request.state_name is not None:
        checked = check_definition(request.definition)
        if checked.errors or checked.document is None:
            raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message)
        states = checked.document.get("States")
        state = states.get(request.state_name) if isinstance(states, Mapping) else None
        if not isinstance(state, Mapping):
            raise TestStateRejectedError(
                AwsErrorCode.VALIDATION,
                f"State '{request.state_name}' does not exist in the definition",
            )
        return checked.document, state
    try:
        document = parse_json_text(request.definition)
    except JsonSyntaxError:
        checked = check_definition(request.definition)
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message) from None
    checked = check_single_state(request.definition, document, state_name=SINGLE_STATE_NAME)
    if checked.errors or checked.document is None:
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message)
    return checked.document, checked.document


def _is_callback(resource: str) -> bool:
    return resource.endswith((".sync", ".sync:2", ".waitForTaskToken"))


def _is_activity(resource: str) -> bool:
    parts = resource.split(":")
    return len(parts) >= 7 and parts[2] == "states" and parts[5] == "activity"


def _check_mock_combinations(
    request: TestStateRequest, state: Mapping[str, Any], state_type: str, resource: str
) -> None:
    mock = request.mock
    if state_type in ("Map", "Parallel") and mock is None:
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, _WITHOUT_MOCK)
    if mock is not None and state_type not in ("Task", "Map", "Parallel"):
        raise TestStateRejectedError(
            AwsErrorCode.VALIDATION, f"State type '{state_type}' is not supported when a mock is specified"
        )
    if mock is not None and request.reveal_secrets:
        raise TestStateRejectedError(
            AwsErrorCode.VALIDATION, "TestState does not support RevealSecrets when a mock is specified."
        )
    if state_type == "Task" and mock is None:
        if request.role_arn is None:
            raise TestStateRejectedError(AwsErrorCode.VALIDATION, "RoleArn must be specified when testing a Task state")
        if _is_activity(resource) or _is_callback(resource):
            raise TestStateRejectedError(
                AwsErrorCode.VALIDATION,
                "TestState only supports activity tasks and the '.sync' and '.waitForTaskToken' "
                "integration patterns when a mock is specified",
            )
    del state


def _invalid_input(message: str) -> TestStateRejectedError:
    return TestStateRejectedError(
        AwsErrorCode.INVALID_EXECUTION_INPUT,
        f"Invalid State Machine Execution Input: '{message or 'Invalid execution input.'}'",
    )


def _json_field(text: str | None, default: str, failure: Callable[[str], TestStateRejectedError]) -> Any:
    try:
        return parse_json_text(default if text is None else text)
    except JsonSyntaxError as bad:
        raise failure(bad.message) from bad


def _object_field(text: str | None, field: str) -> dict[str, Any] | None:
    if text is None:
        return None

    def failure(message: str) -> TestStateRejectedError:
        return TestStateRejectedError(AwsErrorCode.VALIDATION, f"Invalid {field} provided: {message}")

    value = _json_field(text, "{}", failure)
    if not isinstance(value, dict):
        raise failure(f"{field} must be a JSON object")
    return value


def _context(text: str | None, state_type: str, resource: str) -> dict[str, Any] | None:
    if text is None:
        return None
    prefix = "Invalid Context object provided: "

    def failure(message: str) -> TestStateRejectedError:
        return TestStateRejectedError(AwsErrorCode.VALIDATION, prefix + message)

    context = _json_field(text, "{}", failure)
    if not isinstance(context, dict):
        raise failure("Context object must be a JSON object")
    for section, fields in context.items():
        if section == "Map":
            raise failure("'Map' field is not supported when mocking a Context object")
        allowed = _CONTEXT_FIELDS.get(section)
        if allowed is None:
            raise failure(f"Field '{section}' is not allowed")
        if not isinstance(fields, dict):
            raise failure(f"{section} must be an object")
        for name, value in fields.items():
            kind = allowed.get(name)
            if kind is None:
                raise failure(f"Field '{name}' is not allowed")
            if kind == "string" and not isinstance(value, str):
                raise failure(f"{section}.{name} must be a string")
            if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
                raise failure(f"{section}.{name} must be an integer")
    if "Task" in context and not (state_type == "Task" and _is_callback(resource)):
        raise failure(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern"
        )
    return context


def _check_mock(
    mock: Mapping[str, Any],
    state: Mapping[str, Any],
    state_type: str,
    resource: str,
    configuration: Mapping[str, Any] | None,
) -> None:
    result_text = mock.get("result")
    if not isinstance(result_text, str):
        return
    try:
        result = parse_json_text(result_text)
    except JsonSyntaxError as bad:
        raise TestStateRejectedError(
            AwsErrorCode.VALIDATION, f"Mocked result must be valid JSON: {bad.message}"
        ) from bad
    if state_type in ("Map", "Parallel"):
        writes_results = state_type == "Map" and state.get("ResultWriter") is not None
        if not isinstance(result, list) and not writes_results:
            raise TestStateRejectedError(AwsErrorCode.VALIDATION, "Mocked result must be an array.")
        failures = (configuration or {}).get("mapIterationFailureCount")
        if state_type == "Map" and isinstance(result, list) and isinstance(failures, int) and failures > len(result):
            raise TestStateRejectedError(
                AwsErrorCode.VALIDATION,
                "Map iteration failure count must be less than or equal to the number of Map iterations",
            )
        return
    if state_type == "Task":
        mode = str(mock.get("fieldValidationMode") or "STRICT")
        problem = mock_result_problem(resource, result, mode=mode)
        if problem is not None:
            raise TestStateRejectedError(AwsErrorCode.VALIDATION, f"Mock result schema validation error: {problem}")
