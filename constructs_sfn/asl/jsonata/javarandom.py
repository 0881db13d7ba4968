"""The first draw of ``java.util.Random``, which is what AWS's seeded ``$random(seed)`` returns.

AWS documents ``$random(seed)`` as reproducible for a seed; the values it returns are those of
a fresh ``java.util.Random(seed).nextDouble()``. The generator is the 48-bit linear congruential
generator the Java platform specifies, reproduced here from that specification.
"""

from __future__ import annotations

import math

__all__ = ["java_long", "seeded_double"]

_MULTIPLIER = 0x5DEECE66D
_INCREMENT = 0xB
_MASK = (1 << 48) - 1
_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1


def java_long(number: float | int) -> int:
    """A Java ``(long)`` cast: truncate toward zero, saturate at the long range, NaN is 0."""
    if isinstance(number, float):
        if math.isnan(number):
            return 0
        if math.isinf(number):
            return _LONG_MAX if number > 0 else _LONG_MIN
        number = math.trunc(number)
    return max(_LONG_MIN, min(_LONG_MAX, int(number)))


def seeded_double(seed: int) -> float:
    """``new java.util.Random(seed).nextDouble()``."""
    state = (seed ^ _MULTIPLIER) & _MASK

    def next_bits(bits: int) -> int:
        nonlocal state
        state = (state * _MULTIPLIER + _INCREMENT) & _MASK
        return state >> (48 - bits)

    high = next_bits(26)
    low = next_bits(27)
    return float((high << 27) + low) * (1.0 / (1 << 53))
