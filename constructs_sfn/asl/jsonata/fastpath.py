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
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Final

from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.budget import CHECK_INTERVAL, BudgetExceeded, checkpoint
from constructs_sfn.asl.jsonata.engine import builtin_function
from constructs_sfn.asl.jsonata.fastcall import UNSAFE_FUNCTIONS, BuiltinCall, Fallback
from constructs_sfn.asl.jsonata.fastsequence import (
    NULL,
    JList,
    finish_step,
    index_filter,
    lookup,
    predicate_filter,
    sequence,
    symbol,
    truthy,
    unwrap,
)

__all__ = ["Fallback", "FastEvaluator", "compile_fast"]

FastEvaluator = Callable[[Mapping[str, Any], Mapping[str, Any]], Any]


# What names resolve to: ``($states, workflow variables, parameters of the functions being
# applied)``. A tuple, not an object: one is made per evaluation and per function application.
Scope = tuple[Mapping[str, Any], Mapping[str, Any], dict[str, Any]]


# A compiled node: (context value, scope) -> the engine's value for that node.
_Node = Callable[[Any, Scope], Any]
# A compiled call: (context value, scope, the context the signature may substitute) -> raw result.
_Call = Callable[[Any, Scope, Any], Any]

_MISSING: Final = object()
_NO_PARAMETERS: Final[frozenset[str]] = frozenset()
_UNBOUND: Final[dict[str, Any]] = {}
# Function applications left before the next look at the budget, counted over every loop (nested
# loops of a few hundred members each multiply). Shared by threads: a race only moves a look.
_COUNTDOWN = [CHECK_INTERVAL]
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
_SCALAR_TYPES = frozenset((str, int, float, bool))
_EXACT_INTEGER = 1 << 53
_INTEGER_OPERATIONS: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_is_numeric = Utils.is_numeric
_convert_number = Utils.convert_number


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


def _compile_root(node: Any, context: _Context) -> _Node | None:
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


def _compile(node: Any, context: _Context, *, as_step: bool = False) -> _Node | None:
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


def _compile_bare(node: Any, context: _Context, *, settle: bool) -> _Node | None:
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


def _compile_variable(node: Any, context: _Context, *, settle: bool) -> _Node | None:
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


# A path step: its evaluation, its stages, and its key when it is a field name (read inline).
_Step = tuple[_Node, tuple[Callable[[Any, Scope], Any], ...], str | None]


def _compile_step(step: Any, context: _Context, *, first: bool) -> _Step | None:
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


def _unchanged(value: Any) -> Any:
    return value


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


def _run_steps(steps: tuple[_Step, ...], start: int, members: Any, scope: Scope) -> Any:
    """``Jsonata.evaluate_path`` from step ``start`` on, given that step's input sequence."""
    last = len(steps) - 1
    current = members
    for index in range(start, last + 1):
        evaluate, stages, key = steps[index]
        results = []
        for member in current:
            if key is not None and type(member) is dict:
                # ``lookup`` on an object, inline.
                value = member.get(key, _MISSING)
                if value is None:
                    value = NULL
                elif value is _MISSING:
                    value = None
                elif type(value) is JList:
                    value = unwrap(value)
            else:
                value = evaluate(member, scope)
            for stage in stages:
                value = stage(value, scope)
            if value is not None:
                results.append(value)
        current = finish_step(results, last=index == last)
        if not current:
            break
    return current


