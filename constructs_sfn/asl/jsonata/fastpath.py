"""A direct evaluator for the expression shapes Step Functions definitions use.

jsonata-python walks every node through a generic dispatcher, frames and per-call signature
regular expressions, tens of microseconds per expression. This module compiles the same AST, once,
into closures that do only the work the node needs: variable paths (mapped over arrays, with
``[n]`` and ``[condition]`` predicates), arithmetic, comparisons, ``and``/``or``/``in``/``&``,
conditions, array and object constructors, blocks, calls of the built-in functions (the engine's
own implementations, see :mod:`~constructs_sfn.asl.jsonata.fastcall`) and ``$map``/``$filter``
with a function literal.

The closures reproduce the engine's intermediate values exactly (sequences, singleton
unwrapping, undefined propagation, the flattening of path steps: see
:mod:`~constructs_sfn.asl.jsonata.fastsequence`), so the result is the engine's result. A node
outside the subset is not compiled (the whole expression stays with the engine); anything unusual
at run time (an error, a workflow variable shadowing a function, a value the subset does not
model) raises :class:`Fallback`, and the caller then evaluates the whole expression with the
engine, which reports any error in its own words. The closures have no side effects, so running
the engine afterwards is always safe. A budget error (:mod:`~constructs_sfn.asl.jsonata.budget`)
is final: it propagates instead of falling back.

This module recognizes the shapes and compiles them; the closures that evaluate paths, operators
and calls are built by :mod:`.fastwalk`, :mod:`.fastoperators` and :mod:`.fastapply`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from jsonata.jsonata import Jsonata
from jsonata.parser import Parser

from constructs_sfn.asl.jsonata.budget import BudgetExceeded
from constructs_sfn.asl.jsonata.engine import builtin_function
from constructs_sfn.asl.jsonata.fastapply import builtin_call, higher_order_call
from constructs_sfn.asl.jsonata.fastcall import UNSAFE_FUNCTIONS, Fallback
from constructs_sfn.asl.jsonata.fastoperators import (
    ORDERINGS,
    arithmetic,
    array_constructor,
    equality,
    negation,
    object_constructor,
    ordering,
)
from constructs_sfn.asl.jsonata.fastsequence import (
    NULL,
    index_filter,
    lookup,
    predicate_filter,
    truthy,
    unwrap,
)
from constructs_sfn.asl.jsonata.fasttypes import Call, Node, Scope, Step
from constructs_sfn.asl.jsonata.fastwalk import general_path, walking_path

__all__ = ["Fallback", "FastEvaluator", "compile_fast"]

FastEvaluator = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]

_MISSING: Final = object()
_NO_PARAMETERS: Final[frozenset[str]] = frozenset()
_UNBOUND: Final[dict[str, Any]] = {}
# Node attributes that add behaviour the subset does not model.
_UNSUPPORTED_DECORATIONS = (
    "stages",
    "group",
    "focus",
    "index",
    "tuple",
    "keep_array",
    "keep_singleton_array",
    "seeking_parent",
    "ancestor",
)
# Names the engine's root frame answers itself.
_FRAME_NAMES = frozenset(("", "$", "__evaluate_entry", "__evaluate_exit"))
_ARITHMETIC = frozenset("+-*/%")


class _Context:
    """Compile-time knowledge: the engine instance and the function parameters in scope."""

    __slots__ = ("engine", "parameters")

    def __init__(self, engine: Any, parameters: frozenset[str] = _NO_PARAMETERS) -> None:
        self.engine = engine
        self.parameters = parameters

    def inside(self, parameters: list[str]) -> _Context:
        return _Context(self.engine, self.parameters | frozenset(parameters))


def compile_fast(ast: Any, engine: Any) -> FastEvaluator | None:
    """A function equivalent to evaluating ``ast`` on ``engine``, or ``None`` outside the subset.

    The function takes the ``$states`` mapping and the workflow variables and returns the engine's
    raw result (``None`` for undefined), or raises :class:`Fallback`.
    """
    try:
        root = _compile_root(ast, _Context(engine))
    except RecursionError:
        return None
    if root is None:
        return None
    compiled = root

    def evaluate(states: Mapping[str, Any], variables: Mapping[str, Any]) -> Any:
        if not isinstance(states, dict):
            states = dict(states)
        try:
            return compiled(None, (states, variables, _UNBOUND))
        except (Fallback, BudgetExceeded):
            raise
        except Exception:  # the engine words every error; it evaluates again
            raise Fallback from None

    return evaluate


def _compile_root(node: Any, context: _Context) -> Node | None:
    # ``$name := value`` as the whole expression binds a name nothing else reads: it is its value.
    if (
        isinstance(node, Parser.Symbol)
        and node.type == "bind"
        and getattr(node.lhs, "type", None) == "variable"
        and not _decorated(node)
        and not getattr(node, "predicate", None)
    ):
        return _compile(node.rhs, context)
    return _compile(node, context)


def _decorated(node: Any, *, as_step: bool = False) -> bool:
    return any(getattr(node, name, None) for name in _UNSUPPORTED_DECORATIONS if not (as_step and name == "stages"))


def _compile(node: Any, context: _Context, *, as_step: bool = False) -> Node | None:
    """The node as the engine evaluates it: its own value, its predicates, then unwrapping.

    ``as_step``: the node is a path step, whose stages the path applies.
    """
    if not isinstance(node, Parser.Symbol) or _decorated(node, as_step=as_step):
        return None
    if getattr(node, "consarray", False) and not (node.type == "unary" and node.value == "["):
        return None
    predicates = getattr(node, "predicate", None)
    if not predicates:
        return _compile_bare(node, context, settle=True)
    # Predicates filter the node's raw result (a sequence stays a sequence until the end).
    bare = _compile_bare(node, context, settle=False)
    filters = [_compile_filter(item, context) for item in predicates]
    if bare is None or any(item is None for item in filters):
        return None
    raw = bare
    stages = tuple(item for item in filters if item is not None)

    def filtered(value: Any, scope: Scope) -> Any:
        result = raw(value, scope)
        for stage in stages:
            result = stage(result, scope)
        return unwrap(result)

    return filtered


def _compile_bare(node: Any, context: _Context, *, settle: bool) -> Node | None:
    """The node's own evaluation; ``settle``: unwrap a sequence result as the engine then does."""
    kind = node.type
    if kind in ("string", "number", "value"):
        constant = node.value if node.value is not None else NULL
        return lambda value, scope: constant
    if kind == "path":
        return _compile_path(node, context, settle=settle)
    if kind == "variable":
        return _compile_variable(node, context, settle=settle)
    if kind == "name":
        key = node.value
        if not isinstance(key, str):
            return None
        if settle:
            return lambda value, scope: unwrap(lookup(value, key))
        return lambda value, scope: lookup(value, key)
    if kind == "binary":
        return _compile_binary(node, context)
    if kind == "condition":
        return _compile_condition(node, context, tail=False)
    if kind == "block":
        return _compile_block(node, context, tail=False)
    if kind in ("function", "apply"):
        return _compile_call_node(node, context, settle=settle)
    if kind == "unary":
        if node.value == "-":
            return _compile_negation(node, context)
        if node.value == "[":
            return _compile_array(node, context)
        if node.value == "{":
            return _compile_object(node, context)
    return None


