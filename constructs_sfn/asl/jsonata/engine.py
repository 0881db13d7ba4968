"""jsonata-python, adjusted at our boundary to behave the way AWS's JSONata does.

The engine is used as a library, never patched: :class:`AwsJsonata` subclasses it.

* Frames look names up in a loop instead of by recursion, and the evaluation's root frame reads
  ``$states`` and the workflow variables straight from the caller's mappings (nothing is copied
  per evaluation; a JSON ``null`` variable is handed to the engine as its null marker).
* Arithmetic follows JavaScript: ``1/0`` is Infinity, ``0/0`` is NaN and ``%`` keeps the fraction.
* ``&`` writes numbers the JavaScript way, like the replaced ``$string``.
* ``$now()`` / ``$millis()`` read the time the caller passes, so a virtual clock is honoured.
* A tail-recursive loop that never ends is cut off instead of hanging the executor, and every
  evaluation keeps to its budget (:mod:`constructs_sfn.asl.jsonata.budget`): the engine looks at
  the clock and at memory every ``CHECK_INTERVAL`` nodes, ``&`` and ``[a..b]`` refuse oversized
  results, and regular expressions match in linear time (RE2) or within the time the evaluation
  has left (:mod:`constructs_sfn.asl.jsonata.bounded_regex`).
* The functions AWS adds are bound (see :mod:`constructs_sfn.asl.jsonata.functions`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.regex_engine import RegexFlags
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.bounded_regex import compile_bounded_pattern
from constructs_sfn.asl.jsonata.budget import (
    CHECK_INTERVAL,
    EvaluationTimedOut,
    charge_items,
    check_string_length,
    checkpoint,
)
from constructs_sfn.asl.jsonata.fastsequence import finish_step
from constructs_sfn.asl.jsonata.functions import ACTIVE, aws_function_bindings, string_of

__all__ = ["AwsJsonata", "EvaluationTooLong", "builtin_function"]

_MISSING = Utils.NONE
_NULL = Utils.NULL_VALUE
# Names the engine looks up on every node to find tracing hooks; answering them in the first
# frame keeps each lookup to one dictionary probe.
_HOOK_NAMES = ("__evaluate_entry", "__evaluate_exit")
# A tail call that bounces this many times has no base case; AWS stops such a loop on its
# evaluation bound, and so do we rather than spin for ever.
_MAX_TAIL_CALLS = 100_000


EvaluationTooLong = EvaluationTimedOut
"""The expression did not terminate within the evaluation bound (the budget's timeout)."""


class _Frame(Jsonata.Frame):  # type: ignore[misc]  # the engine is untyped
    """A frame whose lookup walks its parents in a loop."""

    def lookup(self, name: str) -> Any:
        frame: Any = self
        while frame is not None:
            if type(frame) is _RootFrame:
                # Blocks and function bodies see $states and the workflow variables too.
                return frame.lookup(name)
            value = frame.bindings.get(name, _MISSING)
            if value is not _MISSING:
                return value
            frame = frame.parent
        return None


class _RootFrame(_Frame):
    """The frame an evaluation starts in: ``$states``, then the workflow variables."""

    def __init__(self, parent: Any, states: Mapping[str, Any], variables: Mapping[str, Any]) -> None:
        self.bindings = {"$": None, _HOOK_NAMES[0]: None, _HOOK_NAMES[1]: None}
        self.parent = parent
        self.is_parallel_call = False
        self._states = states
        self._variables = variables

    def lookup(self, name: str) -> Any:
        value = self.bindings.get(name, _MISSING)
        if value is not _MISSING:
            return value
        if name == "states":
            return self._states
        value = self._variables.get(name, _MISSING)
        if value is not _MISSING:
            return _NULL if value is None else value
        return self.parent.lookup(name)


def _build_function_frame() -> _Frame:
    frame = _Frame(Jsonata.static_frame)
    for name, value in aws_function_bindings().items():
        frame.bind(name, value)
    for name in _HOOK_NAMES:
        frame.bind(name, None)
    return frame


_FUNCTIONS = _build_function_frame()


def builtin_function(name: str) -> Any:
    """What ``$name`` means when no workflow variable of that name exists: a function, or ``None``."""
    return _FUNCTIONS.lookup(name)


def _procedure_name(expr: Any) -> Any:
    procedure: Any = getattr(expr, "procedure", None)
    return procedure.value if getattr(procedure, "type", None) == "variable" else None


class AwsJsonata(Jsonata):  # type: ignore[misc]  # the engine is untyped
    """One compiled expression, evaluated the way AWS's JSONata evaluates it."""

    input: Any
    environment: Any

    def __init__(self, expression: str) -> None:
        super().__init__(expression, _regex_engine)
        self.environment = _FUNCTIONS
        self._ticks = CHECK_INTERVAL
        self.set_output_convert_nulls(False)

    def create_frame(self, enclosing_environment: Any = None) -> Any:
        """Frames with the looping lookup."""
        return _Frame(enclosing_environment)

    def run(
        self,
        states: Mapping[str, Any],
        variables: Mapping[str, Any],
        *,
        now_millis: int,
        rng: random.Random,
    ) -> Any:
        """Evaluate with ``$states`` and the variables bound; the raw engine result."""
        if not isinstance(states, dict):
            states = dict(states)
        frame = _RootFrame(_FUNCTIONS, states, variables)
        # The engine evaluates on whichever instance was constructed last in this thread and
        # reads $now from it, so this instance is made current first.
        Jsonata.CURRENT.jsonata = self
        self.timestamp = now_millis
        ACTIVE.rng = rng
        return self.eval(self.ast, None, frame)

    def eval(self, expr: Any, input: Any, environment: Any) -> Any:
        """Evaluate a node on this instance (the engine would look the instance up per node)."""
        saved_input, saved_environment = self.input, self.environment
        try:
            return self._eval(expr, input, environment)
        finally:
            self.input, self.environment = saved_input, saved_environment

    def _eval(self, expr: Any, input: Any, environment: Any) -> Any:
        # The engine's node dispatch without its per-node tracing-hook lookups (we install none),
        # ordered by how often each node type occurs in Step Functions expressions.
        self._ticks -= 1
        if not self._ticks:
            self._ticks = CHECK_INTERVAL
            checkpoint()
        self.input = input
        self.environment = environment
        kind = getattr(expr, "type", None)
        if kind == "path":
            result = self.evaluate_path(expr, input, environment)
        elif kind == "variable":
            result = self.evaluate_variable(expr, input, environment)
        elif kind == "name":
            result = self.evaluate_name(expr, input, environment)
        elif kind == "binary":
            result = self.evaluate_binary(expr, input, environment)
        elif kind == "function":
            result = self.evaluate_function(expr, input, environment, _MISSING)
        elif kind in ("string", "number", "value"):
            result = self.evaluate_literal(expr)
        elif kind == "unary":
            result = self.evaluate_unary(expr, input, environment)
        elif kind == "condition":
            result = self.evaluate_condition(expr, input, environment)
        elif kind == "block":
            result = self.evaluate_block(expr, input, environment)
        elif kind == "bind":
            result = self.evaluate_bind_expression(expr, input, environment)
        elif kind == "lambda":
            result = self.evaluate_lambda(expr, input, environment)
        elif kind == "apply":
            result = self.evaluate_apply_expression(expr, input, environment)
        elif kind == "wildcard":
            result = self.evaluate_wildcard(expr, input)
        elif kind == "descendant":
            result = self.evaluate_descendants(expr, input)
        elif kind == "parent":
            result = environment.lookup(expr.slot.label)
        elif kind == "regex":
            result = self.evaluate_regex(expr)
        elif kind == "partial":
            result = self.evaluate_partial_application(expr, input, environment)
        elif kind == "transform":
            result = self.evaluate_transform_expression(expr, input, environment)
        else:
            result = None
        predicate = getattr(expr, "predicate", None)
        if predicate is not None:
            for item in predicate:
                result = self.evaluate_filter(item.expr, result, environment)
        if kind is not None and kind != "path" and getattr(expr, "group", None) is not None:
            result = self.evaluate_group_expression(expr.group, result, environment)
        # A sequence of one is its member, an empty sequence is undefined.
        if isinstance(result, Utils.JList) and result.sequence and not result.tuple_stream:
            if expr.keep_array:
                result.keep_singleton = True
            if not result:
                result = None
            elif len(result) == 1 and not result.keep_singleton:
                result = result[0]
        return result

    def evaluate_numeric_expression(self, lhs: Any, rhs: Any, op: Any) -> Any:
        """JavaScript arithmetic: ``1/0`` is Infinity, ``0/0`` NaN, ``%`` keeps the fraction.

        Operands are checked as the reference engine checks them (a non-finite operand is D1001);
        only the result may be non-finite.
        """
        if lhs is not None and not Utils.is_numeric(lhs):
            raise JException("T2001", -1, op, lhs)
        if rhs is not None and not Utils.is_numeric(rhs):
            raise JException("T2002", -1, op, rhs)
        if lhs is None or rhs is None:
            return None
        left, right = float(lhs), float(rhs)
        if op == "+":
            result = left + right
        elif op == "-":
            result = left - right
        elif op == "*":
            result = left * right
        elif right == 0:
            if op == "%" or left == 0 or math.isnan(left):
                result = math.nan
            else:
                result = math.copysign(math.inf, left) * math.copysign(1.0, right)
        elif op == "/":
            result = left / right
        else:
            result = math.fmod(left, right)
        return Utils.convert_number(result) if math.isfinite(result) else result

    def evaluate_string_concat(self, lhs: Any, rhs: Any) -> str:
        """``&`` stringifies its operands the way ``$string`` does."""
        left = str(string_of(lhs)) if lhs is not None else ""
        right = str(string_of(rhs)) if rhs is not None else ""
        check_string_length(len(left) + len(right))
        return left + right

    def evaluate_step(self, expr: Any, input: Any, environment: Any, last_step: bool) -> Any:
        """One path step over its input sequence; the flattening is :func:`finish_step`'s, bounded."""
        if expr.type == "sort":
            return super().evaluate_step(expr, input, environment, last_step)
        stages = expr.stages
        results = []
        for member in input:
            value = self.eval(expr, member, environment)
            if stages is not None:
                for stage in stages:
                    value = self.evaluate_filter(stage.expr, value, environment)
            if value is not None:
                results.append(value)
        return finish_step(results, last=last_step)

    def evaluate_range_expression(self, lhs: Any, rhs: Any) -> Any:
        """``[a..b]``, its items charged to the evaluation's budget."""
        result = super().evaluate_range_expression(lhs, rhs)
        if result is not None:
            charge_items(len(result))
        return result

    def evaluate_function(self, expr: Any, input: Any, environment: Any, applyto_context: Any) -> Any:
        """The engine's call, naming the function in a signature error raised without its name."""
        try:
            return super().evaluate_function(expr, input, environment, applyto_context)
        except JException as error:
            if str(error.error) == "T0410" and error.expected is None:
                index = error.current if isinstance(error.current, int) else 1
                raise JException("T0410", error.location, index, _procedure_name(expr)) from None
            raise

    def apply_inner(self, proc: Any, args: Any, input: Any, environment: Any) -> Any:
        """The engine's call, refusing a non-function itself (the engine would print to stdout)."""
        if proc is not None and not (
            Functions.is_lambda(proc)
            or isinstance(proc, (Jsonata.JFunction, Jsonata.JLambda))
            or Functions.is_regex(proc)
        ):
            raise JException("T1006", 0)
        return super().apply_inner(proc, args, input, environment)

    def apply(self, proc: Any, args: Any, input: Any, environment: Any) -> Any:
        """The engine's tail-call trampoline, bounded."""
        result = self.apply_inner(proc, args, input, environment)
        bounces = 0
        while Functions.is_lambda(result) and result.thunk:
            bounces += 1
            if bounces > _MAX_TAIL_CALLS:
                raise EvaluationTooLong
            procedure = self.eval(result.body.procedure, result.input, result.environment)
            if isinstance(procedure, Parser.Symbol):
                if result.body.procedure.type == "variable":
                    procedure.token = result.body.procedure.value
                procedure.position = result.body.procedure.position
            arguments = [self.eval(arg, result.input, result.environment) for arg in result.body.arguments]
            result = self.apply_inner(procedure, arguments, input, environment)
        return result


def _regex_engine(pattern: str, flags: RegexFlags) -> Any:
    return compile_bounded_pattern(pattern, ignore_case=flags.case_insensitive, multiline=flags.multiline)
