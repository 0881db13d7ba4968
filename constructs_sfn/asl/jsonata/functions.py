"""The functions Step Functions adds to JSONata, and the standard ones it words differently.

AWS adds ``$partition``, ``$range``, ``$hash``, ``$random`` (with an optional seed), ``$uuid``
and ``$parse``, and removes ``$eval``. ``$string`` is replaced because jsonata-python writes
numbers the Python way (``1e+20``) where AWS writes them the JavaScript way
(``100000000000000000000``).

Randomness is deterministic: the evaluation that is running publishes its ``random.Random`` in
:data:`ACTIVE` (per thread) and ``$random()`` / ``$uuid()`` draw from it.

The functions that create large values (``$range``, ``$append``, ``$join``, ``$pad``) charge them to
the evaluation's budget before creating them (:mod:`constructs_sfn.asl.jsonata.budget`).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.utils import Utils

from constructs_sfn.asl.jsonata.budget import (
    MemoryLimitExceeded,
    charge_items,
    check_sequence_length,
    check_string_length,
)
from constructs_sfn.asl.jsonata.fastsequence import truthy
from constructs_sfn.asl.jsonata.javarandom import java_long, seeded_double
from constructs_sfn.asl.jsonata.jsvalues import format_string_function_number, to_json_text

__all__ = [
    "ACTIVE",
    "MAX_SEQUENCE_LENGTH",
    "SequenceTooLarge",
    "aws_function_bindings",
    "string_of",
]

# The most items one $range call may create; the evaluation's budget bounds all calls together.
MAX_SEQUENCE_LENGTH = 10_000_000
_NULL = Utils.NULL_VALUE
_SYSTEM_RANDOM = random.SystemRandom()
_HASHES: dict[str, Callable[[bytes], Any]] = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}
_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1


SequenceTooLarge = MemoryLimitExceeded
"""A generated sequence would exceed the evaluation's memory bound (the budget's error)."""


class _Active(threading.local):
    """What the running evaluation of this thread lends to the functions: its random source."""

    def __init__(self) -> None:
        self.rng: random.Random = _SYSTEM_RANDOM


ACTIVE = _Active()


def _d3137(message: str) -> JException:
    return JException("D3137", -1, message)


def _partition(array: Any, size: Any = None) -> Any:
    if array is None:
        return None
    items = list(array)
    if not items:
        return None
    if size is None:
        return [items]
    chunk = java_long(size)
    if chunk < 0:
        raise _d3137("Second argument must be zero or greater")
    if chunk == 0:
        return None
    return [items[start : start + chunk] for start in range(0, len(items), chunk)]


def _range(start: Any, end: Any, step: Any = None) -> Any:
    if start is None or end is None or step is None:
        return None
    first, last, stride = java_long(start), java_long(end), java_long(step)
    if stride == 0 or (last - first) * stride < 0:
        return None
    count = (last - first) // stride + 1
    if count > MAX_SEQUENCE_LENGTH:
        raise SequenceTooLarge
    charge_items(count)
    stop = last + (1 if stride > 0 else -1)
    # A sequence, so that a single element collapses to a scalar as AWS returns it.
    return Utils.create_sequence_from_iter(range(first, stop, stride))


def _hash(value: Any, algorithm: Any = None) -> Any:
    if value is None or algorithm is None:
        return None
    digest = _HASHES.get(algorithm)
    if digest is None:
        supported = ", ".join(_HASHES)
        raise _d3137(f"Unsupported hash algorithm '{algorithm}'. Supported algorithms: {supported}")
    hashed: str = digest(str(value).encode("utf-8", errors="replace")).hexdigest()
    return hashed


def _random(seed: Any = None) -> float:
    if seed is None:
        return ACTIVE.rng.random()
    return seeded_double(java_long(seed))


def _uuid() -> str:
    return str(uuid.UUID(int=ACTIVE.rng.getrandbits(128), version=4))


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _exact_or_double(text: str) -> int | float:
    number = int(text)
    if _LONG_MIN <= number <= _LONG_MAX:
        return number
    return float(number)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _unique_keys(pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(key)
        result[key] = value
    return result


def _parse(text: Any) -> Any:
    if text is None:
        return None
    try:
        value = json.loads(
            text,
            parse_int=_exact_or_double,
            parse_float=_finite_float,
            parse_constant=_reject_constant,
            object_pairs_hook=_unique_keys,
        )
    except (ValueError, RecursionError) as error:
        raise _d3137("Invalid JSON") from error
    return _NULL if value is None else value


def _number(value: Any) -> Any:
    try:
        return Functions.number(value)
    except ValueError:
        raise JException("D3030", -1, value) from None


def _to_millis(timestamp: Any, picture: Any = None) -> Any:
    try:
        return Functions.datetime_to_millis(timestamp, picture)
    except ValueError:
        raise JException("D3110", -1, timestamp) from None


def string_of(value: Any, prettify: Any = None) -> Any:
    """``$string``: strings unchanged, everything else as JavaScript's JSON text."""
    if isinstance(value, Utils.JList) and value.outer_wrapper:
        value = value[0]
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (Jsonata.JFunction, Parser.Symbol)):
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        raise JException("D3001", -1, value)
    if prettify:
        return _pretty_json(value, "")
    return to_json_text(_functions_as_empty(value), number_format=format_string_function_number)