# Predicates ---------------------------------------------------------------------------------------


def _compile_filter(stage: Any, context: _Context) -> Callable[[Any, Scope], Any] | None:
    if getattr(stage, "type", None) != "filter":
        return None
    expression = stage.expr
    if getattr(expression, "type", None) == "number":
        pick = index_filter(int(expression.value))
        return lambda value, scope: pick(value)
    test = _compile(expression, context)
    return None if test is None else predicate_filter(test)


# Variables and paths ------------------------------------------------------------------------------


def _compile_variable(node: Any, context: _Context, *, settle: bool) -> Node | None:
    name = node.value
    if not isinstance(name, str):
        return None
    if name == "":
        return (lambda value, scope: unwrap(value)) if settle else (lambda value, scope: value)
    if name in context.parameters:
        if settle:
            return lambda value, scope: unwrap(scope[2][name])
        return lambda value, scope: scope[2][name]
    if name == "states":
        return lambda value, scope: scope[0]
    if name in _FRAME_NAMES:
        return None
    shadows_function = builtin_function(name) is not None

    def read(value: Any, scope: Scope) -> Any:
        found = scope[1].get(name, _MISSING)
        if found is _MISSING:
            if shadows_function:
                raise Fallback  # the name is a function: a function as a value
            return None
        return NULL if found is None else found

    return read


def _compile_step(step: Any, context: _Context, *, first: bool) -> Step | None:
    if not isinstance(step, Parser.Symbol) or getattr(step, "type", None) == "sort":
        return None
    if first and getattr(step, "consarray", False):
        return None  # a leading array constructor is evaluated against the whole input
    filters = []
    for stage in getattr(step, "stages", None) or ():
        compiled = _compile_filter(stage, context)
        if compiled is None:
            return None
        filters.append(compiled)
    evaluate = _compile(step, context, as_step=True)
    if evaluate is None:
        return None
    plain = step.type == "name" and isinstance(step.value, str) and not getattr(step, "predicate", None)
    key = step.value if plain else None
    return evaluate, tuple(filters), key


