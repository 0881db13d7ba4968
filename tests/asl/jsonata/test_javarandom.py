"""java.util.Random's first nextDouble, as AWS's seeded $random returns it."""

from __future__ import annotations

import math

import pytest

from constructs_sfn.asl.jsonata.javarandom import java_long, seeded_double


@pytest.mark.parametrize(
    ("seed", "value"),
    [(42, 0.7275636800328681), (0, 0.730967787376657), (7, 0.7306990420600421)],
)
def test_seeded_double_matches_java(seed: int, value: float) -> None:
    assert seeded_double(seed) == value


def test_negative_and_huge_seeds_are_valid_java_longs() -> None:
    assert 0 <= seeded_double(-5) < 1
    assert 0 <= seeded_double(java_long(1e30)) < 1


@pytest.mark.parametrize(
    ("number", "long"),
    [(0.9, 0), (-1.7, -1), (3, 3), (math.nan, 0), (math.inf, 2**63 - 1), (-math.inf, -(2**63)), (2**70, 2**63 - 1)],
)
def test_java_long_casts_like_java(number: float, long: int) -> None:
    assert java_long(number) == long
