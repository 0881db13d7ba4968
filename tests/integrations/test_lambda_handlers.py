from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.integrations import IntegrationConfigError, LambdaContext, LambdaHandlers

from .conftest import RequestFactory

FUNCTION_ARN = "arn:aws:lambda:eu-west-1:111122223333:function:Charge"
INVOKE = "arn:aws:states:::lambda:invoke"


class PaymentDeclinedError(Exception):
    pass


def _declined(event: Any, context: LambdaContext) -> Any:
    raise PaymentDeclinedError(f"card {event['card']} declined")


def test_bare_function_arn_returns_handler_result(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": lambda event, context: {"charged": event["amount"]}})
    outcome = handlers.invoke(make_request(FUNCTION_ARN, {"amount": 5}))
    assert outcome.error is None
    assert outcome.output == {"charged": 5}
    assert outcome.completes


def test_handler_gets_its_own_copy_of_the_event(make_request: RequestFactory) -> None:
    def mutate(event: Any, context: LambdaContext) -> Any:
        event["items"].append("extra")
        return event

    parameters = {"items": ["a"]}
    outcome = LambdaHandlers({"Charge": mutate}).invoke(make_request(FUNCTION_ARN, parameters))
    assert outcome.output == {"items": ["a", "extra"]}
    assert parameters == {"items": ["a"]}


def test_lambda_invoke_result_shape(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": lambda event, context: {"ok": event}})
    request = make_request(INVOKE, {"FunctionName": "Charge", "Payload": {"n": 1}})
    outcome = handlers.invoke(request)
    result = outcome.output
    assert list(result) == ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]
    assert result["ExecutedVersion"] == "$LATEST"
    assert result["Payload"] == {"ok": {"n": 1}}
    assert result["StatusCode"] == 200
    metadata = result["SdkHttpMetadata"]
    assert metadata["HttpStatusCode"] == 200
    request_id = result["SdkResponseMetadata"]["RequestId"]
    headers = metadata["HttpHeaders"]
    assert headers["x-amzn-RequestId"] == request_id
    assert headers["Content-Length"] == str(len(b'{"ok":{"n":1}}'))
    assert headers["Date"] == "Wed, 01 May 2024 12:00:00 GMT"
    assert headers["X-Amz-Executed-Version"] == "$LATEST"
    assert metadata["AllHttpHeaders"]["Content-Type"] == ["application/json"]


def test_lambda_invoke_without_sdk_metadata(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": lambda event, context: 1}, sdk_metadata=False)
    outcome = handlers.invoke(make_request(INVOKE, {"FunctionName": FUNCTION_ARN, "Payload": {}}))
    assert outcome.output == {"ExecutedVersion": "$LATEST", "Payload": 1, "StatusCode": 200}


def test_lambda_invoke_missing_payload_sends_empty_object(make_request: RequestFactory) -> None:
    seen: list[Any] = []
    handlers = LambdaHandlers({"Charge": lambda event, context: seen.append(event)}, sdk_metadata=False)
    outcome = handlers.invoke(make_request(INVOKE, {"FunctionName": "Charge"}))
    assert seen == [{}]
    assert outcome.output["Payload"] is None


def test_version_qualifier_is_the_executed_version(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": lambda event, context: context.function_version}, sdk_metadata=False)
    outcome = handlers.invoke(make_request(INVOKE, {"FunctionName": "Charge", "Qualifier": "7", "Payload": {}}))
    assert outcome.output == {"ExecutedVersion": "7", "Payload": "7", "StatusCode": 200}


def test_most_specific_binding_wins(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers(
        {
            "Charge": lambda event, context: "any",
            "Charge:live": lambda event, context: "alias",
            "arn:aws:lambda:eu-west-1:111122223333:function:Charge:blue": lambda event, context: "arn",
        }
    )
    assert handlers.invoke(make_request(FUNCTION_ARN)).output == "any"
    assert handlers.invoke(make_request(f"{FUNCTION_ARN}:live")).output == "alias"
    assert handlers.invoke(make_request(f"{FUNCTION_ARN}:blue")).output == "arn"
    other_account = "arn:aws:lambda:eu-west-1:999999999999:function:Charge:blue"
    assert handlers.invoke(make_request(other_account)).output == "any"


def test_rebinding_replaces_the_handler(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": lambda event, context: 1})
    handlers.bind("Charge", lambda event, context: 2)
    assert handlers.invoke(make_request(FUNCTION_ARN)).output == 2


def test_unbound_function_is_not_routed(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Refund": lambda event, context: 1})
    request = make_request(FUNCTION_ARN, state_name="ChargeCard")
    assert handlers.route(request) is None
    outcome = handlers.invoke(request)
    assert outcome.error is not None
    assert outcome.error.error == "States.Runtime"
    assert FUNCTION_ARN in (outcome.error.cause or "")
    assert "ChargeCard" in (outcome.error.cause or "")


@pytest.mark.parametrize(
    "parameters",
    [None, {"Payload": {}}, {"FunctionName": 3}, {"FunctionName": "not a name"}],
)
def test_lambda_invoke_without_usable_function_name_is_not_routed(
    make_request: RequestFactory, parameters: Any
) -> None:
    handlers = LambdaHandlers({"Charge": lambda event, context: 1})
    assert handlers.route(make_request(INVOKE, parameters)) is None


def test_handler_exception_becomes_lambda_error(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": _declined})
    for resource, parameters in (
        (FUNCTION_ARN, {"card": "4242"}),
        (INVOKE, {"FunctionName": "Charge", "Payload": {"card": "4242"}}),
    ):
        outcome = handlers.invoke(make_request(resource, parameters))
        assert outcome.error is not None
        assert outcome.error.error == "PaymentDeclinedError"
        cause_text = outcome.error.cause or ""
        assert cause_text.startswith(
            '{"errorMessage":"card 4242 declined","errorType":"PaymentDeclinedError","requestId":"'
        )
        cause = json.loads(cause_text)
        assert list(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]
        assert len(cause["stackTrace"]) == 1
        frame = cause["stackTrace"][0]
        assert frame.startswith(f'  File "{__file__}", line ')
        assert frame.endswith("in _declined\n    raise PaymentDeclinedError(f\"card {event['card']} declined\")\n")


def test_handler_that_exits_fails_with_runtime_exit_error(make_request: RequestFactory) -> None:
    """A handler calling ``sys.exit`` ends its Lambda runtime, not the process running the executor:
    the Task fails with ``Runtime.ExitError`` and the exit status in the message, as Lambda reports a
    runtime that exits (https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html)."""

    def exits(event: Any, context: LambdaContext) -> Any:
        raise SystemExit(3)

    handlers = LambdaHandlers({"Charge": exits})
    outcome = handlers.invoke(make_request(FUNCTION_ARN, {}))
    assert outcome.error is not None
    assert outcome.error.error == "Runtime.ExitError"
    cause = json.loads(outcome.error.cause or "")
    assert cause["errorType"] == "Runtime.ExitError"
    assert cause["errorMessage"].startswith("RequestId: ")
    assert cause["errorMessage"].endswith(" Error: Runtime exited with error: exit status 3")


def test_exception_without_message_has_empty_error_message(make_request: RequestFactory) -> None:
    def fail(event: Any, context: LambdaContext) -> Any:
        raise PaymentDeclinedError

    outcome = LambdaHandlers({"Charge": fail}).invoke(make_request(FUNCTION_ARN))
    assert outcome.error is not None
    assert json.loads(outcome.error.cause or "")["errorMessage"] == ""


def test_states_error_is_reported_as_is(make_request: RequestFactory) -> None:
    def throttled(event: Any, context: LambdaContext) -> Any:
        raise StatesError("Lambda.TooManyRequestsException", "Rate exceeded")

    outcome = LambdaHandlers({"Charge": throttled}).invoke(make_request(INVOKE, {"FunctionName": "Charge"}))
    assert outcome.error is not None
    assert (outcome.error.error, outcome.error.cause) == ("Lambda.TooManyRequestsException", "Rate exceeded")


def test_unserializable_result_is_a_marshal_error(make_request: RequestFactory) -> None:
    outcome = LambdaHandlers({"Charge": lambda event, context: {1, 2}}).invoke(make_request(FUNCTION_ARN))
    assert outcome.error is not None
    assert outcome.error.error == "Runtime.MarshalError"
    cause = json.loads(outcome.error.cause or "")
    assert cause["errorMessage"].startswith("Unable to marshal response: ")
    assert cause["errorType"] == "Runtime.MarshalError"


def test_event_invocation_hides_result_and_error(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers({"Charge": _declined}, sdk_metadata=False)
    outcome = handlers.invoke(
        make_request(INVOKE, {"FunctionName": "Charge", "InvocationType": "Event", "Payload": {"card": "1"}})
    )
    assert outcome.error is None
    assert outcome.output == {"Payload": "", "StatusCode": 202}


def test_dry_run_does_not_call_the_handler(make_request: RequestFactory) -> None:
    calls: list[Any] = []
    handlers = LambdaHandlers({"Charge": lambda event, context: calls.append(event)}, sdk_metadata=False)
    outcome = handlers.invoke(make_request(INVOKE, {"FunctionName": "Charge", "InvocationType": "DryRun"}))
    assert calls == []
    assert outcome.output == {"ExecutedVersion": "$LATEST", "Payload": "", "StatusCode": 204}


def test_resolves_callback_only_for_wait_for_task_token(make_request: RequestFactory) -> None:
    handlers = LambdaHandlers()
    handlers.bind("Charge", lambda event, context: {"approved": True}, resolves_callback=True)
    waiting = handlers.invoke(make_request(f"{INVOKE}.waitForTaskToken", {"FunctionName": "Charge", "Payload": {}}))
    assert waiting.resolves_callback
    assert waiting.output["Payload"] == {"approved": True}
    plain = handlers.invoke(make_request(INVOKE, {"FunctionName": "Charge", "Payload": {}}))
    assert not plain.resolves_callback
    not_flagged = LambdaHandlers({"Charge": lambda event, context: 1}).invoke(
        make_request(f"{INVOKE}.waitForTaskToken", {"FunctionName": "Charge"})
    )
    assert not not_flagged.resolves_callback


def test_context_object(make_request: RequestFactory) -> None:
    seen: list[LambdaContext] = []

    def capture(event: Any, context: LambdaContext) -> Any:
        seen.append(context)
        return None

    handlers = LambdaHandlers({"Charge": capture}, memory_limit_in_mb=512, function_timeout_seconds=30)
    outcome = handlers.invoke(make_request(INVOKE, {"FunctionName": "Charge:live", "Payload": {}}))
    (context,) = seen
    assert context.function_name == "Charge"
    assert context.invoked_function_arn == "arn:aws:lambda:eu-west-1:111122223333:function:Charge:live"
    assert context.memory_limit_in_mb == 512
    assert context.log_group_name == "/aws/lambda/Charge"
    assert context.aws_request_id == outcome.output["SdkResponseMetadata"]["RequestId"]
    assert 0 < context.get_remaining_time_in_millis() <= 30_000


def test_request_ids_are_deterministic_and_distinct_per_invocation(make_request: RequestFactory) -> None:
    def ids() -> list[str]:
        handlers = LambdaHandlers({"Charge": lambda event, context: context.aws_request_id})
        return [handlers.invoke(make_request(FUNCTION_ARN)).output for _ in range(3)]

    first = ids()
    assert first == ids()
    assert len(set(first)) == 3


def test_bad_function_name_is_a_configuration_error() -> None:
    with pytest.raises(IntegrationConfigError, match="'not a function' is not a Lambda function name or ARN"):
        LambdaHandlers({"not a function": lambda event, context: None})
