"""Java ``HashMap`` iteration order, which AWS exposes in some JSON objects it builds.

AWS assembles payload-template results (the ``.$`` fields of Parameters, ResultSelector, ...)
and ``States.JsonMerge`` results in a ``java.util.HashMap``, so their keys come out in hash
order rather than in the order they were written. Reproducing that order keeps history events
and outputs byte-for-byte comparable with real executions.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["java_hash_order", "java_string_hash"]

_DEFAULT_CAPACITY = 16
_LOAD_FACTOR = 0.75


def java_string_hash(text: str) -> int:
    """``String.hashCode()``: computed over UTF-16 code units, as a 32-bit unsigned value."""
    value = 0
    for char in text:
        code = ord(char)
        if code > 0xFFFF:
            # Characters outside the BMP are two UTF-16 code units (a surrogate pair) in Java.
            code -= 0x10000
            value = (31 * value + (0xD800 + (code >> 10))) & 0xFFFFFFFF
            value = (31 * value + (0xDC00 + (code & 0x3FF))) & 0xFFFFFFFF
        else:
            value = (31 * value + code) & 0xFFFFFFFF
    return value


def java_hash_order(keys: Iterable[str]) -> list[str]:
    """The iteration order of a default ``HashMap`` after inserting ``keys`` in the given order."""
    ordered = list(keys)
    capacity = _DEFAULT_CAPACITY
    while len(ordered) > capacity * _LOAD_FACTOR:
        capacity *= 2
    mask = capacity - 1

    def bucket(key: str) -> int:
        value = java_string_hash(key)
        return (value ^ (value >> 16)) & mask

    # sorted() is stable: keys sharing a bucket keep their insertion order, as in HashMap.
    return sorted(ordered, key=bucket)
