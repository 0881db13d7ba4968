"""Eager validation of DistributedMapJob's props (tokens are skipped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemBatching, ItemProcessor
from constructs_sfn.cdk.validation import PropsValidator

__all__ = ["MAX_MAP_CONCURRENCY", "check_job_props", "check_map_run_label", "check_result_prefix"]

#: Distributed Map runs at most 10,000 child executions at a time.
MAX_MAP_CONCURRENCY = 10_000
# Characters AWS refuses in a Map Run label.
_LABEL_SPECIALS = set(' ?*<>{}[]:;,\\|^~$&#%`"')


def check_job_props(
    check: PropsValidator,
    *,
    items: ItemSource,
    item_processor: ItemProcessor,
    max_concurrency: int | None,
    child_execution_type: sfn.StateMachineType | None,
    item_batching: ItemBatching | None,
    item_selector: Mapping[str, Any] | None,
    query_language: sfn.QueryLanguage | None,
    tolerated_failure_percentage: float | None,
    tolerated_failure_count: int | None,
) -> None:
    """Check the Map's props; raises ConstructPropsError naming the prop at fault."""
    if not isinstance(items, ItemSource):
        check.fail("items", "must be an ItemSource (list_objects, json_array, json_lines, csv, inventory_manifest)")
    items.validate(check, "items")
    if not isinstance(item_processor, ItemProcessor):
        check.fail("item_processor", "must be ItemProcessor.function(...) or ItemProcessor.chain(...)")
    item_processor.validate(check, "item_processor")
    if max_concurrency is None or (
        not check.is_token(max_concurrency) and not isinstance(max_concurrency, bool) and max_concurrency == 0
    ):
        check.fail(
            "max_concurrency",
            f"is required and must be 1 to {MAX_MAP_CONCURRENCY:,}: without it a Distributed Map runs up to "
            "10,000 child executions at once, which overwhelms the services each item calls",
        )
    if not check.is_token(max_concurrency):
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            check.fail("max_concurrency", f"must be a whole number, got {max_concurrency!r}")
        if not 1 <= max_concurrency <= MAX_MAP_CONCURRENCY:
            check.fail("max_concurrency", f"must be 1 to {MAX_MAP_CONCURRENCY:,}, got {max_concurrency}")
    if child_execution_type is not None and not isinstance(child_execution_type, sfn.StateMachineType):
        check.fail("child_execution_type", "must be StateMachineType.EXPRESS or StateMachineType.STANDARD")
    if item_batching is not None:
        if not isinstance(item_batching, ItemBatching):
            check.fail("item_batching", f"must be an ItemBatching, got {type(item_batching).__name__}")
        item_batching.validate(check, "item_batching")
    if item_selector is not None:
        if not isinstance(item_selector, Mapping):
            check.fail("item_selector", f"must be a JSON object, got {type(item_selector).__name__}")
        if query_language == sfn.QueryLanguage.JSONATA:
            check.fail("item_selector", "is a JSONPath ItemSelector; JSONata machines shape items in the processor")
    pct = tolerated_failure_percentage
    bad_pct = isinstance(pct, bool) or not isinstance(pct, int | float) or not 0 <= pct <= 100
    if pct is not None and not check.is_token(pct) and bad_pct:
        check.fail("tolerated_failure_percentage", f"must be 0 to 100, got {pct!r}")
    count = tolerated_failure_count
    bad_count = isinstance(count, bool) or not isinstance(count, int) or count < 0
    if count is not None and not check.is_token(count) and bad_count:
        check.fail("tolerated_failure_count", f"must be a whole number of at least 0, got {count!r}")


def check_map_run_label(check: PropsValidator, label: str) -> None:
    """AWS's Map Run label rules: 1 to 40 characters, no whitespace or special characters."""
    if check.is_token(label):
        return
    if not isinstance(label, str) or not label or len(label) > 40:
        check.fail("map_run_label", f"must be 1 to 40 characters, got {label!r}")
    if any(ch in _LABEL_SPECIALS or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in label):
        check.fail("map_run_label", f"must not contain whitespace or special characters, got {label!r}")


def check_result_prefix(check: PropsValidator, prefix: str) -> None:
    """A literal, non-empty S3 key prefix (it is also the IAM resource of the ResultWriter grant)."""
    if check.is_token(prefix):
        return
    if not isinstance(prefix, str) or not prefix.strip():
        check.fail("result_prefix", f"must be a non-empty key prefix such as 'results/', got {prefix!r}")
    if prefix.startswith("/"):
        check.fail("result_prefix", f"S3 keys do not start with '/', got {prefix!r}")
    if "*" in prefix:
        check.fail("result_prefix", f"must be a literal prefix, without '*', got {prefix!r}")
