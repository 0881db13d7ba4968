"""Definition checks and single states: ``ValidateStateMachineDefinition`` and ``TestState``.

Neither stores anything: the first reports AWS-shaped diagnostics of a definition
(:mod:`.definitions`), the second runs one state of it (:mod:`.teststate`). See
https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
and https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html.
"""

# boto3's keyword names (definition, roleArn, ...) are the public contract here.
# ruff: noqa: N803

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.local.definitions import check_definition, validation_result
from constructs_sfn.local.host import ClientHost, given
from constructs_sfn.local.request_validation import boto3_parameters

__all__ = ["DefinitionOperations"]


@boto3_parameters
class DefinitionOperations:
    """The definition operations of :class:`~constructs_sfn.local.client.LocalStepFunctions`."""

    def validate_state_machine_definition(
        self: ClientHost,
        *,
        definition: str,
        type: str | None = None,
        severity: str | None = None,
        maxResults: int | None = None,
    ) -> dict[str, Any]:
        """``ValidateStateMachineDefinition``: AWS-shaped diagnostics (severity, code, message, location)."""
        operation = "ValidateStateMachineDefinition"
        params = given(definition=definition, type=type, severity=severity, maxResults=maxResults)
        self._validate(operation, params)
        checked = check_definition(definition, state_machine_type=type or "STANDARD")
        body = validation_result(checked, severity=severity or "ERROR", max_results=maxResults or 0)
        return self._ok(body)

    def test_state(
        self: ClientHost,
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
        params = given(
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
