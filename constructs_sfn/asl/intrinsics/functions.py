"""The ``States.*`` intrinsic functions: argument checks and behaviour as AWS implements them.

Each implementation receives already-evaluated arguments (plus the call, for messages, and the
random source) and raises :class:`StatesError` (``States.Runtime``) when its arguments are wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from constructs_sfn.asl.errors import ErrorName, StatesError
from constructs_sfn.asl.intrinsics.javatext import java_text
from constructs_sfn.asl.jsonpath.javaorder import java_hash_order
from constructs_sfn.asl.jsonpath.jsontext import json_type_name, to_json_text
from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text

__all__ = ["FUNCTIONS", "FunctionSpec", "format_pieces", "json_identical"]

#: Largest array States.ArrayRange may build.
ARRAY_RANGE_LIMIT: Final = 1000
#: Longest string States.Base64Encode / Base64Decode / Hash accept.
STRING_INPUT_LIMIT: Final = 10000
_HASHES: Final = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
_INT_MIN: Final = -(2**31)
_INT_MAX: Final = 2**31 - 1

Impl = Callable[[str, Sequence[Any], random.Random], Any]


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """An intrinsic function: how many arguments it takes and what it does."""

    min_args: int
    max_args: int | None
    impl: Impl


def _fail(name: str, detail: str) -> StatesError:
    return StatesError(ErrorName.RUNTIME, f"Invalid arguments in {name}: {detail}")


def _need_string(name: str, value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _fail(name, f"{what} must be a string, but was {json_type_name(value)}: {to_json_text(value)}")
    return value


def _need_array(name: str, value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(name, f"{what} must be an array, but was {json_type_name(value)}: {to_json_text(value)}")
    return value


def _need_object(name: str, value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(name, f"{what} must be an object, but was {json_type_name(value)}: {to_json_text(value)}")
    return value


def _need_integer(name: str, value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(name, f"{what} must be an integer, but was {json_type_name(value)}: {to_json_text(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise _fail(name, f"{what} must be an integer, but was {to_json_text(value)}")
        return int(value)
    return value


def _need_number(name: str, value: Any, what: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(name, f"{what} must be a number, but was {json_type_name(value)}: {to_json_text(value)}")
    return value


def _need_rounded_integer(name: str, value: Any, what: str) -> int:
    # AWS documents for these arguments: "If you specify a non-integer value [...] Step Functions
    # will round it off to the nearest integer."
    return _java_round(_need_number(name, value, what))


def _java_round(value: int | float) -> int:
    # Math.round: half-way cases go towards positive infinity (-1.5 -> -1, 1.5 -> 2).
    return value if isinstance(value, int) else math.floor(value + 0.5)


def json_identical(left: Any, right: Any) -> bool:
    """Java ``equals`` on parsed JSON: ``1`` and ``1.0`` differ, as do ``1`` and ``true``."""
    if type(left) is not type(right):
        if isinstance(left, Mapping) and isinstance(right, Mapping):
            pass
        else:
            return False
    if isinstance(left, Mapping):
        return left.keys() == right.keys() and all(json_identical(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(json_identical(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


# ---- string / JSON ----


def format_pieces(name: str, pieces: Sequence[str | None], values: Sequence[Any]) -> str:
    """Fill the ``{}`` placeholders (``None`` pieces) with the Java text of ``values``."""
    placeholders = sum(1 for piece in pieces if piece is None)
    if placeholders != len(values):
        raise _fail(
            name,
            f"the format string has {placeholders} placeholder(s) but {len(values)} argument(s) were given",
        )
    remaining = iter(values)
    return "".join(java_text(next(remaining)) if piece is None else piece for piece in pieces)


def _split_template(template: str) -> tuple[str | None, ...]:
    pieces: list[str | None] = []
    for index, text in enumerate(template.split("{}")):
        if index:
            pieces.append(None)
        pieces.append(text)
    return tuple(pieces)


def _format(name: str, args: Sequence[Any], rng: random.Random) -> str:
    del rng
    template = _need_string(name, args[0], "the first argument")
    return format_pieces(name, _split_template(template), args[1:])


def _string_to_json(name: str, args: Sequence[Any], rng: random.Random) -> Any:
    del rng
    text = _need_string(name, args[0], "the argument")
    try:  # Jackson's rules: its nesting and number limits, no NaN, 1e400 held as "Infinity"
        return decode_json_text(text)
    except JsonDecodeError as error:
        raise _fail(name, f"the argument is not valid JSON text: {text}") from error


def _json_to_string(name: str, args: Sequence[Any], rng: random.Random) -> str:
    del name, rng
    return to_json_text(args[0])


def _string_split(name: str, args: Sequence[Any], rng: random.Random) -> list[str]:
    del rng
    text = _need_string(name, args[0], "the first argument")
    delimiters = _need_string(name, args[1], "the second argument")
    # Java's StringTokenizer: every character of the delimiter splits; empty tokens vanish.
    if not delimiters:
        return [text] if text else []
    tokens: list[str] = []
    current: list[str] = []
    delimiter_set = set(delimiters)
    for char in text:
        if char in delimiter_set:
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens


# ---- arrays ----


def _array(name: str, args: Sequence[Any], rng: random.Random) -> list[Any]:
    del name, rng
    return list(args)


def _array_partition(name: str, args: Sequence[Any], rng: random.Random) -> list[list[Any]]:
    del rng
    items = _need_array(name, args[0], "the first argument")
    size = _need_rounded_integer(name, args[1], "the chunk size")
    if size <= 0:
        raise _fail(name, f"the chunk size must be greater than 0, but was {size}")
    return [items[start : start + size] for start in range(0, len(items), size)]


def _array_contains(name: str, args: Sequence[Any], rng: random.Random) -> bool:
    del rng
    items = _need_array(name, args[0], "the first argument")
    return any(json_identical(item, args[1]) for item in items)


def _array_range(name: str, args: Sequence[Any], rng: random.Random) -> list[int]:
    del rng
    start = _need_rounded_integer(name, args[0], "the start value")
    end = _need_rounded_integer(name, args[1], "the end value")
    step = _need_rounded_integer(name, args[2], "the step value")
    if step == 0:
        raise _fail(name, "the step value cannot be 0")
    count = (end - start) // step + 1 if (end - start) * step >= 0 else 0
    if count > ARRAY_RANGE_LIMIT:
        raise _fail(name, f"the array range cannot contain more than {ARRAY_RANGE_LIMIT} items")
    return [start + index * step for index in range(count)]


def _array_get_item(name: str, args: Sequence[Any], rng: random.Random) -> Any:
    del rng
    items = _need_array(name, args[0], "the first argument")
    index = _need_integer(name, args[1], "the index")
    if not 0 <= index < len(items):
        raise _fail(name, f"the index {index} is out of bounds for an array of length {len(items)}")
    return items[index]


def _array_length(name: str, args: Sequence[Any], rng: random.Random) -> int:
    del rng
    return len(_need_array(name, args[0], "the argument"))


def _array_unique(name: str, args: Sequence[Any], rng: random.Random) -> list[Any]:
    del rng
    unique: list[Any] = []
    for item in _need_array(name, args[0], "the argument"):
        if not any(json_identical(item, kept) for kept in unique):
            unique.append(item)
    return unique


# ---- encoding / hashing ----


def _check_length(name: str, text: str) -> None:
    if len(text) > STRING_INPUT_LIMIT:
        raise _fail(name, f"the input string cannot be longer than {STRING_INPUT_LIMIT} characters")


def _base64_encode(name: str, args: Sequence[Any], rng: random.Random) -> str:
    del rng
    text = _need_string(name, args[0], "the argument")
    _check_length(name, text)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_decode(name: str, args: Sequence[Any], rng: random.Random) -> str:
    del rng
    text = _need_string(name, args[0], "the argument")
    _check_length(name, text)
    padded = text + "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise _fail(name, f"the argument is not valid base64: {text}") from error
    return raw.decode("utf-8", errors="replace")


def _hash(name: str, args: Sequence[Any], rng: random.Random) -> str:
    del rng
    data = args[0] if isinstance(args[0], str) else to_json_text(args[0])
    _check_length(name, data)
    algorithm = _need_string(name, args[1], "the algorithm")
    digest = _HASHES.get(algorithm)
    if digest is None:
        allowed = ", ".join(_HASHES)
        raise _fail(name, f"the hash algorithm {algorithm!r} is not supported; use one of {allowed}")
    return hashlib.new(digest, data.encode("utf-8"), usedforsecurity=False).hexdigest()


# ---- JSON objects ----


def _json_merge(name: str, args: Sequence[Any], rng: random.Random) -> dict[str, Any]:
    del rng
    first = _need_object(name, args[0], "the first argument")
    second = _need_object(name, args[1], "the second argument")
    deep = args[2]
    if not isinstance(deep, bool):
        raise _fail(name, f"the third argument must be a boolean, but was {to_json_text(deep)}")
    if deep:
        raise _fail(name, "only shallow merging is supported; the third argument must be false")
    merged = {**first, **second}
    # AWS builds the merged object in a java.util.HashMap: keys come out in hash order.
    return {key: merged[key] for key in java_hash_order(merged)}


# ---- math / identifiers ----


def _math_random(name: str, args: Sequence[Any], rng: random.Random) -> int:
    start = _need_rounded_integer(name, args[0], "the start value")
    end = _need_rounded_integer(name, args[1], "the end value")
    if end <= start:
        raise _fail(name, f"the end value {end} must be greater than the start value {start}")
    if len(args) > 2:
        seed = _need_rounded_integer(name, args[2], "the seed")
        return start + _JavaRandom(seed).next_int(end - start)
    return rng.randrange(start, end)


def _math_add(name: str, args: Sequence[Any], rng: random.Random) -> int:
    del rng
    total = 0
    for position, value in enumerate(args):
        number = _need_rounded_integer(name, value, f"argument {position + 1}")
        if not _INT_MIN <= number <= _INT_MAX:
            raise _fail(name, f"argument {position + 1} must be between {_INT_MIN} and {_INT_MAX}")
        total += number
    return total


def _uuid(name: str, args: Sequence[Any], rng: random.Random) -> str:
    del name, args
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _JavaRandom:
    """``java.util.Random``: a seeded States.MathRandom gives the same number as on AWS."""

    _MULTIPLIER: Final = 0x5DEECE66D
    _MASK: Final = (1 << 48) - 1

    def __init__(self, seed: int) -> None:
        self._seed = (seed ^ self._MULTIPLIER) & self._MASK

    def _next(self, bits: int) -> int:
        self._seed = (self._seed * self._MULTIPLIER + 0xB) & self._MASK
        value = self._seed >> (48 - bits)
        # Java narrows the result to a signed 32-bit int.
        return value - (1 << 32) if value >= 1 << 31 else value

    def next_int(self, bound: int) -> int:
        if bound & -bound == bound:
            return (bound * self._next(31)) >> 31
        while True:
            bits = self._next(31)
            value = bits % bound
            if bits - value + (bound - 1) < 1 << 31:
                return value


FUNCTIONS: Final[dict[str, FunctionSpec]] = {
    "States.Format": FunctionSpec(1, None, _format),
    "States.StringToJson": FunctionSpec(1, 1, _string_to_json),
    "States.JsonToString": FunctionSpec(1, 1, _json_to_string),
    "States.Array": FunctionSpec(0, None, _array),
    "States.ArrayPartition": FunctionSpec(2, 2, _array_partition),
    "States.ArrayContains": FunctionSpec(2, 2, _array_contains),
    "States.ArrayRange": FunctionSpec(3, 3, _array_range),
    "States.ArrayGetItem": FunctionSpec(2, 2, _array_get_item),
    "States.ArrayLength": FunctionSpec(1, 1, _array_length),
    "States.ArrayUnique": FunctionSpec(1, 1, _array_unique),
    "States.Base64Encode": FunctionSpec(1, 1, _base64_encode),
    "States.Base64Decode": FunctionSpec(1, 1, _base64_decode),
    "States.Hash": FunctionSpec(2, 2, _hash),
    "States.JsonMerge": FunctionSpec(3, 3, _json_merge),
    "States.MathRandom": FunctionSpec(2, 3, _math_random),
    "States.MathAdd": FunctionSpec(2, 2, _math_add),
    "States.StringSplit": FunctionSpec(2, 2, _string_split),
    "States.UUID": FunctionSpec(0, 0, _uuid),
}
