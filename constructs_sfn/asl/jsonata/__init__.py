"""The JSONata query language of JSONata-mode states, as AWS Step Functions implements it.

Parse once: :func:`compile_jsonata_value` (any field value: literal, ``{% %}`` expression, or a
template of both) and :func:`compile_condition` (a Choice ``Condition``) compile at definition
time and raise :class:`~constructs_sfn.asl.errors.DefinitionError` with AWS's codes. Evaluate
many: ``evaluate(states, variables, field=...)`` binds ``$states`` and each workflow variable and
raises ``StatesError("States.QueryEvaluationError", cause)`` with AWS's cause text (without the
"An error occurred while executing the state ..." prefix, which the runtime adds). Pass ``rng``
(``$random()``, ``$uuid()``) and ``now_millis`` (``$now()``, ``$millis()``) for deterministic runs.
Results are plain JSON; literal parts of a template are shared, never copied: treat them as
immutable. Every evaluation keeps to a budget of time, memory and generated sizes
(:class:`EvaluationLimits`; change it with :func:`set_default_limits` or, for one thread and one
block, :func:`use_limits`).
"""

from __future__ import annotations

from constructs_sfn.asl.jsonata.budget import DEFAULT_LIMITS, EvaluationLimits, set_default_limits, use_limits
from constructs_sfn.asl.jsonata.condition import JsonataCondition, compile_condition
from constructs_sfn.asl.jsonata.expression import UNDEFINED, JsonataExpression, compile_expression
from constructs_sfn.asl.jsonata.numeric import evaluate_integer, evaluate_number
from constructs_sfn.asl.jsonata.template import (
    JsonataValue,
    compile_jsonata_value,
    expression_text,
    is_jsonata_expression,
)

__all__ = [
    "DEFAULT_LIMITS",
    "UNDEFINED",
    "EvaluationLimits",
    "JsonataCondition",
    "JsonataExpression",
    "JsonataValue",
    "compile_condition",
    "compile_expression",
    "compile_jsonata_value",
    "evaluate_integer",
    "evaluate_number",
    "expression_text",
    "is_jsonata_expression",
    "set_default_limits",
    "use_limits",
]
