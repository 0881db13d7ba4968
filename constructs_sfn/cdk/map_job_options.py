"""Option types of DistributedMapJob: what processes each item, and how items are batched."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "LAMBDA_TRANSIENT_ERRORS",
    "MAX_BATCH_BYTES",
    "PROCESS_ITEM_STATE_ID",
    "PROCESS_ITEM_TIMEOUT",
    "ItemBatching",
    "ItemProcessor",
]

#: The state id (and name) of the Lambda task :meth:`ItemProcessor.function` creates.
PROCESS_ITEM_STATE_ID = "ProcessItem"
#: A Lambda item processor's task timeout: Lambda's own maximum run time.
PROCESS_ITEM_TIMEOUT = Duration.minutes(15)
#: The errors Lambda documents as transient, retried by a Lambda item processor.
LAMBDA_TRANSIENT_ERRORS = (
    "Lambda.ClientExecutionTimeoutException",
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)
#: AWS's limit for one batch's input: 256 KiB.
MAX_BATCH_BYTES = 262_144


class ItemProcessor:
    """What runs once per item (or batch): a chain of states or one Lambda function.

    Use :meth:`chain` or :meth:`function`; the constructor is private.
    """

    def __init__(
        self,
        *,
        definition: sfn.IChainable | None = None,
        function: lambda_.IFunction | None = None,
        payload: sfn.TaskInput | None = None,
        retry_on_service_exceptions: bool = True,
    ) -> None:
        self._definition = definition
        self._function = function
        self._payload = payload
        self._retry = retry_on_service_exceptions

    @staticmethod
    def chain(definition: sfn.IChainable) -> ItemProcessor:
        """Run ``definition`` (a state or chain, built in your own scope) as each child execution."""
        return ItemProcessor(definition=definition)

    @staticmethod
    def function(
        function: lambda_.IFunction,
        *,
        payload: sfn.TaskInput | None = None,
        retry_on_service_exceptions: bool = True,
    ) -> ItemProcessor:
        """Invoke ``function`` with each item; its return value is the item's result.

        The child execution is one Task state, ``ProcessItem``, calling the function directly
        (its result is the function's payload, not the Lambda API envelope).

        :param payload: Default: the item (or batch) itself.
        :param retry_on_service_exceptions: retry Lambda's transient errors
            (``Lambda.ServiceException``, ``Lambda.AWSLambdaException``, ``Lambda.SdkClientException``,
            ``Lambda.TooManyRequestsException``, ``Lambda.ClientExecutionTimeoutException``) up to 6
            times, from 2 s doubling, at most 60 s apart, fully jittered. Default: True.

        The task times out after 15 minutes (Lambda's own maximum run time).
        """
        return ItemProcessor(
            function=function, payload=payload, retry_on_service_exceptions=retry_on_service_exceptions
        )

    @property
    def lambda_function(self) -> lambda_.IFunction | None:
        """The Lambda function of :meth:`function` (None for a chain)."""
        return self._function

    def validate(self, check: PropsValidator, prop: str) -> None:
        """Raise ConstructPropsError naming ``prop`` when the processor is unusable."""
        if self._function is not None:
            # jsii interfaces are not runtime-checkable protocols: check the members CDK uses.
            if not all(hasattr(self._function, member) for member in ("function_arn", "grant_invoke")):
                check.fail(prop, f"ItemProcessor.function needs an IFunction, got {type(self._function).__name__}")
            return
        if not all(hasattr(self._definition, member) for member in ("start_state", "end_states")):
            check.fail(prop, f"ItemProcessor.chain needs a state or chain, got {type(self._definition).__name__}")

    def bind(self, scope: Construct) -> sfn.IChainable:
        """The chain each child execution runs; a Lambda processor's task is created under ``scope``."""
        if self._function is None:
            if self._definition is None:  # pragma: no cover - validate() refuses it
                raise ValueError("ItemProcessor without a definition")
            return self._definition
        task = tasks.LambdaInvoke(
            scope,
            PROCESS_ITEM_STATE_ID,
            lambda_function=self._function,
            payload=self._payload,
            payload_response_only=True,
            # CDK's own retrier misses TooManyRequests and has neither a cap nor jitter.
            retry_on_service_exceptions=False,
            task_timeout=sfn.Timeout.duration(PROCESS_ITEM_TIMEOUT),
        )
        if self._retry:
            task.add_retry(
                errors=list(LAMBDA_TRANSIENT_ERRORS),
                interval=Duration.seconds(2),
                max_attempts=6,
                backoff_rate=2,
                max_delay=Duration.seconds(60),
                jitter_strategy=sfn.JitterType.FULL,
            )
        return task


@dataclass(frozen=True, kw_only=True)
class ItemBatching:
    """Hand items to each child execution in batches (the Map's ``ItemBatcher``).

    A child then receives ``{"Items": [...], "BatchInput": ...}`` instead of one item. Set
    ``max_items``, ``max_bytes`` or both: a batch closes when either limit is reached.
    """

    #: Most items per batch. Default: no count limit (``max_bytes`` must be set).
    max_items: int | None = None
    #: Most bytes of JSON per batch, at most 256 KiB. Default: no byte limit (``max_items`` must be set).
    max_bytes: int | None = None
    #: A fixed JSON object given to every batch as ``BatchInput``. Default: no ``BatchInput``.
    batch_input: Mapping[str, Any] | None = field(default=None)

    def validate(self, check: PropsValidator, prop: str) -> None:
        """Raise ConstructPropsError naming ``prop`` when the limits are unusable."""
        if self.max_items is None and self.max_bytes is None:
            check.fail(prop, "set max_items, max_bytes or both (a batcher without limits batches nothing)")
        for name, value in (("max_items", self.max_items), ("max_bytes", self.max_bytes)):
            if value is None or check.is_token(value):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                check.fail(f"{prop}.{name}", f"must be a positive whole number, got {value!r}")
        if self.max_bytes is not None and not check.is_token(self.max_bytes) and self.max_bytes > MAX_BATCH_BYTES:
            check.fail(f"{prop}.max_bytes", f"must be at most {MAX_BATCH_BYTES} (256 KiB), got {self.max_bytes}")
        if self.batch_input is not None and not isinstance(self.batch_input, Mapping):
            check.fail(f"{prop}.batch_input", f"must be a JSON object, got {type(self.batch_input).__name__}")

    def to_item_batcher(self) -> sfn.ItemBatcher:
        """The CDK ItemBatcher."""
        return sfn.ItemBatcher(
            max_items_per_batch=self.max_items,
            max_input_bytes_per_batch=self.max_bytes,
            batch_input=dict(self.batch_input) if self.batch_input is not None else None,
        )