def _walk_key(step: Any) -> tuple[str, int | None] | None:
    """``(key, n)`` for a step written ``key`` or ``key[n]`` (``n`` an integer literal), else ``None``."""
    if step.type != "name" or not isinstance(step.value, str) or getattr(step, "predicate", None):
        return None
    if _decorated(step, as_step=True) or getattr(step, "consarray", False):
        return None
    key: str = step.value
    stages = getattr(step, "stages", None)
    if not stages:
        return key, None
    if len(stages) != 1 or getattr(stages[0], "type", None) != "filter":
        return None
    expression = stages[0].expr
    if getattr(expression, "type", None) != "number":
        return None
    return key, int(expression.value)


def _compile_path(node: Any, context: _Context, *, settle: bool) -> Node | None:
    raw_steps = list(getattr(node, "steps", None) or ())
    if not raw_steps:
        return None
    compiled = [_compile_step(step, context, first=index == 0) for index, step in enumerate(raw_steps)]
    if any(step is None for step in compiled):
        return None
    steps = tuple(step for step in compiled if step is not None)
    from_variable = raw_steps[0].type == "variable"
    head = raw_steps[0]
    head_walk = _walk_key(head)
    head_key = head_walk[0] if head_walk is not None and head_walk[1] is None else None
    if head_key is None and not (
        from_variable and not getattr(head, "stages", None) and not getattr(head, "predicate", None)
    ):
        return general_path(steps, from_variable=from_variable, settle=settle)
    keys: list[tuple[str, int | None]] = []
    for step in raw_steps[1:]:
        walk_key = _walk_key(step)
        if walk_key is None:
            break
        keys.append(walk_key)
    from_states = from_variable and head.value == "states" and "states" not in context.parameters
    return walking_path(steps, tuple(keys), head_key=head_key, from_states=from_states, settle=settle)


# Operators ----------------------------------------------------------------------------------------


def _compile_binary(node: Any, context: _Context) -> Node | None:
    left = _compile(node.lhs, context)
    right = _compile(node.rhs, context)
    if left is None or right is None:
        return None
    engine = context.engine
    op = str(node.value)
    if op == "and":
        return lambda value, scope: truthy(left(value, scope)) and truthy(right(value, scope))
    if op == "or":
        return lambda value, scope: truthy(left(value, scope)) or truthy(right(value, scope))
    if op in _ARITHMETIC:
        return arithmetic(left, right, op, engine.evaluate_numeric_expression)
    if op in ("=", "!="):
        return equality(left, right, op == "=", engine.evaluate_equality_expression)
    if op in ORDERINGS:
        return ordering(left, right, op, engine.evaluate_comparison_expression)
    if op == "&":
        concat = engine.evaluate_string_concat
        return lambda value, scope: concat(left(value, scope), right(value, scope))
    if op == "in":
        includes = engine.evaluate_includes_expression
        return lambda value, scope: includes(left(value, scope), right(value, scope))
    return None


def _compile_negation(node: Any, context: _Context) -> Node | None:
    operand = _compile(node.expression, context)
    if operand is None:
        return None

    return negation(operand)


def _compile_condition(node: Any, context: _Context, *, tail: bool) -> Node | None:
    branch = _compile_tail if tail else _compile
    test = _compile(node.condition, context)
    then = branch(node.then, context)
    otherwise = branch(node._else, context) if node._else is not None else None
    if test is None or then is None or (node._else is not None and otherwise is None):
        return None

    def choose(value: Any, scope: Scope) -> Any:
        if truthy(test(value, scope)):
            return then(value, scope)
        return otherwise(value, scope) if otherwise is not None else None

    return choose


def _compile_block(node: Any, context: _Context, *, tail: bool) -> Node | None:
    # Blocks scope the variables bound inside them; bindings are outside the subset, so a block
    # is its expressions in turn.
    expressions = list(node.expressions or ())
    compiled = [_compile(item, context) for item in expressions[:-1]]
    if expressions:
        compiled.append((_compile_tail if tail else _compile)(expressions[-1], context))
    if any(item is None for item in compiled):
        return None
    parts = tuple(item for item in compiled if item is not None)
    if len(parts) == 1:
        return parts[0]

    def block(value: Any, scope: Scope) -> Any:
        result = None
        for part in parts:
            result = part(value, scope)
        return result

    return block


# Constructors -------------------------------------------------------------------------------------


def _compile_array(node: Any, context: _Context) -> Node | None:
    # An item that is itself an array constructor stays one member; other arrays are spliced in.
    members: list[tuple[Node, bool]] = []
    for source in node.expressions or ():
        item = _compile(source, context)
        if item is None:
            return None
        members.append((item, str(source.value) == "["))
    return array_constructor(tuple(members), constructed=bool(getattr(node, "consarray", False)))


