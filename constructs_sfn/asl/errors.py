"""Errors of the ASL executor.

Two families, never mixed:

* :class:`DefinitionError` - the definition itself is wrong. Raised at parse time, carries the
  JSON pointer of the offending field (``/States/Charge/Retry/0/BackoffRate``) and the AWS
  diagnostic code (``SCHEMA_VALIDATION_FAILED``, ``MISSING_TRANSITION_TARGET``, ...).
* :class:`StatesError` - a runtime failure with the exact ASL error name that Retry and Catch
  match (``States.Runtime``, ``States.Timeout``, ``Lambda.ServiceException``, ...) and a cause.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DefinitionError",
    "DefinitionProblem",
    "ErrorName",
    "FailStateError",
    "StatesError",
]


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    """One diagnostic, shaped like a ValidateStateMachineDefinition diagnostic."""

    code: str
    message: str
    location: str = ""
    severity: str = "ERROR"

    def render(self) -> str:
        """The message as AWS prints it inside ``InvalidDefinition``."""
        where = f" at {self.location}" if self.location else ""
        return f"{self.code}: {self.message}{where}"


class DefinitionError(Exception):
    """The definition cannot be run; carries one or more problems with their JSON pointers."""

    def __init__(
        self,
        message: str,
        *,
        location: str = "",
        code: str = "SCHEMA_VALIDATION_FAILED",
        problems: tuple[DefinitionProblem, ...] = (),
    ) -> None:
        first = DefinitionProblem(code=code, message=message, location=location)
        self.problems: tuple[DefinitionProblem, ...] = problems or (first,)
        self.code = self.problems[0].code
        self.location = self.problems[0].location
        self.message = self.problems[0].message
        super().__init__(self.render())

    def render(self) -> str:
        """All problems in AWS's ``InvalidDefinition`` message form."""
        if len(self.problems) == 1:
            return f"Invalid State Machine Definition: '{self.problems[0].render()}'"
        joined = ", ".join(p.render() for p in self.problems)
        return f"Invalid State Machine Definition: '{joined}'"


class StatesError(Exception):
    """A runtime failure: ``error`` is the name Retry/Catch match, ``cause`` the human text."""

    def __init__(self, error: str, cause: str | None = None) -> None:
        self.error = error
        self.cause = cause
        super().__init__(f"{error}: {cause}" if cause is not None else error)

    def as_output(self) -> dict[str, str]:
        """The ``{Error, Cause}`` object a Catch passes on."""
        out = {"Error": self.error}
        if self.cause is not None:
            out["Cause"] = self.cause
        return out


class FailStateError(StatesError):
    """Raised by a Fail state: the branch ends with the state's Error/Cause (which may be absent).

    Never retried or caught at the Fail state itself; an enclosing Parallel/Map may catch it.
    """

    def __init__(self, error: str | None, cause: str | None) -> None:
        super().__init__(error, cause)  # type: ignore[arg-type]


class ErrorName:
    """The predefined ``States.*`` error names of the Amazon States Language."""

    ALL = "States.ALL"
    DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
    RUNTIME = "States.Runtime"
    TIMEOUT = "States.Timeout"
    HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
    TASK_FAILED = "States.TaskFailed"
    PERMISSIONS = "States.Permissions"
    RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
    PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
    BRANCH_FAILED = "States.BranchFailed"
    NO_CHOICE_MATCHED = "States.NoChoiceMatched"
    INTRINSIC_FAILURE = "States.IntrinsicFailure"
    EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
    ITEM_READER_FAILED = "States.ItemReaderFailed"
    RESULT_WRITER_FAILED = "States.ResultWriterFailed"
    QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
