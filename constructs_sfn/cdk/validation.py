"""Eager prop validation for the constructs: checks that skip values CDK cannot know yet.

A prop may be a token (a CloudFormation parameter, an attribute of another resource); its value
is only known at deploy time, so it is accepted here and left to CloudFormation.
"""

from __future__ import annotations

from typing import NoReturn

from aws_cdk import Duration, Token

from constructs_sfn.cdk.errors import ConstructPropsError

__all__ = ["PropsValidator"]


class PropsValidator:
    """Raises :class:`ConstructPropsError` naming the construct path and the prop at fault."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, prop: str, message: str) -> NoReturn:
        """Raise the error for ``prop``."""
        raise ConstructPropsError(self.path, prop, message)

    @staticmethod
    def is_token(value: object) -> bool:
        """Whether ``value`` is only known at deploy time (so it cannot be checked now)."""
        if isinstance(value, Duration):
            return value.is_unresolved()
        return Token.is_unresolved(value)

    def seconds(self, prop: str, value: Duration | None) -> float | None:
        """The duration in seconds, None when absent or a token; refuses zero or negative."""
        if value is None or self.is_token(value):
            return None
        # to_seconds() refuses fractional conversions; milliseconds are always whole.
        seconds = value.to_milliseconds() / 1000
        if seconds <= 0:
            self.fail(prop, f"must be a positive duration, got {value.to_human_string()}")
        return seconds

    def number(self, prop: str, value: float | None, *, minimum: float) -> float | None:
        """The number, None when absent or a token; refuses values below ``minimum``."""
        if value is None or self.is_token(value):
            return None
        if value < minimum:
            self.fail(prop, f"must be at least {minimum:g}, got {value:g}")
        return value