def _functions_as_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _functions_as_empty(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_functions_as_empty(item) for item in value]
    if isinstance(value, (Jsonata.JFunction, Parser.Symbol)):
        return ""
    return value


def _pretty_json(value: Any, indent: str) -> str:
    # JSON.stringify(value, null, 2)
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{to_json_text(str(key))}: {_pretty_json(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value:
        items = [inner + _pretty_json(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return to_json_text(_functions_as_empty(value), number_format=format_string_function_number)


class _Native(Jsonata.JFunctionCallable):  # type: ignore[misc]  # the engine is untyped
    """Adapts a Python function to the engine's calling convention."""

    def __init__(self, name: str, implementation: Callable[..., Any], *, accepts_null: bool) -> None:
        self._name = name
        self._implementation = implementation
        self._accepts_null = accepts_null

    def call(self, input: Any, args: Any) -> Any:
        arguments = list(args or ())
        if not self._accepts_null:
            # jsonata-python lets null through a signature as "missing"; the reference engine
            # rejects it for a parameter that does not take null.
            for index, argument in enumerate(arguments):
                if argument is _NULL:
                    raise JException("T0410", -1, index + 1, self._name)
        return self._implementation(*arguments)


def _function(name: str, implementation: Callable[..., Any], signature: str, *, accepts_null: bool = False) -> Any:
    return Jsonata.JFunction(_Native(name, implementation, accepts_null=accepts_null), signature)


def _boolean(argument: Any = None) -> bool | None:
    # jsonata-python's $boolean treats a null inside an array as undefined ($boolean([null]) is
    # undefined); the reference engine casts the member, as the engine's own boolize does.
    return None if argument is None else truthy(argument)


def _not(argument: Any = None) -> bool | None:
    return None if argument is None else not truthy(argument)


def _size(value: Any) -> int:
    if value is None:
        return 0
    return len(value) if isinstance(value, list) else 1


def _append(first: Any = None, second: Any = None) -> Any:
    check_sequence_length(_size(first) + _size(second))
    return Functions.append(first, second)


def _join(strings: Any = None, separator: Any = None) -> Any:
    if isinstance(strings, list):
        total = sum(len(item) for item in strings if isinstance(item, str))
        if isinstance(separator, str) and strings:
            total += len(separator) * (len(strings) - 1)
        check_string_length(total)
    return Functions.join(strings, separator)


def _pad(string: Any = None, width: Any = None, char: Any = None) -> Any:
    if isinstance(width, (int, float)) and not isinstance(width, bool) and math.isfinite(width):
        check_string_length(abs(int(width)))
    return Functions.pad(string, width, char)


def aws_function_bindings() -> dict[str, Any]:
    """Name -> engine value for every function Step Functions adds, replaces or removes."""
    return {
        "partition": _function("partition", _partition, "<an?:a>"),
        "range": _function("range", _range, "<nnn?:a>"),
        "hash": _function("hash", _hash, "<ss?:s>"),
        "random": _function("random", _random, "<n?:n>"),
        "uuid": _function("uuid", _uuid, "<:s>"),
        "parse": _function("parse", _parse, "<s?:j>"),
        "string": _function("string", string_of, "<x-b?:s>", accepts_null=True),
        # jsonata-python lets a Python ValueError out of these where the reference engine has codes.
        "number": _function("number", _number, "<(nsb)-:n>"),
        "toMillis": _function("toMillis", _to_millis, "<s-s?:n>"),
        "boolean": _function("boolean", _boolean, "<x-:b>", accepts_null=True),
        "not": _function("not", _not, "<x-:b>", accepts_null=True),
        # The engine's own, after a look at the size of what they would build.
        "append": _function("append", _append, "<xx:a>", accepts_null=True),
        "join": _function("join", _join, "<a<s>s?:s>", accepts_null=True),
        "pad": _function("pad", _pad, "<s-ns?:s>", accepts_null=True),
        # AWS disables $eval: calling it is calling a non-function (T1006).
        "eval": None,
    }
