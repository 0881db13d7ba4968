"""Standard or Express? A per-execution cost estimate from one or more runs' histories.

The rules, from the Step Functions pricing page (https://aws.amazon.com/step-functions/pricing/):

* STANDARD workflows are billed per state transition: "Step Functions counts a state transition
  each time a step of your workflow is executed", and "each retry will be charged as an
  additional state transition". We count the states entered (inside Map iterations and Parallel
  branches too) plus the retries. The first 4,000 transitions of each month are free.
* EXPRESS workflows are billed per request (each execution started) plus duration: "calculated
  from the time your workflow begins executing until it completes or otherwise terminates, rounded
  up to the nearest 100ms", times the memory used, "billed in 64-MB chunks". Memory depends on the
  definition's size, Map/Parallel use and payload sizes; AWS does not publish the formula, so we
  estimate it (definition bytes plus the largest payload times the widest fan-out) and round it up
  to whole chunks: nearly always one 64 MB chunk. The duration price falls in tiers of GB-seconds
  per month. An Express execution may run for at most five minutes and cannot use the ``.sync``
  or ``.waitForTaskToken`` integration patterns: the estimate says when a run rules Express out.

:class:`Prices` holds the public us-east-1 prices as a dataclass; :func:`load_prices` overrides
any of its fields from a JSON object (another region, a negotiated rate). Durations come from the
histories' timestamps: a run on the local executor's virtual clock takes only the time its Wait
states and retry back-off take, so pass ``seconds`` to price a realistic duration.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from constructs_sfn.asl.model.states import MapState, ParallelState, StateMachineDefinition, TaskState
from constructs_sfn.visual.run_overlay import RunOverlay

__all__ = ["CostEstimate", "PriceError", "Prices", "RunUsage", "estimate_cost", "load_prices", "run_usage"]

_MB = 1024 * 1024


class PriceError(Exception):
    """A price override that is not usable; the message names the field."""


@dataclass(frozen=True, slots=True)
class Prices:
    """Step Functions prices in USD. Default: the public us-east-1 list prices."""

    region: str = "us-east-1"
    standard_per_transition: float = 0.000025
    """$0.025 per 1,000 state transitions."""
    standard_free_transitions_per_month: int = 4000
    express_per_request: float = 0.000001
    """$1.00 per million requests."""
    express_gb_second_tiers: tuple[tuple[float | None, float], ...] = (
        (3_600_000.0, 0.00001667),
        (14_400_000.0, 0.00000833),
        (None, 0.00000456),
    )
    """(GB-seconds per month in the tier, or None for the rest; price per GB-second): the first
    1,000 GB-hours, the next 4,000 GB-hours, everything beyond."""
    express_billing_increment_ms: int = 100
    express_memory_increment_mb: int = 64
    express_max_seconds: float = 300.0

    def express_duration_cost(self, gb_seconds: float) -> float:
        """The month's duration charge for this many GB-seconds, tier by tier."""
        left, total = gb_seconds, 0.0
        for size, price in self.express_gb_second_tiers:
            used = left if size is None else min(left, size)
            total += used * price
            left -= used
            if left <= 0:
                break
        return total

    def first_tier_gb_second_price(self) -> float:
        """What the first GB-second of a month costs."""
        return self.express_gb_second_tiers[0][1]


def load_prices(document: Any, source: str = "prices") -> Prices:
    """:class:`Prices` with the fields a JSON object gives replaced; unknown or bad fields raise."""
    if not isinstance(document, Mapping):
        raise PriceError(f"{source}: expected a JSON object of price fields")
    fields = {item.name: item for item in dataclasses.fields(Prices)}
    changes: dict[str, Any] = {}
    for key, value in document.items():
        where = f"{source}: /{key}"
        if key not in fields:
            raise PriceError(f"{where}: unknown price field; expected one of {', '.join(sorted(fields))}")
        if key == "region":
            if not isinstance(value, str):
                raise PriceError(f"{where}: expected text")
            changes[key] = value
        elif key == "express_gb_second_tiers":
            changes[key] = _tiers(value, where)
        else:
            changes[key] = _amount(value, where, whole=key.endswith(("_month", "_ms", "_mb")))
    return dataclasses.replace(Prices(), **changes)


def _amount(value: Any, where: str, *, whole: bool = False) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise PriceError(f"{where}: expected a number of at least 0, got {value!r}")
    if whole and value != int(value):
        raise PriceError(f"{where}: expected a whole number, got {value!r}")
    if whole and int(value) == 0 and where.endswith(("_ms", "_mb")):
        raise PriceError(f"{where}: expected a whole number of at least 1, got {value!r}")
    return int(value) if whole else float(value)


