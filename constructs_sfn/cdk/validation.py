"""Eager prop validation for the constructs: checks that skip values CDK cannot know yet.

A prop may be a token (a CloudFormation parameter, an attribute of another resource); its value
is only known at deploy time, so it is accepted here and left to CloudFormation.

Every check names the construct path and the prop, and says what was expected and what was
given (``Stack/Orders: timeout: must be a Duration (e.g. Duration.minutes(5)), got 900``),
so that a wrongly typed prop never surfaces as an ``AttributeError`` or a jsii error from deep
inside CDK.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from enum import Enum
from typing import Any, NoReturn

from aws_cdk import Duration, Token
from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk.errors import ConstructPropsError

__all__ = ["MAX_STATE_MACHINE_NAME_LENGTH", "MAX_TAG_VALUE_LENGTH", "PropsValidator", "describe"]

#: CreateStateMachine ``name``: 1 to 80 characters.
MAX_STATE_MACHINE_NAME_LENGTH = 80
#: A tag value holds at most 256 characters.
MAX_TAG_VALUE_LENGTH = 256
# A state machine name as both Step Functions (CreateStateMachine ``name``: no whitespace,
# brackets, wildcards, " # % \ ^ | ~ ` $ & , ; : / or control characters) and CDK's StateMachine
# (ASCII letters, digits and + ! @ . ( ) - = _ ') accept it: their intersection.
_STATE_MACHINE_NAME = re.compile(r"[A-Za-z0-9+!@.()=_'-]{1,80}")
# Tag values: Unicode letters, numbers and spaces, and these (AWS tagging rules).
_TAG_SYMBOLS = frozenset("_.:/=+-@")
# Members every IChainable (a state, a chain) has; jsii interfaces are not runtime-checkable.
_CHAINABLE_MEMBERS = ("start_state", "end_states", "id")


def describe(value: object) -> str:
    """A short account of ``value`` for an error message: scalars as written (``900``, ``'900'``), else the type."""
    if value is None or isinstance(value, bool | str | int | float):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"a {type(value).__name__}"


def _tag_value_character(ch: str) -> bool:
    return ch in _TAG_SYMBOLS or unicodedata.category(ch)[0] in "LNZ"


class PropsValidator:
    """Raises :class:`ConstructPropsError` naming the construct path and the prop at fault."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, prop: str, message: str) -> NoReturn:
        """Raise the error for ``prop``."""
        raise ConstructPropsError(self.path, prop, message)

    @staticmethod
    def is_token(value: object) -> bool:
        """Whether ``value`` is only known at deploy time (so it cannot be checked now).

        Only strings, numbers, lists, durations and CDK objects can be tokens; anything else (and
        NaN or infinity, which the jsii runtime cannot even carry) is answered here, without asking
        CDK.
        """
        if isinstance(value, Duration):
            return value.is_unresolved()
        if value is None or isinstance(value, bool):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if isinstance(value, str | int | float):
            return Token.is_unresolved(value)
        if isinstance(value, list):
            return any(PropsValidator.is_token(item) for item in value)
        # A CDK object (an IResolvable such as Fn.get_att(...)); plain Python objects never are tokens.
        return hasattr(type(value), "__jsii_type__") and Token.is_unresolved(value)

    # --- durations and numbers -----------------------------------------------------------

    def duration(self, prop: str, value: object) -> Duration | None:
        """``value`` when it is a Duration (None when absent); refuses anything else."""
        if value is None:
            return None
        if not isinstance(value, Duration):
            self.fail(prop, f"must be a Duration (e.g. Duration.minutes(5)), got {describe(value)}")
        return value

    def seconds(self, prop: str, value: Duration | None) -> float | None:
        """The duration in seconds, None when absent or a token; refuses non-durations, zero or negative."""
        duration = self.duration(prop, value)
        if duration is None or self.is_token(duration):
            return None
        # to_seconds() refuses fractional conversions; milliseconds are always whole.
        seconds = duration.to_milliseconds() / 1000
        if seconds <= 0:
            self.fail(prop, f"must be a positive duration, got {duration.to_human_string()}")
        return seconds

    def number(self, prop: str, value: float | None, *, minimum: float, whole: bool = False) -> float | None:
        """The number, None when absent or a token; refuses non-numbers, NaN, infinity and values below ``minimum``.

        ``whole=True`` also refuses fractions. ``True``/``False`` and numeric strings are not numbers.
        """
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(prop, f"must be a {'whole ' if whole else ''}number, got {describe(value)}")
        if not math.isfinite(value):
            self.fail(prop, f"must be a finite number, got {value!r}")
        if self.is_token(value):
            return None
        if whole and value != int(value):
            self.fail(prop, f"must be a whole number, got {value:g}")
        if value < minimum:
            self.fail(prop, f"must be at least {minimum:g}, got {value:g}")
        return value

    # --- plain types ---------------------------------------------------------------------

    def flag(self, prop: str, value: object) -> bool:
        """``value`` when it is True or False; refuses truthy stand-ins (``"no"``, ``1``, None)."""
        if not isinstance(value, bool):
            self.fail(prop, f"must be True or False, got {describe(value)}")
        return value

    def text(self, prop: str, value: object) -> str | None:
        """``value`` when it is a string (tokens included; None when absent); refuses anything else."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(prop, f"must be a string, got {describe(value)}")
        return value

    def option(self, prop: str, value: object, kind: type[Any], expected: str) -> None:
        """Refuse ``value`` unless it is None or an instance of ``kind`` (an enum or option class).

        ``expected`` names the accepted values for the message (``"a RemovalPolicy"``).
        """
        if value is not None and not isinstance(value, kind):
            self.fail(prop, f"must be {expected}, got {describe(value)}")

    def enum(self, prop: str, value: object, kind: type[Enum]) -> None:
        """Refuse ``value`` unless it is None or a member of the enum ``kind`` (listed in the message)."""
        if value is not None and not isinstance(value, kind):
            members = ", ".join(f"{kind.__name__}.{member.name}" for member in kind)
            self.fail(prop, f"must be one of {members}, got {describe(value)}")

    def interface(self, prop: str, value: object, expected: str, *members: str) -> None:
        """Refuse ``value`` unless it is None or has the ``members`` of the jsii interface ``expected``.

        jsii interfaces (IRole, ITopic, IKey ...) are protocols, not runtime-checkable classes, so
        the check looks for the members every implementation has.
        """
        if value is not None and not all(hasattr(value, member) for member in members):
            self.fail(prop, f"must be {expected}, got {describe(value)}")

    def chainable(self, prop: str, value: object, *, body: bool = False) -> None:
        """Refuse ``value`` unless it is an IChainable (a state or a chain), or with ``body`` a DefinitionBody."""
        if body and isinstance(value, sfn.DefinitionBody):
            return
        if isinstance(value, str | bytes | Mapping) or not all(hasattr(value, m) for m in _CHAINABLE_MEMBERS):
            expected = "a DefinitionBody or an IChainable (a state or a chain)" if body else "an IChainable"
            self.fail(prop, f"must be {expected}, got {describe(value)}")

    def mapping(self, prop: str, value: object, *, string_values: bool = False) -> Mapping[str, Any] | None:
        """``value`` when it is a Mapping with string keys (None when absent); refuses anything else.

        ``string_values=True`` also requires every value to be a string.
        """
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail(prop, f"must be a mapping (dict), got {describe(value)}")
        for key, item in value.items():
            if not isinstance(key, str):
                self.fail(prop, f"keys must be strings, got {describe(key)}")
            if string_values and not isinstance(item, str):
                self.fail(f"{prop}[{key!r}]", f"must be a string, got {describe(item)}")
        return value

    def alarm_fields(self, prop: str, options: object) -> None:
        """Refuse wrongly typed fields of an AlarmOptions: ``enabled`` a bool, whole periods and datapoints.

        Ranges (minimums, periods of 10 s, 30 s or whole minutes) are left to the alarm's own checks.
        """
        enabled = getattr(options, "enabled", True)
        self.flag(f"{prop}.enabled", enabled)
        for field in ("evaluation_periods", "datapoints_to_alarm"):
            self.number(f"{prop}.{field}", getattr(options, field, None), minimum=1, whole=True)
        self.number(f"{prop}.threshold", getattr(options, "threshold", None), minimum=-math.inf)
        self.duration(f"{prop}.period", getattr(options, "period", None))

    # --- AWS names -------------------------------------------------------------------------

    def state_machine_name(self, prop: str, value: object) -> None:
        """A name both Step Functions and CDK accept: 1 to 80 ASCII letters, digits and ``+ ! @ . ( ) - = _ '``.

        CreateStateMachine refuses whitespace, brackets ``< > { } [ ]``, wildcards ``? *``,
        ``" # % \\ ^ | ~ ` $ & , ; : /`` and control characters; CDK's StateMachine refuses any
        character outside ASCII letters, digits and ``+ ! @ . ( ) - = _ '``.
        """
        name = self.text(prop, value)
        if name is None or self.is_token(name):
            return
        if not 1 <= len(name) <= MAX_STATE_MACHINE_NAME_LENGTH:
            self.fail(prop, f"must be 1 to {MAX_STATE_MACHINE_NAME_LENGTH} characters, got {len(name)}: {name!r}")
        if not _STATE_MACHINE_NAME.fullmatch(name):
            bad = "".join(sorted({ch for ch in name if not _STATE_MACHINE_NAME.fullmatch(ch)}))
            self.fail(
                prop,
                f"must hold only ASCII letters, digits and + ! @ . ( ) - = _ ' (no whitespace, brackets, "
                f"wildcards or control characters), got {name!r} (refused: {bad!r})",
            )

    def tag_value(self, prop: str, value: object) -> str:
        """A tag value (returned stripped): up to 256 Unicode letters, numbers, spaces and ``_ . : / = + - @``.

        Tokens are returned as they are. An empty or blank value is refused (it would tag nothing).
        """
        text = self.text(prop, value)
        if text is None:
            self.fail(prop, "must be a string, got None")
        if self.is_token(text):
            return text
        if not text.strip():
            self.fail(prop, "must name a team or person, got an empty string")
        if len(text) > MAX_TAG_VALUE_LENGTH or not all(_tag_value_character(ch) for ch in text):
            self.fail(
                prop,
                f"must be a valid tag value (up to {MAX_TAG_VALUE_LENGTH} letters, digits, spaces and "
                f"_ . : / = + - @), got {text!r}",
            )
        return text.strip()
