"""Approval callback: API Gateway (REST, proxy integration) -> SendTaskSuccess / SendTaskFailure.

``POST .../approve`` or ``POST .../reject`` with the body ``{"taskToken": "...", "comment": "..."}``
resumes the paused execution. The approver is the identity API Gateway authorized (the IAM caller
ARN, or the Cognito user's name), never a field of the request body. Each token is accepted once:
its SHA-256 is written to a DynamoDB table with a conditional put before Step Functions is called,
so a replay gets HTTP 409 and never reaches Step Functions.

The task token is a bearer credential for the paused execution: this module never logs it (nor the
event, which carries it); log lines name the token by a short prefix of its hash.

This file is deployed on its own as the function's code: it imports only the standard library and,
when no clients are injected, boto3.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "APPROVED",
    "MAX_COMMENT_LENGTH",
    "MAX_TOKEN_LENGTH",
    "REJECTED",
    "REJECTED_ERROR",
    "CallbackConfigurationError",
    "CallbackHandler",
    "Decision",
    "handler",
    "token_hash",
]

APPROVED = "APPROVED"
REJECTED = "REJECTED"
#: The error SendTaskFailure reports for a rejection; the workflow catches exactly this name.
REJECTED_ERROR = "Approval.Rejected"
#: Step Functions' limit on a task token.
MAX_TOKEN_LENGTH = 2048
MAX_COMMENT_LENGTH = 1000

_LOG = logging.getLogger("constructs_sfn.approval_callback")
_LOG.setLevel(logging.INFO)
# Step Functions answers these for a token that can no longer be used (task closed or timed out).
_GONE = {"TaskTimedOut", "TaskDoesNotExist"}
_DEFAULT_TTL_SECONDS = 400 * 86400


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a used token is recorded; the token itself is never stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Decision:
    """What one callback decided, as recorded in the execution output."""

    decision: str
    approver: str
    comment: str
    decided_at: str

    def to_json(self) -> str:
        """The JSON text sent to Step Functions (output for approval, cause for rejection)."""
        return json.dumps(
            {
                "decision": self.decision,
                "approver": self.approver,
                "comment": self.comment,
                "decidedAt": self.decided_at,
            },
            separators=(",", ":"),
        )


class CallbackConfigurationError(RuntimeError):
    """The handler was started without the configuration it needs (the token table's name)."""


class _Refused(Exception):  # noqa: N818 - an HTTP refusal, not a program error
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class CallbackHandler:
    """The Lambda handler, with its AWS clients injected (boto3-shaped).

    :param sfn_client: a Step Functions client (``send_task_success`` / ``send_task_failure``);
        a ``LocalStepFunctions`` works. Default: ``boto3.client("stepfunctions")``.
    :param dynamodb_client: a DynamoDB client (``put_item`` / ``delete_item``).
        Default: ``boto3.client("dynamodb")``.
    :param table_name: the used-token table. Default: the ``TOKEN_TABLE_NAME`` environment variable.
    :param ttl_seconds: how long a used-token record is kept (its ``expiresAt`` TTL attribute).
        Default: the ``TOKEN_TTL_SECONDS`` environment variable, else 400 days.
    :param clock: seconds since the epoch. Default: ``time.time``.
    """

    def __init__(
        self,
        *,
        sfn_client: Any = None,
        dynamodb_client: Any = None,
        table_name: str | None = None,
        ttl_seconds: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._sfn = sfn_client
        self._dynamodb = dynamodb_client
        name = table_name if table_name is not None else os.environ.get("TOKEN_TABLE_NAME")
        if not name:
            raise CallbackConfigurationError(
                "CallbackHandler: table_name or the TOKEN_TABLE_NAME environment variable is required"
            )
        self._table = name
        self._ttl = (
            ttl_seconds
            if ttl_seconds is not None
            else int(os.environ.get("TOKEN_TTL_SECONDS", str(_DEFAULT_TTL_SECONDS)))
        )
        self._clock = clock

    # -- the Lambda entry point ---------------------------------------------------------------

    def __call__(self, event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
        """Handle one API Gateway proxy event; always answers with an HTTP response."""
        try:
            action = self._action(event)
            approver = self._approver(event)
            token, comment = self._body(event)
        except _Refused as refused:
            _LOG.warning("Callback refused before any token use: %s (%s)", refused.message, refused.status)
            return _response(refused.status, {"message": refused.message})
        digest = token_hash(token)
        short = digest[:12]
        decision = Decision(action, approver, comment, self._now_iso())
        if not self._claim(digest, decision):
            _LOG.warning("Replayed token %s refused (approver %s)", short, approver)
            return _response(409, {"message": "This approval request has already been answered"})
        try:
            self._send(token, decision)
        except Exception as error:
            code = _error_code(error)
            if code in _GONE:
                _LOG.warning("Token %s is no longer waiting (%s)", short, code)
                return _response(410, {"message": "This approval request is closed (answered, expired or cancelled)"})
            if code == "InvalidToken":
                _LOG.warning("Token %s is not a valid task token", short)
                return _response(400, {"message": "taskToken is not a valid task token"})
            # Anything else (throttling, an outage) may succeed later: release the claim so the
            # approver can retry, and report the failure without the token.
            self._release(digest)
            _LOG.error("Step Functions call for token %s failed: %s", short, code or type(error).__name__)
            return _response(502, {"message": "The decision could not be delivered; try again"})
        _LOG.info("Token %s %s by %s", short, decision.decision.lower(), approver)
        return _response(200, {"decision": decision.decision, "approver": approver})

    # -- request parsing ------------------------------------------------------------------------

    @staticmethod
    def _action(event: Mapping[str, Any]) -> str:
        resource = str(event.get("resource") or event.get("path") or "")
        last = resource.rstrip("/").rsplit("/", 1)[-1]
        if last == "approve":
            return APPROVED
        if last == "reject":
            return REJECTED
        raise _Refused(404, "POST to /approve or /reject")

    @staticmethod
    def _approver(event: Mapping[str, Any]) -> str:
        request_context = event.get("requestContext") or {}
        claims = (request_context.get("authorizer") or {}).get("claims") or {}
        for claim in ("cognito:username", "email", "sub"):
            value = claims.get(claim)
            if isinstance(value, str) and value:
                return value
        identity = request_context.get("identity") or {}
        for field in ("userArn", "caller"):
            value = identity.get(field)
            if isinstance(value, str) and value:
                return value
        raise _Refused(403, "No authorized identity: the approver must be signed in")

    @staticmethod
    def _body(event: Mapping[str, Any]) -> tuple[str, str]:
        raw = event.get("body")
        if event.get("isBase64Encoded") and isinstance(raw, str):
            import base64

            raw = base64.b64decode(raw).decode("utf-8")
        try:
            body = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise _Refused(400, 'The body must be a JSON object: {"taskToken": "...", "comment": "..."}')
        token = body.get("taskToken")
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise _Refused(400, f"taskToken must be a string of 1 to {MAX_TOKEN_LENGTH} characters")
        comment = body.get("comment", "")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH:
            raise _Refused(400, f"comment must be a string of at most {MAX_COMMENT_LENGTH} characters")
        return token, comment

    # -- the used-token table and Step Functions -----------------------------------------------

    def _claim(self, digest: str, decision: Decision) -> bool:
        expires = int(self._clock()) + self._ttl
        try:
            self._dynamodb_client().put_item(
                TableName=self._table,
                Item={
                    "tokenHash": {"S": digest},
                    "decision": {"S": decision.decision},
                    "approver": {"S": decision.approver},
                    "decidedAt": {"S": decision.decided_at},
                    "expiresAt": {"N": str(expires)},
                },
                ConditionExpression="attribute_not_exists(tokenHash)",
            )
        except Exception as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _release(self, digest: str) -> None:
        try:
            self._dynamodb_client().delete_item(TableName=self._table, Key={"tokenHash": {"S": digest}})
        except Exception:
            _LOG.exception("Could not release token %s; it stays answered", digest[:12])

    def _send(self, token: str, decision: Decision) -> None:
        client = self._sfn_client()
        if decision.decision == APPROVED:
            client.send_task_success(taskToken=token, output=decision.to_json())
        else:
            client.send_task_failure(taskToken=token, error=REJECTED_ERROR, cause=decision.to_json())

    def _now_iso(self) -> str:
        instant = datetime.fromtimestamp(self._clock(), tz=UTC)
        return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"

    def _sfn_client(self) -> Any:
        if self._sfn is None:
            import boto3

            self._sfn = boto3.client("stepfunctions")
        return self._sfn

    def _dynamodb_client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb


def _error_code(error: BaseException) -> str | None:
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        code = (response.get("Error") or {}).get("Code")
        return str(code) if code else None
    return None


def _response(status: int, body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps(body),
    }


_DEFAULT: CallbackHandler | None = None


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point: one :class:`CallbackHandler` per container, configured from the environment."""
    global _DEFAULT  # noqa: PLW0603 - one client set per Lambda container, built on first use
    if _DEFAULT is None:
        _DEFAULT = CallbackHandler()
    return _DEFAULT(event, context)
