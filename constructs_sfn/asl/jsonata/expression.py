"""One JSONata expression: compiled once at parse time, evaluated many times.

:func:`compile_expression` parses the text and applies AWS's definition-time checks;
:meth:`JsonataExpression.evaluate` binds ``$states`` and the workflow variables, runs the engine
and returns plain JSON, turning every failure into ``States.QueryEvaluationError`` with AWS's
cause text. The expression shapes definitions use (paths, predicates, operators, constructors,
built-in function calls, ``$map``/``$filter``) are answered by
:mod:`~constructs_sfn.asl.jsonata.fastpath` with the engine's semantics but without its overhead;
the engine evaluates everything else, and every evaluation the direct evaluator hands back.
Each evaluation keeps to the budget of :mod:`~constructs_sfn.asl.jsonata.budget` (time, memory,
generated sizes); exceeding it is ``States.QueryEvaluationError`` naming the limit.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from typing import Any, Final

from jsonata.jexception import JException

from constructs_sfn.asl.errors import DefinitionError, DefinitionProblem, ErrorName, StatesError
from constructs_sfn.asl.jsonata import messages
from constructs_sfn.asl.jsonata.budget import BudgetExceeded, begin_evaluation, end_evaluation
from constructs_sfn.asl.jsonata.engine import AwsJsonata
from constructs_sfn.asl.jsonata.fastpath import Fallback, compile_fast
from constructs_sfn.asl.jsonata.jsvalues import UnsupportedResult, to_plain_json
from constructs_sfn.asl.jsonata.references import unsupported_references

__all__ = ["UNDEFINED", "JsonataExpression", "compile_expression"]


class _Undefined:
    """JSONata's *undefined*: the expression produced no value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Final = _Undefined()
_MISSING = object()
_SYSTEM_RANDOM = random.SystemRandom()
_MEMORY_DETAIL = "Expression evaluation memory limit exceeded"
_STACK_DETAIL = (
    "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
)
_INVALID = "INVALID_JSONATA_EXPRESSION"
_UNSUPPORTED = "UNSUPPORTED_JSONATA_EXPRESSION"


class JsonataExpression:
    """A compiled ``{% ... %}`` expression; ``text`` is what AWS quotes in its causes."""

    __slots__ = ("_engine", "_fast", "text")

    def __init__(self, text: str, engine: AwsJsonata) -> None:
        self.text = text
        self._engine = engine
        self._fast = compile_fast(engine.ast, engine)

    def evaluate_value(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        """The plain-JSON result, or :data:`UNDEFINED` when the expression produced nothing.

        Raises ``StatesError(States.QueryEvaluationError)`` when evaluation throws or returns a
        value JSON cannot represent or needs more than the evaluation's budget.
        """
        raw: Any = _MISSING
        end_evaluation()  # a budget left running in this thread (outside any evaluation) is not ours
        try:
            if self._fast is not None:
                # The direct evaluator starts the budget only if it needs one (a long loop, a
                # generated sequence): most of its runs are a few microseconds.
                try:
                    raw = self._fast(states, variables)
                except Fallback:
                    raw = _MISSING
                except BudgetExceeded as exceeded:
                    raise self._failure(field, exceeded.detail, coded=False) from exceeded
            if raw is _MISSING:
                begin_evaluation()  # or go on with the one the direct evaluator started
                raw = self._run(states, variables, field=field, rng=rng, now_millis=now_millis)
        finally:
            end_evaluation()
        if raw is None:
            return UNDEFINED
        try:
            return to_plain_json(raw)
        except UnsupportedResult:
            raise StatesError(ErrorName.QUERY_EVALUATION_ERROR, messages.unsupported_result(self.text, field)) from None
        except RecursionError:
            raise self._failure(field, _MEMORY_DETAIL, coded=False) from None

    def evaluate(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None = None,
        now_millis: int | None = None,
    ) -> Any:
        """The plain-JSON result; an undefined result is AWS's "returned nothing" failure."""
        value = self.evaluate_value(states, variables, field=field, rng=rng, now_millis=now_millis)
        if value is UNDEFINED:
            raise StatesError(ErrorName.QUERY_EVALUATION_ERROR, messages.returned_nothing(self.text, field))
        return value

    def _run(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        field: str,
        rng: random.Random | None,
        now_millis: int | None,
    ) -> Any:
        clock = int(time.time() * 1000) if now_millis is None else now_millis
        try:
            return self._engine.run(states, variables, now_millis=clock, rng=rng or _SYSTEM_RANDOM)
        except JException as error:
            detail, coded = messages.evaluation_error_text(error)
            raise self._failure(field, detail, coded=coded) from error
        except BudgetExceeded as error:
            raise self._failure(field, error.detail, coded=False) from error
        except MemoryError as error:
            raise self._failure(field, _MEMORY_DETAIL, coded=False) from error
        except RecursionError:
            # Chaining would carry thousands of frames; the message says what happened.
            raise self._failure(field, _STACK_DETAIL, coded=False) from None
        except Exception as error:  # the engine's own defects surface as Python errors
            raise StatesError(ErrorName.QUERY_EVALUATION_ERROR, messages.internal_error(self.text, field)) from error

    def _failure(self, field: str, detail: str, *, coded: bool) -> StatesError:
        return StatesError(
            ErrorName.QUERY_EVALUATION_ERROR,
            messages.error_during_evaluation(self.text, field, detail, coded=coded),
        )


def compile_expression(text: str, *, location: str) -> JsonataExpression:
    """Parse ``text`` (the inside of ``{% %}``) once, with AWS's definition-time checks.

    Raises :class:`DefinitionError` with code ``INVALID_JSONATA_EXPRESSION`` when the text does
    not parse, and ``UNSUPPORTED_JSONATA_EXPRESSION`` when it reads a top-level field name.
    """
    try:
        engine = AwsJsonata(text)
    except JException as error:
        raise DefinitionError(messages.compile_error_text(error), location=location, code=_INVALID) from error
    except RecursionError:
        raise DefinitionError("Expression is nested too deeply", location=location, code=_INVALID) from None
    except Exception as error:  # the parser's own defects surface as Python errors
        message = str(error) or type(error).__name__
        raise DefinitionError(message, location=location, code=_INVALID) from error
    if engine.errors:
        raise DefinitionError("Syntax error", location=location, code=_INVALID)
    refused = unsupported_references(engine.ast)
    if refused:
        problems = tuple(
            DefinitionProblem(code=_UNSUPPORTED, message=message, location=location) for message in refused
        )
        raise DefinitionError(problems[0].message, location=location, code=_UNSUPPORTED, problems=problems)
    return JsonataExpression(text, engine)