def _compile_path(node: Any, context: _Context, *, settle: bool) -> _Node | None:
    raw_steps = list(getattr(node, "steps", None) or ())
    if not raw_steps:
        return None
    compiled = [_compile_step(step, context, first=index == 0) for index, step in enumerate(raw_steps)]
    if any(step is None for step in compiled):
        return None
    steps = tuple(step for step in compiled if step is not None)
    from_variable = raw_steps[0].type == "variable"

    finish: Callable[[Any], Any] = unwrap if settle else _unchanged

    def general(value: Any, scope: Scope) -> Any:
        members = value if isinstance(value, list) and not from_variable else sequence((value,))
        return finish(_run_steps(steps, 0, members, scope))

    # Most paths are a variable or a name followed by field names (perhaps with an index); walk
    # those through objects directly and hand over to the general rules where an array or another
    # predicate appears.
    head = raw_steps[0]
    head_walk = _walk_key(head)
    head_key = head_walk[0] if head_walk is not None and head_walk[1] is None else None
    if head_key is None and not (
        from_variable and not getattr(head, "stages", None) and not getattr(head, "predicate", None)
    ):
        return general
    keys: list[tuple[str, int | None]] = []
    for step in raw_steps[1:]:
        walk_key = _walk_key(step)
        if walk_key is None:
            break
        keys.append(walk_key)
    walked = tuple(keys)
    last = len(steps) - 1
    head_step = steps[0][0]
    from_states = from_variable and head.value == "states" and "states" not in context.parameters

    def hand_over(found: Any, index: int, scope: Scope) -> Any:
        # Step ``index`` produced exactly ``found`` (not undefined): continue as the engine does.
        current = finish_step([found], last=index == last)
        if not current or index == last:
            return finish(current)
        return finish(_run_steps(steps, index + 1, current, scope))

    def walk(value: Any, scope: Scope) -> Any:
        if head_key is not None:
            if isinstance(value, list):
                return finish(_run_steps(steps, 0, value, scope))
            if not isinstance(value, dict):
                return None
            found = value.get(head_key, _MISSING)
            if found is _MISSING:
                return None
            found = NULL if found is None else found
        elif from_states:
            found = scope[0]
        else:
            found = head_step(value, scope)
            if found is None:
                return None
        index = 0
        for key, position in walked:
            if isinstance(found, list):
                return hand_over(found, index, scope)
            if not isinstance(found, dict):
                return None
            found = found.get(key, _MISSING)
            if found is _MISSING:
                return None
            if found is None:
                found = NULL
            index += 1
            if position is not None:
                # ``index_filter``: a picked array is the step's value as it is.
                if isinstance(found, list):
                    at = position + len(found) if position < 0 else position
                    if not 0 <= at < len(found):
                        return None
                    found = found[at]
                    if found is None:
                        found = NULL
                elif position not in (0, -1):
                    return None
        if index < last or (isinstance(found, list) and type(found) is not list):
            return hand_over(found, index, scope)
        return found

    if head_key is not None or len(walked) != last:
        return walk
    # The commonest shape of all, ``$states.a.b[0].c``: a loop over plain objects and arrays, with
    # the walk above taking over wherever it would do anything else.

    def walk_plain(value: Any, scope: Scope) -> Any:
        found: Any = scope[0] if from_states else head_step(value, scope)
        for key, position in walked:
            if type(found) is not dict:
                if found is None or found is NULL or type(found) in _SCALAR_TYPES:
                    return None
                return walk(value, scope)
            found = found.get(key, _MISSING)
            if found is None:
                found = NULL
            elif found is _MISSING:
                return None
            if position is not None:
                if type(found) is list:
                    at = position + len(found) if position < 0 else position
                    if not 0 <= at < len(found):
                        return None
                    found = found[at]
                    if found is None:
                        found = NULL
                elif isinstance(found, list):
                    return walk(value, scope)
                elif position not in (0, -1):
                    return None
        if type(found) is not list and isinstance(found, list):
            return walk(value, scope)
        # A plain array at the end is the path's value as it is (``finish_step``).
        return found

    return walk_plain


# Operators ----------------------------------------------------------------------------------------


def _compile_binary(node: Any, context: _Context) -> _Node | None:
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
        return _arithmetic(left, right, op, engine.evaluate_numeric_expression)
    if op in ("=", "!="):
        return _equality(left, right, op == "=", engine.evaluate_equality_expression)
    if op in _ORDERINGS:
        return _ordering(left, right, op, engine.evaluate_comparison_expression)
    if op == "&":
        concat = engine.evaluate_string_concat
        return lambda value, scope: concat(left(value, scope), right(value, scope))
    if op == "in":
        includes = engine.evaluate_includes_expression
        return lambda value, scope: includes(left(value, scope), right(value, scope))
    return None


def _arithmetic(left: _Node, right: _Node, op: str, numeric: Callable[[Any, Any, str], Any]) -> _Node:
    exact = _INTEGER_OPERATIONS.get(op)

    def arithmetic(value: Any, scope: Scope) -> Any:
        a = left(value, scope)
        b = right(value, scope)
        if exact is not None and type(a) is int and type(b) is int:
            # The engine computes in doubles; within 2**53 that is the integer result.
            result = exact(a, b)
            if abs(a) <= _EXACT_INTEGER and abs(b) <= _EXACT_INTEGER and abs(result) <= _EXACT_INTEGER:
                return result
        return numeric(a, b, op)

    return arithmetic


def _equality(left: _Node, right: _Node, equal: bool, general: Callable[[Any, Any, str], Any]) -> _Node:
    op = "=" if equal else "!="

    def compare(value: Any, scope: Scope) -> Any:
        a = left(value, scope)
        b = right(value, scope)
        kind = type(a)
        if kind is type(b) and (kind is str or kind is bool):
            return (a == b) is equal
        return general(a, b, op)

    return compare


def _ordering(left: _Node, right: _Node, op: str, general: Callable[[Any, Any, str], Any]) -> _Node:
    order = _ORDERINGS[op]

    def compare(value: Any, scope: Scope) -> Any:
        a = left(value, scope)
        b = right(value, scope)
        kind = type(a)
        if kind is type(b) and (kind is int or kind is str or kind is float):
            return order(a, b)
        return general(a, b, op)

    return compare


def _compile_negation(node: Any, context: _Context) -> _Node | None:
    operand = _compile(node.expression, context)
    if operand is None:
        return None

    def negate(value: Any, scope: Scope) -> Any:
        result = operand(value, scope)
        if result is None:
            return None
        if _is_numeric(result):
            return _convert_number(-float(result))
        raise Fallback

    return negate


