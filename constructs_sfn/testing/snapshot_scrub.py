"""What changes from one run, machine or synthesis to the next, and how snapshots hide it.

Two families of churn, kept apart on purpose:

* **build churn** (:func:`scrub_build_churn`): CDK asset hashes, bootstrap asset bucket names,
  unresolved ``${Token[...]}`` strings, the code hash in Lambda ``CurrentVersion`` logical ids.
  Definitions and templates get only this: a literal timestamp in a Wait state is part of the
  workflow and must show up in a diff.
* **run churn** (:func:`scrub_run_value`): uuids and request ids, execution ARNs, task tokens,
  ISO-8601 and HTTP dates, Lambda stack traces, HTTP metadata of SDK results. Execution payloads
  get both families.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "ASSET",
    "scrub_build_churn",
    "scrub_run_text",
    "scrub_run_value",
]

ASSET = "<asset>"
"""What an asset hash or an asset bucket name is replaced with."""

_BUILD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # The bootstrap asset buckets and repositories: cdk-<qualifier>-assets-<account>-<region>.
    (re.compile(r"cdk-[a-z0-9]{9}-(?:container-)?assets-[\w${}:.-]*"), ASSET),
    # Lambda Version logical ids: <Fn>CurrentVersion<8 hex of the path><32 hex of the code>.
    (re.compile(r"(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}"), r"\1<hash>"),
    # Asset keys and image tags: the 64-hex SHA-256 of the asset's content.
    (re.compile(r"(?<![0-9A-Fa-f])[0-9a-f]{64}(?![0-9A-Fa-f])"), ASSET),
    # Tokens CDK did not resolve (their numbers depend on construction order).
    (re.compile(r"\$\{Token\[[^\]]*\]\}"), "<token>"),
)

_RUN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"arn:[\w-]+:states:[\w-]*:\d*:(?:execution|express):[^\s\"',}\]]+"), "<execution-arn>"),
    (re.compile(r"(?<![0-9A-Fa-f-])[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}(?![0-9A-Fa-f-])"), "<uuid>"),
    # Task tokens handed out by the local executor (secrets.token_urlsafe(96): 128 characters).
    (re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{128}(?![A-Za-z0-9_-])"), "<task-token>"),
    # Service request ids inside AWS-shaped causes: "(Service: AmazonS3; ...; Request ID: <id>; ...)".
    (re.compile(r"(Request ID: )[A-Za-z0-9+/=-]+"), r"\1<request-id>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"), "<timestamp>"),
    (
        re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b"),
        "<timestamp>",
    ),
)

# Keys whose whole value is churn: replaced by a placeholder that keeps the key visible.
_CHURN_KEYS = {
    "stackTrace": "<stack-trace>",
    "SdkHttpMetadata": "<sdk-http-metadata>",
    "requestId": "<request-id>",
    "RequestId": "<request-id>",
}


def scrub_build_churn(text: str) -> str:
    """``text`` with asset hashes, asset bucket names and unresolved CDK tokens replaced."""
    for pattern, replacement in _BUILD_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub_run_text(text: str) -> str:
    """``text`` with run churn (ids, ARNs, tokens, dates) and build churn replaced."""
    for pattern, replacement in _RUN_PATTERNS:
        text = pattern.sub(replacement, text)
    return scrub_build_churn(text)


def scrub_run_value(value: Any) -> Any:
    """A JSON value with run churn replaced, recursively.

    A string that holds a JSON object or array (a Lambda error document in a ``Cause``, an SQS
    message body) is scrubbed inside and written back as compact JSON text.
    """
    if isinstance(value, dict):
        return {key: _CHURN_KEYS[key] if key in _CHURN_KEYS else scrub_run_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_run_value(item) for item in value]
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
            try:
                inner = json.loads(stripped)
            except ValueError:
                return scrub_run_text(value)
            return json.dumps(scrub_run_value(inner), ensure_ascii=False, separators=(",", ":"))
        return scrub_run_text(value)
    return value
