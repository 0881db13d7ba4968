"""Request validation in the two layers a real call goes through.

1. boto3 validates a request against the API model before sending it (types, required members,
   minimum lengths) and raises ``ParamValidationError``; botocore's own validator is reused.
2. Step Functions' front end checks the remaining model constraints (maximum lengths, ranges,
   enums, patterns) before any business logic, answering ``ValidationException`` with the
   ``N validation error(s) detected: ...`` message of AWS's request validator.

:func:`boto3_parameters` gives a client class boto3's calling convention: operation methods take
keyword arguments only (``TypeError: start_execution() only accepts keyword arguments.``), and an
unknown or missing parameter is boto3's ``ParamValidationError``, not Python's ``TypeError``.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from constructs_sfn.local.errors import AwsErrorCode, aws_error, param_validation_error
from constructs_sfn.local.service_model import operation_model

if TYPE_CHECKING:
    from botocore.model import Shape

__all__ = ["boto3_parameters", "check_clock_advance", "check_mock_config", "validate_request"]

_Class = TypeVar("_Class", bound=type)

# AWS prints an enum's allowed values in the order of its (hash-based) set, not the model's
# order; where that order has been observed it is recorded here.
_ENUM_ORDER_SEEN_ON_AWS = {
    "ExecutionStatus": ("SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"),
}
# Payload strings whose length limit AWS counts in UTF-8 bytes rather than in characters.
_BYTE_SIZED_SHAPES = frozenset({"SensitiveData", "SensitiveDataJobInput"})


def validate_request(operation: str, params: Mapping[str, Any], *, metadata: Mapping[str, Any] | None = None) -> None:
    """Raise what boto3 or Step Functions would raise for a malformed ``operation`` request."""
    from botocore.validate import ParamValidator

    shape = operation_model(operation).input_shape
    if shape is None:  # pragma: no cover - every operation of the API takes input
        return
    if not _passes_boto3_checks(operation, shape, params):
        report = ParamValidator().validate(dict(params), shape)
        if report.has_errors():
            raise param_validation_error(report.generate_report())
    problems: list[str] = []
    _check(params, shape, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        message = f"{count} validation {noun} detected: " + "; ".join(problems)
        raise aws_error(AwsErrorCode.VALIDATION, message, operation)


def boto3_parameters(cls: _Class) -> _Class:
    """Class decorator: each public method taking keyword arguments only is called as boto3 calls.

    Positional arguments raise boto3's ``TypeError``; unknown or missing parameters raise the
    ``ParamValidationError`` boto3 raises for them (``Unknown parameter in input: "foo", must be one
    of: ...``), all found before the method runs. botocore is loaded only for a wrong call.
    """
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member) and _keyword_only(member):
            setattr(cls, name, _boto3_call(member))
    return cls


def _keyword_only(method: Callable[..., Any]) -> bool:
    parameters = list(inspect.signature(method).parameters.values())[1:]
    return bool(parameters) and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)


def _boto3_call(method: Callable[..., Any]) -> Callable[..., Any]:
    parameters = list(inspect.signature(method).parameters.values())[1:]
    accepted = frozenset(parameter.name for parameter in parameters)
    required = frozenset(parameter.name for parameter in parameters if parameter.default is inspect.Parameter.empty)
    # start_execution -> StartExecution: every Step Functions operation is named this way.
    operation = "".join(part.capitalize() for part in method.__name__.split("_"))

    @functools.wraps(method)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError(f"{method.__name__}() only accepts keyword arguments.")
        given = kwargs.keys()
        if not (given <= accepted and required <= given):
            from constructs_sfn.local.service_model import service_model

            if operation in service_model().operation_names:
                validate_request(operation, kwargs)  # boto3's report of unknown and missing parameters
            raise TypeError(
                f"{method.__name__}() of the local client takes {', '.join(sorted(accepted))} "
                f"and needs {', '.join(sorted(required))}; got {', '.join(sorted(given)) or 'none'}"
            )
        return method(self, **kwargs)

    return call


def check_clock_advance(seconds: Any, clocks_now: Iterable[datetime]) -> None:
    """Refuse an ``advance_clock(seconds)`` that is no number, negative, not finite, or that would
    move any of the clocks (their current times ``clocks_now``) past the last instant Python's
    ``datetime`` holds (9999-12-31). ``TypeError``/``ValueError`` naming ``seconds``."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise TypeError(f"advance_clock(seconds=...) takes a number of seconds (int or float), not {_type(seconds)}")
    if math.isnan(seconds) or seconds < 0:
        raise ValueError(f"advance_clock(seconds=...) must not be negative or NaN, got {seconds!r}")
    latest = min(
        ((_LAST_INSTANT - (now if now.tzinfo else now.replace(tzinfo=UTC))).total_seconds() for now in clocks_now),
        default=math.inf,
    )
    if seconds > latest:
        raise ValueError(
            f"advance_clock(seconds={seconds!r}) would move the clock past 9999-12-31T23:59:59Z, "
            f"the latest time the executor can hold; at most {math.floor(latest)} seconds can pass"
        )


