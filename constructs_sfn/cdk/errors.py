"""Errors raised by the CDK constructs when their props are wrong."""

from __future__ import annotations

__all__ = ["ConstructPropsError"]


class ConstructPropsError(ValueError):
    """A construct was given props it cannot honour; raised eagerly, in the constructor.

    The message starts with the construct path (``Stack/Orders``) so that, in an app with
    many state machines, the failing one is obvious. ``path`` and ``prop`` carry the same facts
    for programs.
    """

    def __init__(self, path: str, prop: str, message: str) -> None:
        self.path = path
        self.prop = prop
        super().__init__(f"{path}: {prop}: {message}")
