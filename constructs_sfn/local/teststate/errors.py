"""The refusal of a ``TestState`` request: AWS's error code and message."""

from __future__ import annotations

__all__ = ["TestStateRejectedError"]


class TestStateRejectedError(Exception):
    """A TestState request AWS refuses before running anything: an error code and message."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")
