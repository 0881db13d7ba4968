"""Configuration errors of the integrations: raised while setting up, never while running a task.

A task that fails at run time returns a :class:`~constructs_sfn.asl.services.TaskOutcome` with
an ASL error instead; these exceptions are for a test or app that wires integrations wrongly
(an unparsable function name, a malformed mock configuration file).
"""

from __future__ import annotations

__all__ = ["IntegrationConfigError", "MockConfigError"]


class IntegrationConfigError(Exception):
    """An integration was configured with something it cannot use."""


class MockConfigError(IntegrationConfigError):
    """A Step Functions Local mock configuration is malformed, or a selection names nothing in it.

    The message starts with where the problem is, as a dotted key path from the top of the file
    (``MockConfigFile: StateMachines.Orders.TestCases.HappyPath.Charge refers to ...``); the
    same path is available as :attr:`key_path`.
    """

    def __init__(self, message: str, *, key_path: str = "", source: str = "MockConfigFile") -> None:
        self.key_path = key_path
        self.source = source
        self.detail = message
        where = f" {key_path}" if key_path else ""
        super().__init__(f"{source}:{where} {message}")
