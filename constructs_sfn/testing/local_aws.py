"""The AWS resources a state machine refers to, created on a moto server on loopback.

::

    with LocalAws() as aws:
        runner = aws.runner(machine, objects={"Jobs/Input": {"orders.csv": "id,qty\\n1,2\\n"}})
        run = runner.run({})

For every S3 bucket, SQS queue, SNS topic and DynamoDB table whose placeholder appears in the
definition, :meth:`LocalAws.runner` creates the real thing in moto (tables with the key schema of
the template), names it after the construct path (``jobs-input``), and returns a runner whose
definition uses those names and whose SDK calls go to the server through real boto3 clients.
moto (``pip install "moto[server]"``) and boto3 are imported only here, when used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import urllib.request
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from constructs_sfn.testing.placeholders import Placeholder, PlaceholderError

if TYPE_CHECKING:
    from constructs_sfn.testing.definitions import StateMachineUnderTest
    from constructs_sfn.testing.runner import WorkflowRunner

__all__ = ["LocalAws"]

# moto accepts any credentials; fixed ones keep boto3 from looking for real ones.
_ACCESS_KEY = "testing"
_SECRET_KEY = "testing"  # noqa: S105 - not a secret: moto's placeholder credentials
_REGION = "us-east-1"
_TYPES = ("AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::DynamoDB::Table")


class LocalAws:
    """A moto server on 127.0.0.1 and the resources created in it for state machines."""

    def __init__(self) -> None:
        """Start nothing yet; use as a context manager (or call :meth:`start`/:meth:`stop`)."""
        self._server: Any = None
        self.endpoint_url: str | None = None
        self.created: dict[str, str] = {}
        """Placeholder name (construct path) -> the name of the resource created for it."""

    def __enter__(self) -> LocalAws:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start the moto server on a free loopback port."""
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as missing:
            raise PlaceholderError(
                "LocalAws needs moto's server: pip install 'moto[server]' (it is in constructs-sfn[dev])"
            ) from missing
        # The server's per-request access log would drown what the caller prints.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop the server (every resource goes with it)."""
        if self._server is not None:
            self._server.stop()
            self._server = None
            self.endpoint_url = None
            self.created.clear()

    def reset(self) -> None:
        """Forget every resource and object (moto's reset API), so the next scenario starts clean.

        moto keeps its state per process, shared by every server in it: a new ``LocalAws`` sees
        what an earlier one created until it is reset.
        """
        if self.endpoint_url is None:
            return
        # The endpoint is our own http://127.0.0.1 server (set by start()), never a user-given URL.
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own loopback server
            answer.read()
        self.created.clear()

    def client(self, service: str) -> Any:
        """A real boto3 client for ``service`` pointed at the server."""
        import boto3

        if self.endpoint_url is None:
            raise PlaceholderError("LocalAws is not started; use it as a context manager")
        session = boto3.session.Session(
            aws_access_key_id=_ACCESS_KEY, aws_secret_access_key=_SECRET_KEY, region_name=_REGION
        )
        return session.client(service, endpoint_url=self.endpoint_url)  # type: ignore[call-overload]

    def integrations(self) -> Any:
        """``Boto3Integrations`` whose every client goes to the server."""
        from constructs_sfn.integrations import Boto3Integrations

        return Boto3Integrations(client_factory=self.client)

    def runner(
        self,
        machine: StateMachineUnderTest,
        *,
        objects: Mapping[str, Mapping[str, Any]] | None = None,
        **options: Any,
    ) -> WorkflowRunner:
        """A runner for ``machine`` with its buckets, queues, topics and tables created here.

        ``objects``: bucket (construct path or its placeholder name) -> {key: content}; content
        that is not a string is written as JSON. Other options go to ``WorkflowRunner``.
        """
        values: dict[Any, str] = dict(options.pop("values", None) or {})
        for placeholder in _resources(machine):
            if placeholder.name not in self.created:
                self.created[placeholder.name] = self._create(machine, placeholder)
            values.setdefault(placeholder.logical_id, self.created[placeholder.name])
        for bucket, contents in (objects or {}).items():
            name = self.created.get(bucket.strip("/"))
            if name is None:
                known = ", ".join(repr(p.name) for p in _resources(machine) if p.resource_type == "AWS::S3::Bucket")
                raise PlaceholderError(f"objects: {bucket!r} is not a bucket {machine.name} uses; it uses: {known}")
            s3 = self.client("s3")
            for key, body in contents.items():
                text = body if isinstance(body, str) else json.dumps(body)
                s3.put_object(Bucket=name, Key=key, Body=text.encode("utf-8"))
        options.setdefault("sdk", self.integrations())
        return machine.runner(values=values, **options)

    def _create(self, machine: StateMachineUnderTest, placeholder: Placeholder) -> str:
        kind = placeholder.resource_type
        properties = (machine.resources.get(placeholder.logical_id) or {}).get("Properties") or {}
        if kind == "AWS::S3::Bucket":
            name = _bucket_name(placeholder.name)
            self.client("s3").create_bucket(Bucket=name)
        elif kind == "AWS::SQS::Queue":
            fifo = properties.get("FifoQueue") is True
            name = _simple_name(placeholder.name, 75) + (".fifo" if fifo else "")
            attributes = {"FifoQueue": "true"} if fifo else {}
            self.client("sqs").create_queue(QueueName=name, Attributes=attributes)
        elif kind == "AWS::SNS::Topic":
            name = _simple_name(placeholder.name, 250)
            self.client("sns").create_topic(Name=name)
        else:
            name = _simple_name(placeholder.name, 250)
            key_schema = properties.get("KeySchema")
            definitions = properties.get("AttributeDefinitions")
            if not isinstance(key_schema, list) or not isinstance(definitions, list):
                raise PlaceholderError(f"{placeholder.name}: the table has no KeySchema/AttributeDefinitions to copy")
            self.client("dynamodb").create_table(
                TableName=name,
                KeySchema=key_schema,
                AttributeDefinitions=definitions,
                BillingMode="PAY_PER_REQUEST",
            )
        return name


def _resources(machine: StateMachineUnderTest) -> list[Placeholder]:
    seen: dict[str, Placeholder] = {}
    for placeholder in machine.placeholders.values():
        if placeholder.resource_type in _TYPES:
            seen.setdefault(placeholder.name, placeholder)
    return list(seen.values())


def _bucket_name(path: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "bucket"
    digest = hashlib.sha256(path.encode()).hexdigest()[:8]
    return f"{base[:50].strip('-')}-{digest}"


def _simple_name(path: str, limit: int) -> str:
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", path).strip("-") or "resource"
    return base[:limit]
