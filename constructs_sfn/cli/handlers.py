"""``--handler ARN=module:function``: Python functions standing in for the Lambda functions a run calls.

The module is imported as ``python -m`` would from the current directory (which is put first on
``sys.path``). For a machine of a template or ``cdk.out`` the left-hand side may also be the
function's construct path (``Shop/ChargeFn``, or ``ChargeFn`` when no other function the machine
calls ends so) or logical id, since the extracted definition names the function by a placeholder
(``arn:aws:lambda:...:function:<Shop/ChargeFn>``).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs_sfn.cli.console import UsageError
from constructs_sfn.integrations import FunctionRef

if TYPE_CHECKING:
    from constructs_sfn.testing.definitions import StateMachineUnderTest

__all__ = [
    "HandlerSpec",
    "called_functions",
    "check_handler_is_called",
    "load_handler",
    "parse_handler_spec",
    "resolve_function",
]

_LAMBDA = "AWS::Lambda::Function"


@dataclass(frozen=True)
class HandlerSpec:
    """One ``--handler`` option: the function it serves and the Python callable's location."""

    function: str
    module: str
    attribute: str
    given: str


def parse_handler_spec(text: str) -> HandlerSpec:
    """Split ``FUNCTION=module:function`` (the function part may itself hold colons, as ARNs do)."""
    function, equals, target = text.partition("=")
    module, colon, attribute = target.rpartition(":")
    if not equals or not function or not colon or not module or not attribute:
        raise UsageError(
            f"--handler {text}: expected FUNCTION=module:function, e.g. "
            "arn:aws:lambda:us-east-1:123456789012:function:Charge=handlers:charge"
        )
    return HandlerSpec(function.strip(), module.strip(), attribute.strip(), text)


def load_handler(spec: HandlerSpec) -> Callable[[Any, Any], Any]:
    """Import ``spec.module`` (from the current directory first) and return its callable."""
    here = os.getcwd()
    if here not in sys.path:
        sys.path.insert(0, here)
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as error:
        missing = error.name or spec.module
        raise UsageError(
            f"--handler {spec.given}: no module named '{missing}' (looked in {here} and on sys.path)"
        ) from None
    except Exception as error:  # any failure of the user's module at import time
        raise UsageError(
            f"--handler {spec.given}: importing '{spec.module}' failed: {type(error).__name__}: {error}"
        ) from None
    handler = getattr(module, spec.attribute, None)
    if handler is None:
        raise UsageError(f"--handler {spec.given}: module '{spec.module}' has no attribute '{spec.attribute}'")
    if not callable(handler):
        raise UsageError(f"--handler {spec.given}: '{spec.module}:{spec.attribute}' is not callable")
    return _printing_to_stderr(handler)


def _printing_to_stderr(handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``handler``, with what it prints sent to stderr (a function's log, as CloudWatch keeps it
    apart), so that ``run --json`` stays one JSON document. (A ``sys.exit()`` inside it fails its
    Task with Lambda's ``Runtime.ExitError``: the Lambda handler binding reports it.)"""

    def call(event: Any, context: Any) -> Any:
        with contextlib.redirect_stdout(sys.stderr):
            return handler(event, context)

    return call


def resolve_function(spec: HandlerSpec, machine: StateMachineUnderTest | None) -> str:
    """The function name or ARN to bind: a template machine's construct path, logical id or unique
    last part of the path becomes the placeholder name its definition uses; a Lambda name or ARN is
    taken as it is."""
    if machine is not None:
        called = machine.referenced(_LAMBDA)
        wanted = spec.function.strip("/")
        for placeholder in called:
            if wanted in (placeholder.name, placeholder.logical_id, placeholder.text):
                return f"<{placeholder.name}>"
        logical_ids = set(machine.logical_ids_for(wanted)) if wanted else set()
        for placeholder in called:
            if placeholder.logical_id in logical_ids:
                return f"<{placeholder.name}>"
        # The last part of a construct path (ChargeFn for Shop/Functions/ChargeFn), when only one
        # function the machine calls ends so, as --state-machine accepts a machine's.
        ending = {placeholder.name for placeholder in called if placeholder.name.endswith(f"/{wanted}")}
        if len(ending) == 1:
            return f"<{ending.pop()}>"
    if FunctionRef.parse(spec.function) is None:
        hint = ""
        if machine is not None:
            names = ", ".join(sorted({p.name for p in machine.referenced(_LAMBDA)})) or "none"
            hint = f"; the state machine calls these functions of the app: {names}"
        raise UsageError(f"--handler {spec.given}: '{spec.function}' is not a Lambda function name or ARN{hint}")
    return spec.function


def called_functions(definition_text: str) -> set[str] | None:
    """The names of the Lambda functions a definition's Task states call (by function ARN or name,
    or through ``lambda:invoke``'s ``FunctionName``); None when one is chosen at run time."""
    names: set[str] = set()
    for task in _tasks(json.loads(definition_text)):
        resource = task.get("Resource")
        if not isinstance(resource, str):
            continue
        function = FunctionRef.parse(resource) if resource.startswith("arn:") and ":function:" in resource else None
        if function is not None:
            names.add(function.name)
            continue
        if ":lambda:invoke" not in resource:
            continue
        for field in ("Parameters", "Arguments"):
            given = task.get(field)
            if not isinstance(given, Mapping):
                continue
            if "FunctionName.$" in given:
                return None
            name = given.get("FunctionName")
            if isinstance(name, str) and not name.lstrip().startswith("{%"):
                parsed = FunctionRef.parse(name)
                if parsed is not None:
                    names.add(parsed.name)
                    continue
            if name is not None:
                return None
    return names


def _tasks(document: Any) -> Iterator[Mapping[str, Any]]:
    """Every Task state of a definition, inside Parallel branches and Map item processors too."""
    pending = [document]
    while pending:
        machine = pending.pop()
        states = machine.get("States") if isinstance(machine, Mapping) else None
        if not isinstance(states, Mapping):
            continue
        for state in states.values():
            if not isinstance(state, Mapping):
                continue
            if state.get("Type") == "Task":
                yield state
            branches = state.get("Branches")
            if isinstance(branches, list):
                pending.extend(branches)
            pending.extend(state[key] for key in ("ItemProcessor", "Iterator") if key in state)


def check_handler_is_called(spec: HandlerSpec, function: str, definition_text: str, label: str) -> None:
    """A ``--handler`` for a function no Task calls is a mistake (a typo, another machine's
    function): a :class:`UsageError` listing the functions the machine does call."""
    called = called_functions(definition_text)
    bound = FunctionRef.parse(function)
    if called is None or bound is None or bound.name in called:
        return
    shown = ", ".join(sorted(name[1:-1] if name.startswith("<") else name for name in called)) or "none"
    raise UsageError(
        f"--handler {spec.given}: no Task state of {label} calls function '{spec.function}' (it calls: {shown})"
    )
