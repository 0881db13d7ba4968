"""What AWS refuses in a ``TestState`` request before it runs anything, with its codes and messages.

The rules come from the API reference (API_TestState.html, API_MockInput.html,
API_MockErrorOutput.html, API_TestStateConfiguration.html) and the developer guide
(test-state-isolation.html). Where AWS's wording is recorded in the conformance corpus the message is
AWS's; the others are marked "unverified wording" where they are raised.

* Map and Parallel states can only be tested with a ``mock``; a mock is only for Task, Map and
  Parallel states, never with ``revealSecrets``, and holds either a ``result`` or an ``errorOutput``
  (whose ``error`` is required).
* An unmocked Task needs a ``roleArn``; activity and callback (``.sync``, ``.waitForTaskToken``)
  tasks need a mock.
* ``context`` needs a mock; its sections and fields are those of the context object, ``Task`` only
  for callback tasks and ``Map`` only for a state inside a Map.
* A mocked Map or Parallel result is an array (a Map with a ResultWriter may have any result), one
  element per branch for a Parallel; ``mapIterationFailureCount`` is at most the number of items.
* ``stateConfiguration``: ``mapIterationFailureCount`` and ``mapItemReaderData`` are Map fields (the
  latter only with an ItemReader); ``errorCausedByState`` names a state inside the mocked Map or
  Parallel whose mock is an ``errorOutput``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.local.errors import AwsErrorCode
from constructs_sfn.local.json_text import JsonSyntaxError, parse_json_text
from constructs_sfn.local.teststate.errors import TestStateRejectedError
from constructs_sfn.local.teststate.locate import LocatedState
from constructs_sfn.local.teststate.mock_validation import mock_result_problem

__all__ = [
    "check_combinations",
    "check_context",
    "check_mock",
    "check_state_configuration",
    "is_callback",
    "json_field",
    "object_field",
]

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
    "Map": {"Item": "object"},
}
_MAP_ITEM_FIELDS: Mapping[str, str] = {"Index": "integer", "Value": "any", "Source": "string"}


def _validation(message: str) -> TestStateRejectedError:
    return TestStateRejectedError(AwsErrorCode.VALIDATION, message)


def is_callback(resource: str) -> bool:
    """Whether ``resource`` uses the ``.sync`` or ``.waitForTaskToken`` integration pattern."""
    return resource.endswith((".sync", ".sync:2", ".waitForTaskToken"))


def _is_activity(resource: str) -> bool:
    parts = resource.split(":")
    return len(parts) >= 7 and parts[2] == "states" and parts[5] == "activity"


def _resource(state: LocatedState) -> str:
    resource = state.document.get("Resource")
    return resource if isinstance(resource, str) else ""


def check_combinations(
    state: LocatedState, *, mock: Mapping[str, Any] | None, reveal_secrets: bool, role_arn: str | None
) -> None:
    """The state types a mock is for, and what a Task needs without one."""
    state_type = state.state_type
    if state_type in ("Map", "Parallel") and mock is None:
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, _WITHOUT_MOCK)
    if mock is not None and state_type not in ("Task", "Map", "Parallel"):
        raise _validation(f"State type '{state_type}' is not supported when a mock is specified")
    if mock is not None and reveal_secrets:
        raise _validation("TestState does not support RevealSecrets when a mock is specified.")
    if state_type == "Task" and mock is None:
        if role_arn is None:
            raise _validation("RoleArn must be specified when testing a Task state")
        resource = _resource(state)
        if _is_activity(resource) or is_callback(resource):
            raise _validation(
                "TestState only supports activity tasks and the '.sync' and '.waitForTaskToken' "
                "integration patterns when a mock is specified"
            )


def json_field(text: str | None, default: str, failure: Callable[[str], TestStateRejectedError]) -> Any:
    """Decode a JSON-text request field (``default`` when absent); ``failure`` words the refusal."""
    try:
        return parse_json_text(default if text is None else text)
    except JsonSyntaxError as bad:
        raise failure(bad.message) from bad


def object_field(text: str | None, field: str) -> dict[str, Any] | None:
    """Decode a request field that must hold a JSON object (``variables``), None when absent."""
    if text is None:
        return None

    def failure(message: str) -> TestStateRejectedError:
        return _validation(f"Invalid {field} provided: {message}")

    value = json_field(text, "{}", failure)
    if not isinstance(value, dict):
        raise failure(f"{field} must be a JSON object")
    return value


def check_context(text: str | None, state: LocatedState, *, mocked: bool) -> dict[str, Any] | None:
    """The decoded ``context`` argument, checked against the context object's fields."""
    if text is None:
        return None
    prefix = "Invalid Context object provided: "

    def failure(message: str) -> TestStateRejectedError:
        return _validation(prefix + message)

    if not mocked:
        # API_TestState.html: context "may only be specified if a mock is specified in the same
        # request". Unverified wording: AWS's own message for this case is not recorded.
        raise failure("A Context object may only be specified together with a mock")
    context = json_field(text, "{}", failure)
    if not isinstance(context, dict):
        raise failure("Context object must be a JSON object")
    for section, fields in context.items():
        if section == "Map" and not state.in_map:
            raise failure("'Map' field is not supported when mocking a Context object")
        allowed = _CONTEXT_FIELDS.get(section)
        if allowed is None:
            raise failure(f"Field '{section}' is not allowed")
        if not isinstance(fields, dict):
            raise failure(f"{section} must be an object")
        _check_fields(fields, allowed, section, failure)
    resource = _resource(state)
    if "Task" in context and not (state.state_type == "Task" and is_callback(resource)):
        raise failure(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern"
        )
    return context