def _compile_object(node: Any, context: _Context) -> Node | None:
    pairs = list(getattr(node, "lhs_object", None) or ())
    members: list[tuple[str, Node]] = []
    for pair in pairs:
        key_node, value_node = pair
        # Only literal keys: computed keys group their values, and a repeated key is an error.
        if getattr(key_node, "type", None) != "string" or _decorated(key_node) or getattr(key_node, "predicate", None):
            return None
        key = key_node.value
        if not isinstance(key, str) or any(key == existing for existing, _ in members):
            return None
        compiled = _compile(value_node, context)
        if compiled is None:
            return None
        members.append((key, compiled))
    return object_constructor(tuple(members))


# Function calls -----------------------------------------------------------------------------------


def _procedure_name(node: Any, context: _Context) -> str | None:
    procedure = node.procedure
    if getattr(procedure, "type", None) != "variable" or _decorated(procedure):
        return None
    if getattr(procedure, "predicate", None) or getattr(procedure, "consarray", False):
        return None
    name = procedure.value
    if not isinstance(name, str) or name in context.parameters or name in _FRAME_NAMES or name == "states":
        return None
    return name


def _compile_call_node(node: Any, context: _Context, *, settle: bool) -> Node | None:
    if node.type == "apply":
        # ``value ~> $f(args)`` is ``$f(value, args)``; any other right side applies a function value.
        target = node.rhs
        if node.value != "~>" or getattr(target, "type", None) != "function":
            return None
        if _decorated(target) or getattr(target, "predicate", None):
            return None
        call = _compile_call(target, context, applied_to=node.lhs)
    else:
        call = _compile_call(node, context)
    if call is None:
        return None
    if settle:
        return lambda value, scope: unwrap(call(value, scope, value))
    return lambda value, scope: call(value, scope, value)


def _compile_call(node: Any, context: _Context, *, applied_to: Any = None) -> Call | None:
    """A call of a built-in, as ``(context value, scope, signature context) -> raw result``.

    ``applied_to``: the left side of ``~>``, which becomes the first argument.
    """
    name = _procedure_name(node, context)
    if name is None or name in UNSAFE_FUNCTIONS:
        return None
    function = builtin_function(name)
    if function is None or not isinstance(function, Jsonata.JFunction):
        return None
    arguments = ([] if applied_to is None else [applied_to]) + list(node.arguments or ())
    if name in ("map", "filter"):
        return _compile_higher_order(name, arguments, context)
    compiled = [_compile(argument, context) for argument in arguments]
    if any(item is None for item in compiled):
        return None
    parts = tuple(item for item in compiled if item is not None)
    return builtin_call(name, function, parts)


def _lambda_parameters(node: Any) -> list[str] | None:
    if getattr(node, "type", None) != "lambda" or getattr(node, "thunk", False) or _decorated(node):
        return None
    if getattr(node, "signature", None) is not None or getattr(node, "predicate", None):
        return None
    names = [getattr(argument, "value", None) for argument in node.arguments or ()]
    if not 1 <= len(names) <= 3 or not all(isinstance(name, str) and name for name in names):
        return None
    return [str(name) for name in names]


def _compile_higher_order(name: str, arguments: list[Any], context: _Context) -> Call | None:
    """``$map`` / ``$filter`` with a function literal: the lambda is applied directly."""
    if len(arguments) != 2:
        return None
    parameters = _lambda_parameters(arguments[1])
    array = _compile(arguments[0], context)
    if parameters is None or array is None:
        return None
    body = _compile_tail(arguments[1].body, context.inside(parameters))
    if body is None:
        return None
    return higher_order_call(name, array, body, parameters)


def _compile_tail(node: Any, context: _Context) -> Node | None:
    """A function body: the parser turned its tail calls into thunks, whose result is not unwrapped."""
    if not isinstance(node, Parser.Symbol):
        return None
    kind = node.type
    if kind == "lambda" and getattr(node, "thunk", False):
        if _decorated(node) or getattr(node, "predicate", None):
            return None
        target = node.body
        if getattr(target, "type", None) != "function" or _decorated(target) or getattr(target, "predicate", None):
            return None
        call = _compile_call(target, context)
        if call is None:
            return None
        # The engine's trampoline makes the call with no context value for the signature.
        return lambda value, scope: call(value, scope, None)
    if kind in ("condition", "block") and not _decorated(node) and not getattr(node, "predicate", None):
        if kind == "condition":
            return _compile_condition(node, context, tail=True)
        return _compile_block(node, context, tail=True)
    return _compile(node, context)
