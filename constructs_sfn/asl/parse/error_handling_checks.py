"""Retry and Catch: the shape of retriers and catchers, and the ``States.ALL`` placement rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.parse.schema_context import (
    JSONATA,
    JSONPATH,
    ProblemSink,
    at_field,
    at_index,
)
from constructs_sfn.asl.parse.template_checks import check_assign, check_jsonata_value
from constructs_sfn.asl.parse.value_checks import check_reference_path

__all__ = ["check_catch", "check_retry"]

_RETRIER_FIELDS = (
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
)
_CATCHER_FIELDS = {
    JSONPATH: ("ErrorEquals", "Next", "ResultPath", "Assign", "Comment"),
    JSONATA: ("ErrorEquals", "Next", "Output", "Assign", "Comment"),
}
_MAX_SECONDS = 99_999_999
_MAX_DELAY_SECONDS = 31_622_400
_ALL = "States.ALL"


def check_retry(sink: ProblemSink, retry: Any, location: str) -> None:
    """Check a ``Retry`` array."""
    if not sink.expect_type(retry, "ARRAY", location):
        return
    last = len(retry) - 1
    for index, retrier in enumerate(retry):
        where = at_index(location, index)
        if not sink.expect_type(retrier, "OBJECT", where):
            continue
        for field in retrier:
            if field not in _RETRIER_FIELDS:
                sink.not_supported(field, where)
        _check_error_equals(sink, retrier, where, is_last=index == last, kind="Retrier")
        if "IntervalSeconds" in retrier:
            sink.integer_in_range(
                retrier["IntervalSeconds"],
                at_field(where, "IntervalSeconds"),
                minimum=1,
                maximum=_MAX_SECONDS,
            )
        if "MaxAttempts" in retrier:
            sink.integer_in_range(
                retrier["MaxAttempts"], at_field(where, "MaxAttempts"), minimum=0, maximum=_MAX_SECONDS
            )
        if "BackoffRate" in retrier:
            sink.number_in_range(retrier["BackoffRate"], at_field(where, "BackoffRate"), minimum=1)
        if "MaxDelaySeconds" in retrier:
            sink.integer_in_range(
                retrier["MaxDelaySeconds"],
                at_field(where, "MaxDelaySeconds"),
                minimum=1,
                maximum=_MAX_DELAY_SECONDS,
            )
        if "JitterStrategy" in retrier:
            sink.one_of(retrier["JitterStrategy"], ("FULL", "NONE"), at_field(where, "JitterStrategy"))
        if "Comment" in retrier:
            sink.expect_type(retrier["Comment"], "STRING", at_field(where, "Comment"))


def check_catch(sink: ProblemSink, catch: Any, location: str, query_language: str) -> None:
    """Check a ``Catch`` array; catcher targets are checked with the other transitions."""
    if not sink.expect_type(catch, "ARRAY", location):
        return
    allowed = _CATCHER_FIELDS[query_language]
    other = _CATCHER_FIELDS[JSONATA if query_language == JSONPATH else JSONPATH]
    last = len(catch) - 1
    for index, catcher in enumerate(catch):
        where = at_index(location, index)
        if not sink.expect_type(catcher, "OBJECT", where):
            continue
        for field in catcher:
            if field in allowed:
                continue
            if field in other:
                other_language = JSONATA if query_language == JSONPATH else JSONPATH
                sink.error(
                    f"The QueryLanguage is set to '{query_language}', but field '{field}' is only "
                    f"supported for the '{other_language}' QueryLanguage",
                    where,
                )
            else:
                sink.not_supported(field, where)
        _check_error_equals(sink, catcher, where, is_last=index == last, kind="Catcher")
        if sink.required_field(catcher, "Next", where):
            sink.expect_type(catcher["Next"], "STRING", at_field(where, "Next"))
        if "ResultPath" in catcher and query_language == JSONPATH:
            check_reference_path(sink, catcher["ResultPath"], at_field(where, "ResultPath"), "ResultPath")
        if "Output" in catcher and query_language == JSONATA:
            check_jsonata_value(sink, catcher["Output"], at_field(where, "Output"), error_output_available=True)
        if "Assign" in catcher:
            check_assign(
                sink,
                catcher["Assign"],
                at_field(where, "Assign"),
                query_language,
                error_output_available=True,
            )
        if "Comment" in catcher:
            sink.expect_type(catcher["Comment"], "STRING", at_field(where, "Comment"))


def _check_error_equals(sink: ProblemSink, handler: Mapping[str, Any], where: str, *, is_last: bool, kind: str) -> None:
    if not sink.required_field(handler, "ErrorEquals", where):
        return
    location = at_field(where, "ErrorEquals")
    names = handler["ErrorEquals"]
    if not sink.expect_type(names, "ARRAY", location) or not sink.non_empty(names, location):
        return
    for index, name in enumerate(names):
        sink.expect_type(name, "STRING", at_index(location, index))
    if _ALL in names:
        # Unverified wording: the ASL rule is that States.ALL appears alone, in the last handler.
        if len(names) > 1:
            sink.error(f"{kind} with 'States.ALL' must not contain other error names", location)
        elif not is_last:
            sink.error(f"{kind} with 'States.ALL' must be the last one", location)
