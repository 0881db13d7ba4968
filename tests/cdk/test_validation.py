"""PropsValidator: token-aware checks of durations and numbers."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from constructs_sfn.cdk import ConstructPropsError
from constructs_sfn.cdk.validation import PropsValidator

CHECK = PropsValidator("S/C")


def test_seconds_of_a_duration() -> None:
    assert CHECK.seconds("p", cdk.Duration.minutes(2)) == 120
    assert CHECK.seconds("p", cdk.Duration.millis(1500)) == 1.5
    assert CHECK.seconds("p", None) is None


@pytest.mark.parametrize("duration", [cdk.Duration.seconds(0), cdk.Duration.millis(0)])
def test_seconds_refuses_non_positive(duration: cdk.Duration) -> None:
    with pytest.raises(ConstructPropsError, match=r"^S/C: p: must be a positive duration"):
        CHECK.seconds("p", duration)


def test_tokens_are_not_checked() -> None:
    stack = cdk.Stack(cdk.App(), "T")
    number = cdk.CfnParameter(stack, "N", type="Number").value_as_number
    assert CHECK.is_token(number)
    assert CHECK.is_token(cdk.Duration.seconds(number))
    assert CHECK.is_token(cdk.CfnParameter(stack, "S").value_as_string)
    assert not CHECK.is_token("plain")
    assert CHECK.seconds("p", cdk.Duration.seconds(number)) is None
    assert CHECK.number("p", number, minimum=0) is None


def test_number_minimum() -> None:
    assert CHECK.number("p", 0, minimum=0) == 0
    assert CHECK.number("p", None, minimum=0) is None
    with pytest.raises(ConstructPropsError, match=r"^S/C: p: must be at least 1, got 0$"):
        CHECK.number("p", 0, minimum=1)
