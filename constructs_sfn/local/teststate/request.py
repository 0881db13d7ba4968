"""``TestState`` requests: AWS's request checks, then the run, then the response body.

:func:`run_request` is the one entry point (the client's ``test_state`` calls it): it finds the
state (:mod:`.locate`), refuses what AWS refuses (:mod:`.checks`), runs the state
(:func:`.run.run_test_state`) and shapes the response as the API sends it.
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
from constructs_sfn.local.teststate.checks import (
    check_combinations,
    check_context,
    check_mock,
    check_state_configuration,
    json_field,
    object_field,
)
from constructs_sfn.local.teststate.errors import TestStateRejectedError
from constructs_sfn.local.teststate.locate import SINGLE_STATE_NAME, LocatedState, locate_state
from constructs_sfn.local.teststate.run import run_test_state

if TYPE_CHECKING:
    from constructs_sfn.asl.runtime.clock import Clock
    from constructs_sfn.local.teststate.context import TestStateScope

__all__ = ["RunTestState", "TestStateRequest", "run_request"]


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
"""The shape of :func:`constructs_sfn.local.teststate.run.run_test_state` (injectable for tests)."""


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
    timestamps; ``runner`` replaces the run (tests). Raises :class:`TestStateRejectedError` for
    requests AWS refuses.
    """
    document, state = _definition(request)
    mock = request.mock
    check_combinations(state, mock=mock, reveal_secrets=request.reveal_secrets, role_arn=request.role_arn)
    input_value = json_field(request.input_text, "{}", _invalid_input)
    variables = object_field(request.variables_text, "variables")
    context = check_context(request.context_text, state, mocked=mock is not None)
    if mock is not None:
        check_mock(mock, state, request.state_configuration)
    check_state_configuration(request.state_configuration, state, mock)
    run = runner or run_test_state
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
    out = {key: value for key, value in dict(body).items() if value is not None}
    if request.inspection_level == "INFO":
        out.pop("inspectionData", None)
    return out


def _definition(request: TestStateRequest) -> tuple[Mapping[str, Any], LocatedState]:
    """The decoded definition and the state under test; InvalidDefinition as AWS words it."""
    if request.state_name is not None:
        checked = check_definition(request.definition)
        if checked.errors or checked.document is None:
            raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message)
        located = locate_state(checked.document, request.state_name)
        if located is None:
            # Unverified wording: AWS's message for a stateName the definition lacks is not recorded.
            raise TestStateRejectedError(
                AwsErrorCode.VALIDATION, f"State '{request.state_name}' does not exist in the definition"
            )
        return checked.document, located
    try:
        document = parse_json_text(request.definition)
    except JsonSyntaxError:
        checked = check_definition(request.definition)
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message) from None
    checked = check_single_state(request.definition, document, state_name=SINGLE_STATE_NAME)
    if checked.errors or checked.document is None:
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message)
    located = locate_state(checked.document, None)
    if located is None:  # a whole machine given without stateName: its StartAt names no state
        raise TestStateRejectedError(AwsErrorCode.INVALID_DEFINITION, checked.message)
    return checked.document, located


def _invalid_input(message: str) -> TestStateRejectedError:
    return TestStateRejectedError(
        AwsErrorCode.INVALID_EXECUTION_INPUT,
        f"Invalid State Machine Execution Input: '{message or 'Invalid execution input.'}'",
    )
