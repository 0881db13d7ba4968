"""ConstructPropsError: the message leads with the construct path and the prop."""

from __future__ import annotations

from constructs_sfn.cdk import ConstructPropsError


def test_message_and_attributes() -> None:
    error = ConstructPropsError("App/Stack/Orders", "timeout", "must be positive")
    assert str(error) == "App/Stack/Orders: timeout: must be positive"
    assert (error.path, error.prop) == ("App/Stack/Orders", "timeout")
    assert isinstance(error, ValueError)