def _check_fields(
    fields: Mapping[str, Any],
    allowed: Mapping[str, str],
    section: str,
    failure: Callable[[str], TestStateRejectedError],
) -> None:
    for name, value in fields.items():
        kind = allowed.get(name)
        if kind is None:
            raise failure(f"Field '{name}' is not allowed")
        where = f"{section}.{name}"
        if kind == "string" and not isinstance(value, str):
            raise failure(f"{where} must be a string")
        if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
            raise failure(f"{where} must be an integer")
        if kind == "object":
            if not isinstance(value, dict):
                raise failure(f"{where} must be an object")
            _check_fields(value, _MAP_ITEM_FIELDS, where, failure)


def check_mock(mock: Mapping[str, Any], state: LocatedState, configuration: Mapping[str, Any] | None) -> None:
    """The mock's own shape, then its result against the state (array shape, API output shape)."""
    has_result = mock.get("result") is not None
    error_output = mock.get("errorOutput")
    if has_result and error_output is not None:
        # API_MockInput.html: "A JSON object that contains a mocked result or errorOutput".
        # Unverified wording.
        raise _validation("A mock may specify either a result or an errorOutput, not both")
    if not has_result and error_output is None:
        raise _validation("A mock must specify either a result or an errorOutput")  # unverified wording
    if error_output is not None:
        if not isinstance(error_output, Mapping) or error_output.get("error") is None:
            # API_MockErrorOutput.html: error "is required if mock.errorOutput is specified".
            raise _validation("The field 'error' is required when mock.errorOutput is specified")  # unverified
        return
    try:
        result = parse_json_text(str(mock["result"]))
    except JsonSyntaxError as bad:
        raise _validation(f"Mocked result must be valid JSON: {bad.message}") from bad
    document = state.document
    if state.state_type in ("Map", "Parallel"):
        writes_results = state.state_type == "Map" and document.get("ResultWriter") is not None
        if not isinstance(result, list) and not writes_results:
            raise _validation("Mocked result must be an array.")
        branches = document.get("Branches")
        if state.state_type == "Parallel" and isinstance(branches, list) and len(result) != len(branches):
            # The developer guide: a Parallel state's mocked result holds one output per branch.
            # Unverified wording.
            raise _validation(
                f"Mocked result must be an array with one element per branch: the Parallel state has "
                f"{len(branches)} branches, the mocked result {len(result)} elements."
            )
        failures = (configuration or {}).get("mapIterationFailureCount")
        if (
            state.state_type == "Map"
            and isinstance(result, list)
            and isinstance(failures, int)
            and failures > len(result)
        ):
            raise _validation("Map iteration failure count must be less than or equal to the number of Map iterations")
        return
    if state.state_type == "Task":
        mode = str(mock.get("fieldValidationMode") or "STRICT")
        problem = mock_result_problem(_resource(state), result, mode=mode)
        if problem is not None:
            raise _validation(f"Mock result schema validation error: {problem}")


def check_state_configuration(
    configuration: Mapping[str, Any] | None, state: LocatedState, mock: Mapping[str, Any] | None
) -> None:
    """Each ``stateConfiguration`` field only where API_TestStateConfiguration.html says it applies.

    Unverified wording for every message here: AWS's messages are not recorded.
    """
    if not configuration:
        return
    state_type = state.state_type
    document = state.document
    if configuration.get("mapIterationFailureCount") is not None and state_type != "Map":
        raise _validation(f"mapIterationFailureCount can only be specified for a Map state, not a {state_type} state")
    reads_items = state_type == "Map" and document.get("ItemReader") is not None
    if configuration.get("mapItemReaderData") is not None and not reads_items:
        raise _validation("mapItemReaderData can only be specified for a Map state with an ItemReader")
    caused_by = configuration.get("errorCausedByState")
    if caused_by is None:
        return
    if state_type not in ("Map", "Parallel"):
        raise _validation(
            f"errorCausedByState can only be specified for a Map or Parallel state, not a {state_type} state"
        )
    if mock is None or mock.get("errorOutput") is None:
        raise _validation("errorCausedByState can only be specified when mock.errorOutput is specified")
    if caused_by not in _inner_state_names(document):
        raise _validation(
            f"errorCausedByState '{caused_by}' is not a state inside the {state_type} state '{state.name}'"
        )


def _inner_state_names(document: Mapping[str, Any]) -> set[str]:
    """The names of every state nested in a Map's processor or a Parallel's branches."""
    machines: list[Any] = []
    if document.get("Type") == "Parallel":
        machines.extend(document.get("Branches") or ())
    else:
        machines.append(document.get("ItemProcessor", document.get("Iterator")))
    names: set[str] = set()
    while machines:
        machine = machines.pop()
        states = machine.get("States") if isinstance(machine, Mapping) else None
        if not isinstance(states, Mapping):
            continue
        for name, inner in states.items():
            names.add(name)
            if isinstance(inner, Mapping):
                machines.extend(inner.get("Branches") or () if inner.get("Type") == "Parallel" else ())
                if inner.get("Type") == "Map":
                    machines.append(inner.get("ItemProcessor", inner.get("Iterator")))
    return names
