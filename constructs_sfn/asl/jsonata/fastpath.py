"""A direct evaluator for the common shapes of Step Functions expressions.

Most expressions in real definitions are a variable path (``$states.input.order.id``), possibly
compared, combined or tested (``$states.input.cost < 10``, ``$total + 1``, ``$not($done)``,
``$x ? 'a' : 'b'``). jsonata-python walks such an expression through sequence objects and frames
at tens of microseconds; this module compiles the same AST into closures that read the caller's
mappings directly and call the engine's own operator implementations, so the semantics are the
engine's. Anything outside the supported subset is not compiled, and a value the subset does not
handle at run time (an array on a path, a non-scalar comparison, any error) raises
:class:`Fallback`, after which the caller evaluates the whole expression with the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jsonata.functions import Functions
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.utils import Utils

__all__ = ["Fallback", "FastEvaluator", "compile_fast"]

FastEvaluator = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]

_MISSING = object()
_NULL = Utils.NULL_VALUE
# Node attributes that add behaviour beyond the node's own operation.
_DECORATIONS = (
    "predicate",
    "stages",
    "group",
    "focus",
    "index",
    "tuple",
    "keep_array",
    "keep_singleton_array",
    "consarray",
    "seeking_parent",
    "ancestor",
)
_ARITHMETIC = frozenset("+-*/%")
_COMPARISON = frozenset(("<", "<=", ">", ">="))
_EQUALITY = frozenset(("=", "!="))


class Fallback(Exception):  # noqa: N818 - a control signal, not an error
    """This evaluation needs the engine."""


def _is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float


def _is_scalar(value: Any) -> bool:
    kind = type(value)
    return kind is str or kind is int or kind is float or kind is bool or value is _NULL


def _decorated(node: Any) -> bool:
    return any(getattr(node, name, None) for name in _DECORATIONS)


def compile_fast(ast: Any, engine: Any) -> FastEvaluator | None:
    """Closures equivalent to ``ast`` on ``engine``, or ``None`` when ``ast`` is outside the subset."""
    try:
        return _compile(ast, engine)
    except RecursionError:
        return None


def _compile(node: Any, engine: Any) -> FastEvaluator | None:
    if not isinstance(node, Parser.Symbol):
        return None
    if node.type == "unary" and node.value == "[":
        return _compile_literal_array(node, engine)
    if _decorated(node):
        return None
    kind = node.type
    if kind in ("string", "number", "value"):
        constant = engine.evaluate_literal(node)
        return lambda states, variables: constant
    if kind in ("path", "variable"):
        return _compile_path(node)
    if kind == "binary":
        return _compile_binary(node, engine)
    if kind == "condition":
        return _compile_condition(node, engine)
    if kind == "unary" and node.value == "-":
        return _compile_negation(node, engine)
    if kind == "function":
        return _compile_function(node, engine)
    return None


def _literal_index(step: Any) -> int | None:
    """The ``n`` of a step written ``name[n]`` (an integer literal), else ``None``."""
    stages = getattr(step, "stages", None)
    if not stages or len(stages) != 1 or any(getattr(step, name, None) for name in _DECORATIONS[2:]):
        return None
    stage = stages[0]
    expr: Any = getattr(stage, "expr", None)
    if getattr(stage, "type", None) != "filter" or getattr(stage, "predicate", None) or _decorated(expr):
        return None
    if getattr(expr, "type", None) != "number" or type(expr.value) is not int:
        return None
    index: int = expr.value
    return index


def _step_key(step: Any) -> tuple[str, int | None] | None:
    if step.type != "name" or not isinstance(step.value, str) or getattr(step, "predicate", None):
        return None
    if not _decorated(step):
        return step.value, None
    index = _literal_index(step)
    return None if index is None else (step.value, index)


def _compile_path(node: Any) -> FastEvaluator | None:
    steps = [node] if node.type == "variable" else list(getattr(node, "steps", None) or ())
    if not steps or _decorated(steps[0]):
        return None
    head = steps[0]
    if head.type != "variable" or head.value in ("", "$", None):
        return None
    keys = tuple(_step_key(step) for step in steps[1:])
    if any(key is None for key in keys):
        return None
    plan = tuple(key for key in keys if key is not None)
    root = str(head.value)

    def walk(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
        if root == "states":
            value: Any = states
        else:
            value = variables.get(root, _MISSING)
            if value is _MISSING:
                raise Fallback
        for key, index in plan:
            if type(value) is dict or isinstance(value, Mapping):
                value = value.get(key, _MISSING)
                if value is _MISSING:
                    return None
            elif isinstance(value, list):
                raise Fallback
            else:
                return None
            if index is not None:
                if isinstance(value, list):
                    if not -len(value) <= index < len(value):
                        return None
                    value = value[index]
                elif index not in (0, -1):
                    # A single value is a sequence of one.
                    return None
        return _NULL if value is None else value

    return walk


def _compile_binary(node: Any, engine: Any) -> FastEvaluator | None:
    left = _compile(node.lhs, engine)
    right = _compile(node.rhs, engine)
    if left is None or right is None:
        return None
    op = str(node.value)
    if op in ("and", "or"):
        boolize = Jsonata.boolize
        if op == "and":
            return lambda s, v: boolize(left(s, v)) and boolize(right(s, v))
        return lambda s, v: boolize(left(s, v)) or boolize(right(s, v))
    if op in _ARITHMETIC:
        numeric = engine.evaluate_numeric_expression

        def arithmetic(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
            a, b = left(states, variables), right(states, variables)
            if (a is None or _is_number(a)) and (b is None or _is_number(b)):
                try:
                    return numeric(a, b, op)
                except Exception:
                    raise Fallback from None
            raise Fallback

        return arithmetic
    if op in _EQUALITY:
        equality = engine.evaluate_equality_expression

        def equal(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
            a, b = left(states, variables), right(states, variables)
            if (a is None or _is_scalar(a)) and (b is None or _is_scalar(b)):
                return equality(a, b, op)
            raise Fallback

        return equal
    if op in _COMPARISON:
        comparison = engine.evaluate_comparison_expression

        def compare(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
            a, b = left(states, variables), right(states, variables)
            both_numbers = (a is None or _is_number(a)) and (b is None or _is_number(b))
            # Python orders strings by code point, JavaScript by UTF-16 unit: equal for ASCII.
            both_ascii = (a is None or (type(a) is str and a.isascii())) and (
                b is None or (type(b) is str and b.isascii())
            )
            if both_numbers or both_ascii:
                try:
                    return comparison(a, b, op)
                except Exception:
                    raise Fallback from None
            raise Fallback

        return compare
    if op == "&":
        concat = engine.evaluate_string_concat

        def join(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
            a, b = left(states, variables), right(states, variables)
            if (a is None or _is_scalar(a)) and (b is None or _is_scalar(b)):
                try:
                    return concat(a, b)
                except Exception:
                    raise Fallback from None
            raise Fallback

        return join
    return None


def _compile_literal_array(node: Any, engine: Any) -> FastEvaluator | None:
    # An array constructor of scalar literals only ([], [1, 'a']); items that are paths or arrays
    # carry the engine's flattening rules and stay with the engine.
    if any(getattr(node, name, None) for name in _DECORATIONS if name != "consarray"):
        return None
    items = node.expressions or []
    if any(
        not isinstance(item, Parser.Symbol) or item.type not in ("string", "number", "value") or _decorated(item)
        for item in items
    ):
        return None
    values = tuple(engine.evaluate_literal(item) for item in items)
    return lambda states, variables: list(values)


def _compile_condition(node: Any, engine: Any) -> FastEvaluator | None:
    test = _compile(node.condition, engine)
    then = _compile(node.then, engine)
    otherwise = _compile(node._else, engine) if node._else is not None else None
    if test is None or then is None or (node._else is not None and otherwise is None):
        return None
    boolize = Jsonata.boolize

    def choose(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
        if boolize(test(states, variables)):
            return then(states, variables)
        return otherwise(states, variables) if otherwise is not None else None

    return choose


def _compile_negation(node: Any, engine: Any) -> FastEvaluator | None:
    operand = _compile(node.expression, engine)
    if operand is None:
        return None
    numeric = engine.evaluate_numeric_expression

    def negate(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
        value = operand(states, variables)
        if value is None:
            return None
        if _is_number(value):
            try:
                return numeric(0, value, "-")
            except Exception:
                raise Fallback from None
        raise Fallback

    return negate


# Functions answered directly when called with one plain argument; each returns _MISSING for an
# argument it leaves to the engine.
def _not(value: Any) -> Any:
    return _MISSING if value is _NULL else Functions.not_(value)


def _boolean(value: Any) -> Any:
    return _MISSING if value is _NULL else Functions.to_boolean(value)


def _exists(value: Any) -> Any:
    return value is not None


def _count(value: Any) -> Any:
    if value is None:
        return 0
    return len(value) if type(value) is list else _MISSING


_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "not": _not,
    "boolean": _boolean,
    "exists": _exists,
    "count": _count,
}


def _compile_function(node: Any, engine: Any) -> FastEvaluator | None:
    procedure = node.procedure
    arguments = node.arguments or []
    if getattr(procedure, "type", None) != "variable" or _decorated(procedure) or len(arguments) != 1:
        return None
    name = str(procedure.value)
    implementation = _FUNCTIONS.get(name)
    argument = _compile(arguments[0], engine)
    if implementation is None or argument is None:
        return None

    def call(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
        if name in variables:
            raise Fallback  # a workflow variable shadows the built-in
        result = implementation(argument(states, variables))
        if result is _MISSING:
            raise Fallback
        return result

    return call