def _compile_condition(node: Any, context: _Context, *, tail: bool) -> _Node | None:
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


def _compile_block(node: Any, context: _Context, *, tail: bool) -> _Node | None:
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


def _compile_array(node: Any, context: _Context) -> _Node | None:
    # An item that is itself an array constructor stays one member; other arrays are spliced in.
    members: list[tuple[_Node, bool]] = []
    for source in node.expressions or ():
        item = _compile(source, context)
        if item is None:
            return None
        members.append((item, str(source.value) == "["))
    plan = tuple(members)
    constructed = bool(getattr(node, "consarray", False))

    def build(value: Any, scope: Scope) -> Any:
        result = JList()
        for item, nested in plan:
            member = item(value, scope)
            if member is not None:
                if nested or not isinstance(member, list):
                    result.append(member)
                else:
                    result.extend(member)
        if constructed:
            result.cons = True
        return result

    return build


def _compile_object(node: Any, context: _Context) -> _Node | None:
    pairs = list(getattr(node, "lhs_object", None) or ())
    members: list[tuple[str, _Node]] = []
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
    plan = tuple(members)

    def build(value: Any, scope: Scope) -> Any:
        if isinstance(value, list):
            raise Fallback  # over an array the engine groups the members by key
        result = {}
        for key, member in plan:
            found = member(value, scope)
            if found is not None:
                result[key] = found
        return result

    return build


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


def _compile_call_node(node: Any, context: _Context, *, settle: bool) -> _Node | None:
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


def _count(argument: Any) -> int:
    # <a:n>: undefined (or null, whose symbol is "m") counts 0, a single value is an array of one.
    if argument is None or argument is NULL:
        return 0
    return len(argument) if isinstance(argument, list) else 1


def _boolean(argument: Any) -> bool | None:
    return None if argument is None else truthy(argument)


def _not(argument: Any) -> bool | None:
    return None if argument is None else not truthy(argument)


# Built-ins whose one-argument form (any argument type) is simple enough to answer here; each is
# ``Functions``' implementation after the signature's argument handling.
_ONE_ARGUMENT: dict[str, Callable[[Any], Any]] = {
    "exists": lambda argument: argument is not None,
    "count": _count,
    "boolean": _boolean,
    "not": _not,
}


def _compile_call(node: Any, context: _Context, *, applied_to: Any = None) -> _Call | None:
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
    call = BuiltinCall(function)
    if len(parts) == 1:
        only = parts[0]
        direct = _ONE_ARGUMENT.get(name)
        if direct is not None:
            implementation = direct

            def call_direct(value: Any, scope: Scope, signature_context: Any) -> Any:
                if name in scope[1]:
                    raise Fallback
                return implementation(only(value, scope))

            return call_direct

        def call_one(value: Any, scope: Scope, signature_context: Any) -> Any:
            if name in scope[1]:
                raise Fallback  # a workflow variable shadows the built-in
            return call((only(value, scope),), signature_context)

        return call_one

    def call_many(value: Any, scope: Scope, signature_context: Any) -> Any:
        if name in scope[1]:
            raise Fallback
        return call([part(value, scope) for part in parts], signature_context)

    return call_many


def _lambda_parameters(node: Any) -> list[str] | None:
    if getattr(node, "type", None) != "lambda" or getattr(node, "thunk", False) or _decorated(node):
        return None
    if getattr(node, "signature", None) is not None or getattr(node, "predicate", None):
        return None
    names = [getattr(argument, "value", None) for argument in node.arguments or ()]
    if not 1 <= len(names) <= 3 or not all(isinstance(name, str) and name for name in names):
        return None
    return [str(name) for name in names]


def _compile_higher_order(name: str, arguments: list[Any], context: _Context) -> _Call | None:
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
    arity = len(parameters)
    keeps_results = name == "map"

    def apply(value: Any, scope: Scope, signature_context: Any) -> Any:
        if name in scope[1]:
            raise Fallback
        members = array(value, scope)
        kind = symbol(members)
        if kind == "m":
            return None
        if kind != "a":
            members = [members]
        results = sequence()
        for index, member in enumerate(members):
            _COUNTDOWN[0] -= 1
            if _COUNTDOWN[0] <= 0:
                _COUNTDOWN[0] = CHECK_INTERVAL
                checkpoint()
            bound = dict(scope[2])
            bound[parameters[0]] = member
            if arity > 1:
                bound[parameters[1]] = index
                if arity > 2:
                    bound[parameters[2]] = members
            # The function body sees the context the function literal was written in.
            outcome = body(value, (scope[0], scope[1], bound))
            if keeps_results:
                if outcome is not None:
                    results.append(outcome)
            elif truthy(outcome):
                results.append(member)
        return results

    return apply


def _compile_tail(node: Any, context: _Context) -> _Node | None:
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