def check_mock_config(mock_config: Any) -> None:
    """Refuse a ``mock_config`` of a type ``LocalStepFunctions`` cannot load (``TypeError`` naming it)."""
    from constructs_sfn.integrations.mock_config import MockConfig

    if mock_config is None or isinstance(mock_config, MockConfig | Mapping | str | os.PathLike):
        return
    raise TypeError(
        "mock_config must be a MockConfig, the mock configuration's JSON object (a mapping) or the path of "
        f"MockConfigFile.json (str or os.PathLike), not {_type(mock_config)}"
    )


def _type(value: Any) -> str:
    return "None" if value is None else type(value).__name__


_LAST_INSTANT = datetime.max.replace(tzinfo=UTC)


def _check(value: Any, shape: Shape, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        for member_name, member_shape in shape.members.items():  # type: ignore[attr-defined]
            if member_name in value and value[member_name] is not None:
                child = f"{path}.{member_name}" if path else member_name
                _check(value[member_name], member_shape, child, problems)
    elif kind == "list":
        _check_bounds(value, shape, path, problems, measure=len(value), what="length")
        for index, item in enumerate(value, start=1):
            _check(item, shape.member, f"{path}.{index}.member", problems)  # type: ignore[attr-defined]
    elif kind == "map":
        for key, item in value.items():
            _check(item, shape.value, f"{path}.{key}", problems)  # type: ignore[attr-defined]
    elif kind == "string":
        _check_string(value, shape, path, problems)
    elif kind in ("integer", "long"):
        _check_bounds(value, shape, path, problems, measure=value, what="value")


def _check_string(value: str, shape: Shape, path: str, problems: list[str]) -> None:
    enum = shape.enum  # type: ignore[attr-defined]
    if enum and value not in enum:
        allowed = ", ".join(_ENUM_ORDER_SEEN_ON_AWS.get(shape.name, tuple(enum)))
        problems.append(
            f"{_subject(value, shape, path)} failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{allowed}]"
        )
        return
    limit = shape.metadata.get("max")
    if limit is not None:
        if shape.name in _BYTE_SIZED_SHAPES:
            if len(value.encode("utf-8", "surrogatepass")) > limit:
                problems.append(
                    f"{_subject(value, shape, path)} failed to satisfy constraint: "
                    f"Member must have size less than or equal to {limit} bytes in UTF-8 encoding"
                )
                return
        elif _java_length(value) > limit:
            problems.append(
                f"{_subject(value, shape, path)} failed to satisfy constraint: "
                f"Member must have length less than or equal to {limit}"
            )
            return
    pattern = shape.metadata.get("pattern")
    if pattern is not None and not _matches_java_pattern(pattern, value):
        problems.append(
            f"{_subject(value, shape, path)} failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {pattern}"
        )


def _check_bounds(value: Any, shape: Shape, path: str, problems: list[str], *, measure: int, what: str) -> None:
    limit = shape.metadata.get("max")
    if limit is not None and measure > limit:
        problems.append(
            f"{_subject(value, shape, path)} failed to satisfy constraint: "
            f"Member must have {what} less than or equal to {limit}"
        )


def _subject(value: Any, shape: Shape, path: str) -> str:
    # AWS never echoes a member modelled as sensitive, only names where it is.
    if shape.metadata.get("sensitive"):
        return f"Value at '{path}'"
    return f"Value '{value}' at '{path}'"


def _java_length(text: str) -> int:
    """Length in UTF-16 code units, as Java's ``String.length()`` counts it."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _matches_java_pattern(pattern: str, value: str) -> bool:
    compiled = _java_pattern(pattern)
    return compiled is None or compiled.fullmatch(value) is not None


@functools.cache
def _java_pattern(pattern: str) -> re.Pattern[str] | None:
    # \p{ASCII} is the only construct of the Step Functions model that Python's re lacks.
    try:
        return re.compile(pattern.replace(r"\p{ASCII}", r"[\x00-\x7f]"))
    except re.error:  # pragma: no cover - every pattern of the model compiles
        return None


# What botocore's ParamValidator checks of a scalar member: its Python type and its minimum.
_SCALAR_TYPES: dict[str, type] = {"string": str, "boolean": bool, "integer": int, "long": int}


@functools.cache
def _scalar_plan(operation: str, shape: Shape) -> tuple[dict[str, tuple[type, int | None]], frozenset[str]]:
    """For ``operation``'s input: each scalar member's Python type and minimum, and the required members."""
    members: dict[str, tuple[type, int | None]] = {}
    for name, member in shape.members.items():  # type: ignore[attr-defined]
        python_type = _SCALAR_TYPES.get(member.type_name)
        if python_type is not None:
            members[name] = (python_type, member.metadata.get("min"))
    return members, frozenset(shape.required_members)


def _passes_boto3_checks(operation: str, shape: Shape, params: Mapping[str, Any]) -> bool:
    """True when ``params`` certainly passes botocore's validator: every member is a scalar of
    exactly its modelled type and at least its minimum, and every required member is given.
    Anything else (including containers) goes through botocore itself, for its exact report."""
    members, required = _scalar_plan(operation, shape)
    for name, value in params.items():
        plan = members.get(name)
        if plan is None or type(value) is not plan[0]:
            return False
        minimum = plan[1]
        measured: Any = value  # the type check above narrows ``value`` to ``object`` for mypy
        if minimum is not None and (len(measured) if plan[0] is str else measured) < minimum:
            return False
    return required.issubset(params.keys())
