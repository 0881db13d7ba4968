"""Path evaluation of the direct evaluator, checked against JSONata's path rules
(https://docs.jsonata.org/path-operators, https://docs.jsonata.org/simple): a field step maps over
an array, a step's arrays are flattened one level, undefined disappears, and ``key[n]`` picks."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl.jsonata.fastsequence import lookup
from constructs_sfn.asl.jsonata.fasttypes import Step
from constructs_sfn.asl.jsonata.fastwalk import general_path, run_steps, walking_path


def field(key: str) -> Step:
    return (lambda value, _scope: lookup(value, key), (), key)


def scope(states: dict[str, Any]) -> Any:
    return (states, {}, {})


def test_run_steps_maps_over_arrays_and_flattens() -> None:
    members = [{"a": [{"b": 1}, {"b": 2}]}, {"a": {"b": 3}}, {"c": 0}]
    assert list(run_steps((field("a"), field("b")), 0, members, scope({}))) == [1, 2, 3]


def test_general_path_over_one_object() -> None:
    path = general_path((field("a"), field("b")), from_variable=False, settle=True)
    assert path({"a": {"b": 7}}, scope({})) == 7
    assert path({"a": {}}, scope({})) is None


def test_walking_path_from_states_with_an_index() -> None:
    """``$states.input.items[1].name``: the walk reads plain objects and arrays directly."""
    states = {"input": {"items": [{"name": "a"}, {"name": "b"}]}}
    head: Step = (lambda _value, current: current[0], (), None)
    steps = (head, field("input"), field("items"), field("name"))
    walked = (("input", None), ("items", 1), ("name", None))
    path = walking_path(steps, walked, head_key=None, from_states=True, settle=True)
    assert path(None, scope(states)) == "b"
    assert path(None, scope({"input": {"items": [{"name": "a"}]}})) is None


def test_walking_path_hands_an_array_over_to_the_general_rules() -> None:
    """``a.b`` where ``a`` is an array maps over it, as the engine does."""
    steps = (field("a"), field("b"))
    path = walking_path(steps, (("b", None),), head_key="a", from_states=False, settle=True)
    assert list(path({"a": [{"b": 1}, {"b": 2}]}, scope({}))) == [1, 2]
    assert path({"a": {"b": 5}}, scope({})) == 5