def _tiers(value: Any, where: str) -> tuple[tuple[float | None, float], ...]:
    if not isinstance(value, list) or not value:
        raise PriceError(f"{where}: expected a list of [GB-seconds or null, price per GB-second] pairs")
    tiers: list[tuple[float | None, float]] = []
    for index, pair in enumerate(value):
        if not isinstance(pair, list) or len(pair) != 2:
            raise PriceError(f"{where}/{index}: expected [GB-seconds or null, price per GB-second]")
        size = None if pair[0] is None else _amount(pair[0], f"{where}/{index}/0")
        if size is None and index != len(value) - 1:
            raise PriceError(f"{where}/{index}/0: only the last tier may be unbounded (null)")
        tiers.append((size, _amount(pair[1], f"{where}/{index}/1")))
    if tiers[-1][0] is not None:
        tiers.append((None, tiers[-1][1]))  # volumes past the last tier keep its price
    return tuple(tiers)


@dataclass(frozen=True, slots=True)
class RunUsage:
    """What one run used, in billing terms."""

    transitions: int
    seconds: float
    memory_bytes: int
    """Estimated memory the run held (see the module docstring)."""
    express_blockers: tuple[str, ...] = ()
    """Why this run could not be an Express execution (``.sync`` / callback tasks); a run longer
    than :attr:`Prices.express_max_seconds` is flagged by :func:`estimate_cost`."""


def run_usage(
    overlay: RunOverlay, definition: StateMachineDefinition | None = None, *, seconds: float | None = None
) -> RunUsage:
    """A run's billed quantities from its overlay; ``seconds`` overrides the history's duration."""
    duration = seconds if seconds is not None else (overlay.seconds or 0.0)
    largest = 0
    for run in overlay.states.values():
        for visit in run.visits:
            largest = max(largest, len((visit.input or "").encode()), len((visit.output or "").encode()))
    blockers: list[str] = []
    definition_bytes = 0
    fan_out = 1
    if definition is not None:
        definition_bytes = len(json.dumps(definition.raw, default=str).encode())
        fan_out = _widest_fan_out(definition)
        patterns = sorted(_callback_resources(definition))
        if patterns:
            blockers.append(f"uses {', '.join(patterns)} (not supported by Express workflows)")
    return RunUsage(overlay.state_transitions, duration, definition_bytes + largest * fan_out, tuple(blockers))


def _widest_fan_out(definition: StateMachineDefinition) -> int:
    widest = 1
    for state in definition.states.values():
        if isinstance(state, ParallelState):
            widest = max(widest, sum(_widest_fan_out(branch) for branch in state.branches))
        elif isinstance(state, MapState) and state.processor is not None:
            concurrency = state.max_concurrency if isinstance(state.max_concurrency, int) else 0
            widest = max(widest, (concurrency or 40) * _widest_fan_out(state.processor))
    return widest


