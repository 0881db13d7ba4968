"""Mutation check: the harness notices when a client's answer differs from what AWS recorded.

For a sample of corpus cases that pass unmodified, the client's responses are altered one way
at a time (output, cause, a dropped event, an extra detail field, a changed event type); every
alteration must make the case fail. This guards the comparison rules against becoming lenient.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from conformance_harness.clients import Backend
from conformance_harness.corpus import load_cases
from conformance_harness.runners import run_execution_case

Mutation = Callable[[str, dict[str, Any]], dict[str, Any]]


def _mutate_output(method: str, response: dict[str, Any]) -> dict[str, Any]:
    if method in ("describe_execution", "start_sync_execution") and response.get("output") is not None:
        value = json.loads(response["output"])
        response["output"] = json.dumps({"__extra": value} if not isinstance(value, dict) else {**value, "__x": 1})
    return response


def _mutate_cause(method: str, response: dict[str, Any]) -> dict[str, Any]:
    if method in ("describe_execution", "start_sync_execution") and response.get("cause") is not None:
        response["cause"] = "[changed] " + response["cause"]
    return response


def _drop_last_event(method: str, response: dict[str, Any]) -> dict[str, Any]:
    if method == "get_execution_history":
        response["events"] = response["events"][:-1]
    return response


def _extra_detail(method: str, response: dict[str, Any]) -> dict[str, Any]:
    if method == "get_execution_history":
        event = response["events"][0]
        details = next(k for k in event if k.endswith("EventDetails"))
        event[details] = {**event[details], "unexpected": True}
    return response


def _renamed_type(method: str, response: dict[str, Any]) -> dict[str, Any]:
    if method == "get_execution_history":
        response["events"][-1]["type"] += "Renamed"
    return response


class _Mutating:
    """Wraps a client; passes every call through ``mutation`` (on a deep copy of the response)."""

    def __init__(self, inner: Any, mutation: Mutation) -> None:
        self._inner = inner
        self._mutation = mutation

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if not callable(target):
            return target

        def call(**kwargs: Any) -> Any:
            response = target(**kwargs)
            if isinstance(response, Mapping):
                return self._mutation(name, copy.deepcopy(dict(response)))
            return response

        return call


class _MutatingBackend:
    def __init__(self, inner: Backend, mutation: Mutation) -> None:
        self._inner = inner
        self._mutation = mutation
        self.name = inner.name
        self.placeholder_names_ok = inner.placeholder_names_ok
        self.supports_services = inner.supports_services
        self.runs_in_real_time = inner.runs_in_real_time

    def client(self, **kwargs: Any) -> Any:
        return _Mutating(self._inner.client(**kwargs), self._mutation)

    def close(self) -> None:
        """The wrapped backend is closed by its fixture."""


def _sample(predicate: Callable[[Mapping[str, Any]], bool], size: int = 12) -> list[Mapping[str, Any]]:
    chosen = [case for case in load_cases("cases.jsonl") if predicate(case)]
    step = max(1, len(chosen) // size)
    return chosen[::step][:size]


def _has_history(case: Mapping[str, Any]) -> bool:
    return bool(case["expected"].get("history"))


def _standard(case: Mapping[str, Any]) -> bool:
    return case.get("state_machine_type") == "STANDARD" and case.get("kind") == "execution"


@pytest.mark.parametrize(
    ("mutation", "predicate"),
    [
        (
            _mutate_output,
            lambda c: _standard(c) and c["expected"]["status"] == "SUCCEEDED" and "output" in c["expected"],
        ),
        (
            _mutate_cause,
            lambda c: (
                _standard(c) and isinstance(c["expected"].get("cause"), str) and "<" not in c["expected"]["cause"]
            ),
        ),
        (_drop_last_event, lambda c: _standard(c) and _has_history(c)),
        (_extra_detail, lambda c: _standard(c) and _has_history(c)),
        (_renamed_type, lambda c: _standard(c) and _has_history(c)),
    ],
    ids=["output", "cause", "dropped-event", "extra-detail", "renamed-type"],
)
def test_mutated_answers_fail(
    mutation: Mutation, predicate: Callable[[Mapping[str, Any]], bool], sfn_backend: Backend
) -> None:
    mutating = _MutatingBackend(sfn_backend, mutation)
    checked = 0
    for case in _sample(predicate):
        if not run_execution_case(case, sfn_backend).passed:
            continue  # a case the client already gets wrong proves nothing here
        checked += 1
        result = run_execution_case(case, mutating)
        assert not result.passed, f"{case['id']}: mutation {mutation.__name__} went unnoticed"
    if checked == 0:
        pytest.skip("no sampled case passes unmodified, so mutations cannot be checked")
