"""Payload templates: Parameters, ResultSelector, ItemSelector (and Map Parameters).

Keys ending in ``.$`` take a path (``$...``, ``$$...``, ``$var...``) or an intrinsic call; the
output key drops the ``.$``. Objects and arrays nest. A template without dynamic parts evaluates
to the very object it was compiled from (no copy).

AWS builds the result object in two parts, which shows in the key order of real outputs: the
plain keys first, in the order written, then the ``.$`` keys in ``java.util.HashMap`` order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from constructs_sfn.asl.errors import DefinitionError, ErrorName, StatesError
from constructs_sfn.asl.jsonpath.causes import NULL_INPUT_CAUSE, path_not_found_cause
from constructs_sfn.asl.jsonpath.evaluate import PathNotFound
from constructs_sfn.asl.jsonpath.javaorder import java_hash_order
from constructs_sfn.asl.jsonpath.path import Path, compile_path

__all__ = ["PayloadTemplate", "compile_payload_template"]

Getter = Callable[[Any, Any, "Mapping[str, Any] | None", "random.Random | None"], Any]


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


class _Node:
    """One compiled JSON value of a template."""

    __slots__ = ()

    def evaluate(
        self,
        input: Any,
        context: Any,
        variables: Mapping[str, Any] | None,
        rng: random.Random | None,
    ) -> Any:
        raise NotImplementedError


class _ObjectNode(_Node):
    """An object with dynamic parts: plain keys (in written order), then the ``.$`` keys."""

    __slots__ = ("_constants", "_dynamic", "_plain")

    def __init__(
        self,
        plain: tuple[tuple[str, Getter | None, Any], ...],
        dynamic: tuple[tuple[str, Getter], ...],
    ) -> None:
        # When every plain key is constant, the output starts as a C-level copy of them.
        self._constants: dict[str, Any] | None = (
            {key: value for key, _, value in plain} if all(getter is None for _, getter, _ in plain) else None
        )
        self._plain = plain
        self._dynamic = dynamic

    def evaluate(
        self,
        input: Any,
        context: Any,
        variables: Mapping[str, Any] | None,
        rng: random.Random | None,
    ) -> Any:
        if self._constants is not None:
            out = self._constants.copy()
        else:
            out = {}
            for key, getter, value in self._plain:
                out[key] = value if getter is None else getter(input, context, variables, rng)
        for key, getter in self._dynamic:
            out[key] = getter(input, context, variables, rng)
        return out


class _ArrayNode(_Node):
    __slots__ = ("_items",)

    def __init__(self, items: tuple[tuple[bool, Any], ...]) -> None:
        self._items = items

    def evaluate(
        self,
        input: Any,
        context: Any,
        variables: Mapping[str, Any] | None,
        rng: random.Random | None,
    ) -> Any:
        return [
            payload.evaluate(input, context, variables, rng) if dynamic else payload for dynamic, payload in self._items
        ]


def _path_getter(path: Path, field: str) -> Getter:
    find = path.find
    from_input = path.root_kind == "input"

    def get(input: Any, context: Any, variables: Mapping[str, Any] | None, rng: random.Random | None) -> Any:
        if input is None and from_input:
            raise StatesError(ErrorName.RUNTIME, NULL_INPUT_CAUSE)
        try:
            return find(input, context, variables)
        except PathNotFound as missing:
            raise StatesError(ErrorName.RUNTIME, path_not_found_cause(path.text, field, input)) from missing

    return get


def _invalid(field: str, location: str) -> DefinitionError:
    return DefinitionError(
        f"The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call",
        location=location,
    )


def _compile(value: Any, location: str) -> _Node | None:
    """A node for values with dynamic parts; None when ``value`` is constant."""
    # Imported here: the intrinsics package itself builds on this package's path modules.
    from constructs_sfn.asl.intrinsics.intrinsic import compile_intrinsic, is_intrinsic

    if isinstance(value, Mapping):
        plain: list[tuple[str, Getter | None, Any]] = []
        dynamic: dict[str, Getter] = {}
        for key, item in value.items():
            if key.endswith(".$"):
                if not isinstance(item, str):
                    raise _invalid(key, location)
                try:
                    if is_intrinsic(item):
                        dynamic[key[:-2]] = compile_intrinsic(item, location=location, field=key).evaluate
                    elif item.startswith("$"):
                        dynamic[key[:-2]] = _path_getter(compile_path(item, location=location), key)
                    else:
                        raise _invalid(key, location)
                except DefinitionError as error:
                    raise _invalid(key, location) from error
                continue
            node = _compile(item, f"{location}/{_pointer_token(key)}")
            plain.append((key, None if node is None else node.evaluate, item))
        if not dynamic and all(getter is None for _, getter, _ in plain):
            return None
        ordered = tuple((name, dynamic[name]) for name in java_hash_order(dynamic))
        return _ObjectNode(tuple(plain), ordered)
    if isinstance(value, list):
        items: list[tuple[bool, Any]] = []
        any_dynamic = False
        for index, item in enumerate(value):
            node = _compile(item, f"{location}/{index}")
            if node is None:
                items.append((False, item))
            else:
                any_dynamic = True
                items.append((True, node))
        return _ArrayNode(tuple(items)) if any_dynamic else None
    return None


class PayloadTemplate:
    """A compiled payload template; ``is_constant`` when it has no ``.$`` field anywhere."""

    __slots__ = ("_node", "_value", "is_constant")

    def __init__(self, value: Any, node: _Node | None) -> None:
        self._value = value
        self._node = node
        self.is_constant = node is None

    def __repr__(self) -> str:
        return f"PayloadTemplate({self._value!r})"

    def evaluate(
        self,
        input: Any,
        context: Any = None,
        variables: Mapping[str, Any] | None = None,
        rng: random.Random | None = None,
    ) -> Any:
        """Build the payload. A path that finds nothing raises StatesError(States.Runtime, ...)."""
        if self._node is None:
            return self._value
        return self._node.evaluate(input, context, variables, rng)


def compile_payload_template(value: Any, *, location: str = "") -> PayloadTemplate:
    """Compile a Parameters / ResultSelector / ItemSelector value found at ``location``.

    Raises DefinitionError with AWS's message (``The value for the field 'x.$' must be a valid
    JSONPath or a valid intrinsic function call``) at the pointer of the object holding the field.
    """
    return PayloadTemplate(value, _compile(value, location))