def _callback_resources(definition: StateMachineDefinition) -> set[str]:
    found: set[str] = set()
    for state in definition.states.values():
        if isinstance(state, TaskState):
            for suffix in (".sync", ".sync:2", ".waitForTaskToken"):
                if state.resource.endswith(suffix):
                    found.add(suffix.removesuffix(":2"))
        elif isinstance(state, ParallelState):
            for branch in state.branches:
                found |= _callback_resources(branch)
        elif isinstance(state, MapState) and state.processor is not None:
            found |= _callback_resources(state.processor)
    return found


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """Per-execution and monthly cost of a workflow as STANDARD and as EXPRESS."""

    runs: int
    transitions: float
    """State transitions per execution (the mean over the runs)."""
    seconds: float
    billed_seconds: float
    """Mean Express billed duration per execution (each run rounded up to the billing increment)."""
    memory_mb: int
    """Billed Express memory: the largest run's estimate, rounded up to whole chunks."""
    prices: Prices
    express_blockers: tuple[str, ...] = ()

    @property
    def gb_seconds(self) -> float:
        """Express GB-seconds per execution."""
        return self.billed_seconds * self.memory_mb / 1024

    @property
    def standard_per_execution(self) -> float:
        """USD per STANDARD execution, before the monthly free tier."""
        return self.transitions * self.prices.standard_per_transition

    @property
    def express_per_execution(self) -> float:
        """USD per EXPRESS execution at the first duration tier."""
        return self.prices.express_per_request + self.gb_seconds * self.prices.first_tier_gb_second_price()

    def standard_monthly(self, executions: float) -> float:
        """USD per month for this many STANDARD executions (the free tier taken off)."""
        transitions = executions * self.transitions
        return (
            max(0.0, transitions - self.prices.standard_free_transitions_per_month)
            * self.prices.standard_per_transition
        )

    def express_monthly(self, executions: float) -> float:
        """USD per month for this many EXPRESS executions (duration tiers applied)."""
        return executions * self.prices.express_per_request + self.prices.express_duration_cost(
            executions * self.gb_seconds
        )

    def cheaper_at(self, executions: float) -> str:
        """``STANDARD`` or ``EXPRESS`` (ties go to STANDARD) at this monthly volume."""
        return "EXPRESS" if self.express_monthly(executions) < self.standard_monthly(executions) else "STANDARD"

    def break_even(self) -> float | None:
        """The monthly volume above which EXPRESS is cheaper; None if it never is.

        STANDARD costs nothing within the free tier, so it always wins at low volume; past it
        STANDARD grows linearly and EXPRESS by non-increasing steps, so their difference is
        convex and crosses zero at most once.
        """
        high = 1e15
        if self.express_monthly(high) >= self.standard_monthly(high):
            return None
        low = 0.0
        for _ in range(200):
            middle = (low + high) / 2
            if self.express_monthly(middle) < self.standard_monthly(middle):
                high = middle
            else:
                low = middle
            if high - low < 0.5:
                break
        return math.ceil(high)

    def summary(self, per_month: float | None = None) -> list[str]:
        """The estimate as lines of text, as the CLI prints it."""
        lines = [
            (
                f"Runs measured: {self.runs}; per execution: {self.transitions:g} state transitions, "
                f"{self.seconds:g} s ({self.billed_seconds:g} s billed), {self.memory_mb} MB billed memory"
            ),
            (
                f"STANDARD: ${self.standard_per_execution:.8f} per execution "
                f"({self.transitions:g} x ${self.prices.standard_per_transition:g} per transition)"
            ),
            (
                f"EXPRESS:  ${self.express_per_execution:.8f} per execution "
                f"(${self.prices.express_per_request:g} per request + {self.gb_seconds:g} GB-s x "
                f"${self.prices.first_tier_gb_second_price():g})"
            ),
        ]
        point = self.break_even()
        if point is None:
            lines.append("STANDARD is cheaper at every monthly volume")
        else:
            lines.append(f"Break-even: EXPRESS is cheaper above {point:,.0f} executions per month")
        if per_month is not None:
            standard, express = self.standard_monthly(per_month), self.express_monthly(per_month)
            lines.append(
                f"At {per_month:,.0f} executions per month: STANDARD ${standard:,.2f}, EXPRESS ${express:,.2f}"
                f" -> {self.cheaper_at(per_month)} is cheaper"
            )
        lines.extend(f"Note: Express is not an option as run: {reason}" for reason in self.express_blockers)
        lines.append(f"Prices: {self.prices.region} list prices (override with a prices JSON file)")
        return lines


def estimate_cost(usages: Sequence[RunUsage], prices: Prices | None = None) -> CostEstimate:
    """The estimate over one or more runs (each run weighs the same: scenarios as a sample)."""
    if not usages:
        raise ValueError("estimate_cost needs at least one run")
    chosen = prices or Prices()
    increment = chosen.express_billing_increment_ms / 1000
    billed = [max(1, math.ceil(round(usage.seconds / increment, 9))) * increment for usage in usages]
    chunk = chosen.express_memory_increment_mb
    memory = max(usage.memory_bytes for usage in usages)
    memory_mb = max(1, math.ceil(memory / (chunk * _MB))) * chunk
    reasons = [reason for usage in usages for reason in usage.express_blockers]
    limit = chosen.express_max_seconds
    reasons += [
        f"ran {usage.seconds:g} s (Express executions stop after {limit:g} s)"
        for usage in usages
        if usage.seconds > limit
    ]
    blockers = tuple(dict.fromkeys(reasons))
    return CostEstimate(
        runs=len(usages),
        transitions=sum(usage.transitions for usage in usages) / len(usages),
        seconds=sum(usage.seconds for usage in usages) / len(usages),
        billed_seconds=sum(billed) / len(billed),
        memory_mb=memory_mb,
        prices=chosen,
        express_blockers=blockers,
    )
