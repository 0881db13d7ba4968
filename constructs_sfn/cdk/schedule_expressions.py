"""EventBridge Scheduler expressions: rendering rates and checking cron, rate and at() text.

The checks follow the EventBridge Scheduler user guide ("Schedule types"): six cron fields
(minutes hours day-of-month month day-of-week year) where exactly one of the two day fields is
``?``; ``rate(value unit)`` with a singular unit for 1; ``at(yyyy-mm-ddThh:mm:ss)``. They catch
typos at synth time; they do not try to be a full cron engine.
"""

from __future__ import annotations

import re
from datetime import datetime

from aws_cdk import Duration

__all__ = ["cron_problem", "expression_problem", "rate_expression"]

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_WEEK_DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_WEEK_DAYS = {name: number for number, name in enumerate(_WEEK_DAY_NAMES, 1)}
_VALUE_RANGE = re.compile(r"^(\*|[A-Z0-9]+(?:-[A-Z0-9]+)?)(?:/(\d+))?$")


class _Field:
    def __init__(self, name: str, low: int, high: int, names: dict[str, int] | None = None) -> None:
        self.name = name
        self.low = low
        self.high = high
        self.names = names or {}

    def value_problem(self, token: str) -> str | None:
        number = self.names.get(token)
        if number is None:
            if not token.isdigit():
                return f"{self.name} field: {token!r} is not a number" + (
                    f" or a name ({', '.join(self.names)})" if self.names else ""
                )
            number = int(token)
        if not self.low <= number <= self.high:
            return f"{self.name} field: {token} is outside {self.low}-{self.high}"
        return None


_FIELDS = (
    _Field("minutes", 0, 59),
    _Field("hours", 0, 23),
    _Field("day-of-month", 1, 31),
    _Field("month", 1, 12, _MONTHS),
    _Field("day-of-week", 1, 7, _WEEK_DAYS),
    _Field("year", 1970, 2199),
)
_DAY_OF_MONTH, _DAY_OF_WEEK = 2, 4


def rate_expression(interval: Duration) -> tuple[str, str | None]:
    """``rate(n unit)`` for a concrete ``interval``, and what is wrong with it (None when fine)."""
    millis = interval.to_milliseconds()
    if millis <= 0:
        return "", f"must be a positive duration, got {interval.to_human_string()}"
    if millis % 60_000:
        return "", f"must be whole minutes (Scheduler's finest rate is 1 minute), got {interval.to_human_string()}"
    minutes = int(millis // 60_000)
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes % size == 0:
            value = minutes // size
            return f"rate({value} {unit}{'' if value == 1 else 's'})", None
    raise AssertionError("unreachable: every whole minute count divides by 1")  # pragma: no cover


def expression_problem(expression: str) -> str | None:
    """What is wrong with the overall shape of ``expression``, or None (cron fields: :func:`cron_problem`)."""
    if expression.startswith("cron(") and expression.endswith(")"):
        return None
    rate = _RATE.match(expression)
    if rate is not None:
        value, unit = int(rate.group(1)), rate.group(2)
        if value < 1:
            return "a rate must be at least 1"
        if (value == 1) != (not unit.endswith("s")):
            return "a rate of 1 takes a singular unit (minute, hour, day), any other value a plural one"
        return None
    at = _AT.match(expression)
    if at is not None:
        try:
            datetime.fromisoformat(at.group(1))
        except ValueError:
            return "at() must hold a real date and time"
        return None
    return (
        "must be cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)"
    )


def cron_problem(fields_text: str) -> str | None:
    """What is wrong with the six fields inside ``cron(...)``, or None."""
    fields = fields_text.split()
    if len(fields) != len(_FIELDS):
        return f"a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}"
    if (fields[_DAY_OF_MONTH] == "?") == (fields[_DAY_OF_WEEK] == "?"):
        return "exactly one of day-of-month and day-of-week must be '?'"
    for position, (field, text) in enumerate(zip(_FIELDS, fields, strict=True)):
        for part in text.upper().split(","):
            problem = _part_problem(field, position, part)
            if problem is not None:
                return problem
    return None


def _part_problem(field: _Field, position: int, part: str) -> str | None:
    if part == "?":
        if position in (_DAY_OF_MONTH, _DAY_OF_WEEK):
            return None
        return f"{field.name} field: '?' is only for the day fields"
    if position == _DAY_OF_MONTH and (part in ("L", "LW") or re.fullmatch(r"\d+W", part)):
        return None if part in ("L", "LW") else field.value_problem(part[:-1])
    if position == _DAY_OF_WEEK:
        if part == "L":
            return None
        if re.fullmatch(r"[A-Z0-9]+L", part):
            return field.value_problem(part[:-1])
        nth = re.fullmatch(r"([A-Z0-9]+)#([1-5])", part)
        if nth is not None:
            return field.value_problem(nth.group(1))
    match = _VALUE_RANGE.match(part)
    if match is None:
        return f"{field.name} field: cannot read {part!r}"
    base, step = match.group(1), match.group(2)
    if step is not None and int(step) < 1:
        return f"{field.name} field: a step must be at least 1, got {part!r}"
    if base == "*":
        return None
    for bound in base.split("-"):
        problem = field.value_problem(bound)
        if problem is not None:
            return problem
    return None
