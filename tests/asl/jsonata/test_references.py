"""The top-level reference check AWS applies at definition time."""

from __future__ import annotations

import pytest
from jsonata.jsonata import Jsonata

from constructs_sfn.asl.jsonata.references import unsupported_references


def refused(text: str) -> list[str]:
    return unsupported_references(Jsonata(text).ast)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("phone", ["phone"]),
        ("a.b", ["a"]),
        ("a + b", ["a", "b"]),
        ("{'k': a}", ["a"]),
        ("[a]", ["a"]),
        ("$count(a)", ["a"]),
        ("true ? a : b", ["a", "b"]),
        ("-a", ["a"]),
        ("($x := a; $x)", ["a"]),
        ("a[b = 1]", ["a"]),
    ],
)
def test_top_level_names_are_refused(text: str, names: list[str]) -> None:
    assert refused(text) == [f"Reference to '{name}' at the top level is not supported." for name in names]


@pytest.mark.parametrize(
    "text",
    [
        "$states.input.a",
        "$states.input.items[n > 1]",
        "$states.input.items.(n)",
        "$states.input.items^(n)",
        "$states.input.items{'k': n}",
        "$map($states.input.items, function($v){ n })",
        "$states.input ~> |items|{'x': n}|",
        "$x",
        "'literal'",
    ],
)
def test_relative_names_are_accepted(text: str) -> None:
    assert refused(text) == []


def test_the_context_object_is_refused_anywhere() -> None:
    assert refused("$states.input.items[$$ = 1]") == ["Reference to '$$' is not supported."]
