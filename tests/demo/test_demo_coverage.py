"""Workflow coverage of the demo app's scenarios: what a set of scenarios never takes is listed,
and adding the scenario that takes one of those paths raises the figure."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from constructs_sfn.testing import (
    CoverageRecorder,
    CoverageReport,
    LocalAws,
    Scenario,
    SynthesizedApp,
    load_scenarios,
    run_scenario,
    scenario_runner,
)

pytestmark = pytest.mark.synth

HERE = Path(__file__).parent
REPO = HERE.parents[1]
SAGA = "ConstructsSfnDemo/OrderSaga"
#: The saga scenarios that take the first step's failure and the unwritable dead-letter record.
LATER = ("reserve-fails-nothing-to-undo", "dead-letter-queue-unreachable")


@pytest.fixture(scope="module")
def app() -> SynthesizedApp:
    spec = importlib.util.spec_from_file_location("constructs_sfn_demo_for_coverage", REPO / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return SynthesizedApp.from_app(module.build_app())


def _coverage(app: SynthesizedApp, scenarios: list[Scenario]) -> CoverageReport:
    recorder = CoverageRecorder()
    machine = app.state_machine(SAGA)
    with LocalAws() as aws:
        for scenario in scenarios:
            observer = recorder.observer_for(machine.name, machine.definition)
            result = run_scenario(scenario_runner(machine, scenario, aws=aws, observer=observer), scenario)
            assert result.ok, result.report()
    return recorder.report()


def test_never_taken_paths_are_listed_and_a_new_scenario_raises_the_figure(app: SynthesizedApp) -> None:
    scenarios = load_scenarios(HERE / "order_saga.scenarios.yaml").scenarios
    first = [s for s in scenarios if s.name not in LATER]
    assert len(first) == len(scenarios) - len(LATER)
    before = _coverage(app, first)
    saga = before.machine(SAGA)
    missed = {item.id for item in saga.missed}
    assert any("ReserveFailed" in item for item in missed), sorted(missed)
    assert any("DeadLetterNotRecorded" in item for item in missed), sorted(missed)
    text = before.render_text()
    assert "Never taken" in text
    assert "DeadLetterNotRecorded" in text
    assert 0 < saga.percent < 100

    reserve_fails = [s for s in scenarios if s.name == LATER[0]]
    improved = _coverage(app, [*first, *reserve_fails]).machine(SAGA)
    assert improved.percent > saga.percent
    assert not any("ReserveFailed" in item.id for item in improved.missed)

    complete = _coverage(app, scenarios).machine(SAGA)
    assert (complete.percent, complete.missed) == (100.0, ())
