"""AWS's size limits on workflow variables (one variable, one Assign field, one execution)."""

from __future__ import annotations

from typing import Any

from constructs_sfn.asl import Execution, parse_definition


def _run(assign: dict[str, Any], input_value: Any, states: int = 1) -> Execution:
    names = [f"S{i}" for i in range(states)]
    definition: dict[str, Any] = {"StartAt": names[0], "States": {}}
    for i, name in enumerate(names):
        state: dict[str, Any] = {"Type": "Pass", "Assign": assign}
        if i + 1 < len(names):
            state["Next"] = names[i + 1]
        else:
            state["End"] = True
        definition["States"][name] = state
    return Execution(parse_definition(definition), input_value).run()


# The state input must stay under the 256 KiB payload limit, so the big value is built by doubling.
DOUBLE = "States.Format('{}{}', $.text, $.text)"


def test_a_variable_just_under_256_kib_is_kept() -> None:
    execution = _run({"big.$": DOUBLE}, {"text": "x" * (128 * 1024 - 8)})
    assert execution.status == "SUCCEEDED"


def test_a_variable_over_256_kib_fails_the_execution_with_states_runtime() -> None:
    execution = _run({"big.$": DOUBLE}, {"text": "x" * (128 * 1024)})
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "'big'" in (execution.cause or "")
    assert "262146 bytes, more than the 262144 bytes" in (execution.cause or "")


def test_one_assign_field_may_not_total_more_than_256_kib() -> None:
    half = "y" * (140 * 1024)
    execution = _run({"a.$": "$.t", "b.$": "$.t"}, {"t": half})
    assert execution.status == "FAILED"
    assert "one Assign field" in (execution.cause or "")


def test_variables_of_one_execution_may_not_exceed_10_mib() -> None:
    # 45 states each assigning ~250 KiB to a new name: about 11 MiB stored in all.
    chunk = "z" * (250 * 1024)
    definition: dict[str, Any] = {"StartAt": "S0", "States": {}}
    for i in range(45):
        state: dict[str, Any] = {"Type": "Pass", "Assign": {f"v{i}.$": "$.t"}}
        state["Next" if i < 44 else "End"] = f"S{i + 1}" if i < 44 else True
        definition["States"][f"S{i}"] = state
    execution = Execution(parse_definition(definition), {"t": chunk}).run()
    assert execution.status == "FAILED"
    assert "one execution can store" in (execution.cause or "")
