"""Rules about Retry and Catch: back-off caps, jitter, ``States.ALL`` and lost input."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from constructs_sfn.asl.model import Catcher, Retrier
from constructs_sfn.lint.context import LintContext, StateInfo
from constructs_sfn.lint.findings import ERROR, WARNING, Hit, Rule

__all__ = ["ERROR_HANDLING_RULES"]

_ALL = "States.ALL"


def _entries(info: StateInfo) -> list[tuple[str, Sequence[Retrier | Catcher]]]:
    return [("Retry", info.state.retry), ("Catch", info.state.catch)]


def _exponential_retriers(ctx: LintContext) -> Iterator[tuple[str, str, Retrier]]:
    """(pointer, state name, retrier) of every retrier that backs off exponentially."""
    for info in ctx.states():
        for index, retrier in enumerate(info.state.retry):
            if retrier.backoff_rate > 1 and retrier.max_attempts > 0:
                yield retrier.pointer or f"{info.pointer}/Retry/{index}", info.name, retrier


_YEAR = 365 * 24 * 3600


def _longest_wait(retrier: Retrier) -> str:
    """The wait before the last attempt when nothing caps it, as text."""
    wait = float(retrier.interval_seconds)
    for _ in range(retrier.max_attempts - 1):
        wait *= retrier.backoff_rate
        if wait > _YEAR:
            return "more than a year"
    return f"{wait:g} s"


def _no_max_delay(ctx: LintContext) -> Iterator[Hit]:
    for pointer, name, retrier in _exponential_retriers(ctx):
        if retrier.max_delay_seconds is None:
            yield Hit(
                pointer,
                name,
                f"Retrier of {name!r} backs off exponentially (BackoffRate {retrier.backoff_rate:g}) without "
                f"MaxDelaySeconds: the wait before attempt {retrier.max_attempts} is {_longest_wait(retrier)}, "
                "and it grows with every attempt added.",
            )


def _no_jitter(ctx: LintContext) -> Iterator[Hit]:
    for pointer, name, retrier in _exponential_retriers(ctx):
        if not retrier.jitter_full:
            yield Hit(
                pointer,
                name,
                f"Retrier of {name!r} backs off exponentially (BackoffRate {retrier.backoff_rate:g}) without "
                "JitterStrategy FULL: every execution that failed together retries together and overloads the "
                "service again.",
            )


def _all_mixed(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states():
        for kind, entries in _entries(info):
            for index, entry in enumerate(entries):
                if _ALL in entry.error_equals and len(entry.error_equals) > 1:
                    others = ", ".join(e for e in entry.error_equals if e != _ALL)
                    yield Hit(
                        f"{entry.pointer or f'{info.pointer}/{kind}/{index}'}/ErrorEquals",
                        info.name,
                        f"{kind} #{index} of {info.name!r} lists States.ALL together with {others}: States.ALL "
                        "already matches them, so the list hides which errors were meant.",
                    )


def _all_not_last(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states():
        for kind, entries in _entries(info):
            for index, entry in enumerate(entries[:-1]):
                if _ALL in entry.error_equals:
                    yield Hit(
                        entry.pointer or f"{info.pointer}/{kind}/{index}",
                        info.name,
                        f"{kind} #{index} of {info.name!r} matches States.ALL but is not the last entry: the "
                        f"{kind} entries after it can never match.",
                    )


def _catch_discards_input(ctx: LintContext) -> Iterator[Hit]:
    for info in ctx.states():
        raw_catch = info.raw.get("Catch")
        for index, catcher in enumerate(info.state.catch):
            raw = raw_catch[index] if isinstance(raw_catch, list) and index < len(raw_catch) else {}
            raw = raw if isinstance(raw, Mapping) else {}
            pointer = catcher.pointer or f"{info.pointer}/Catch/{index}"
            if info.state.is_jsonata:
                if "Output" not in raw and "Assign" not in raw:
                    yield Hit(
                        pointer,
                        info.name,
                        f"Catch #{index} of {info.name!r} has no Output: the state {catcher.next!r} receives only "
                        "the error object; the state's input is lost.",
                        fix="Add Output, e.g. \"{% $merge([$states.input, {'error': $states.errorOutput}]) %}\", "
                        "or keep what you need in Assign.",
                    )
            elif not catcher.has_result_path or raw.get("ResultPath") == "$":
                yield Hit(
                    pointer,
                    info.name,
                    f'Catch #{index} of {info.name!r} has no ResultPath (or ResultPath "$"): the state '
                    f"{catcher.next!r} receives only the error object; the state's input is lost.",
                )


ERROR_HANDLING_RULES = (
    Rule(
        "SFN010",
        WARNING,
        "A retrier that backs off exponentially (BackoffRate > 1) without MaxDelaySeconds.",
        "Cap the wait between attempts with MaxDelaySeconds (CDK: max_delay=Duration.seconds(...)).",
        _no_max_delay,
    ),
    Rule(
        "SFN011",
        WARNING,
        "A retrier that backs off exponentially without JitterStrategy FULL.",
        'Add "JitterStrategy": "FULL" (CDK: jitter_strategy=sfn.JitterType.FULL).',
        _no_jitter,
    ),
    Rule(
        "SFN012",
        ERROR,
        "A Retry or Catch entry whose ErrorEquals mixes States.ALL with other error names.",
        "Give States.ALL an entry of its own, after the entries for specific errors.",
        _all_mixed,
        validator_codes=("SCHEMA_VALIDATION_FAILED",),
    ),
    Rule(
        "SFN013",
        ERROR,
        "A Retry or Catch entry matching States.ALL that is not the last entry.",
        "Move the States.ALL entry to the end of Retry / Catch.",
        _all_not_last,
        validator_codes=("SCHEMA_VALIDATION_FAILED",),
    ),
    Rule(
        "SFN014",
        WARNING,
        "A Catch without ResultPath (JSONata: without Output): the error replaces the state's input.",
        'Set ResultPath (e.g. "$.error") so the error is added to the input instead of replacing it.',
        _catch_discards_input,
    ),
)
"""SFN010-SFN014."""
