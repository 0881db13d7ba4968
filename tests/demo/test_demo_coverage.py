"""Workflow coverage of the demo app's own scenarios: what they never take is listed, and a new
scenario that takes one of those paths raises the figure."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from constructs_sfn.integrations import Throw
from constructs_sfn.testing import (
    CoverageRecorder,
    Expectation,
    LocalAws,
    Scenario,
    SynthesizedApp,
    load_scenarios,
    run_scenario,
    scenario_runner,
)
from constructs_sfn.testing.scenarios import ScenarioFile

pytestmark = pytest.mark.synth

HERE = Path(__file__).parent
REPO = HERE.parents[1]


@pytest.fixture(scope="module")
def app() -> SynthesizedApp:
    spec = importlib.util.spec_from_file_location("constructs_sfn_demo_for_coverage", REPO / "app.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return SynthesizedApp.from_app(module.build_app())


def _run_all(app: SynthesizedApp, files: list[ScenarioFile], recorder: CoverageRecorder, aws: LocalAws) -> None:
    for scenario_file in files:
        for scenario in scenario_file.scenarios:
            machine = app.state_machine(scenario.state_machine or scenario_file.state_machine)
            observer = recorder.observer_for(machine.name, machine.definition)
            result = run_scenario(scenario_runner(machine, scenario, aws=aws, observer=observer), scenario)
            assert result.ok, result.report()


def test_demo_scenarios_coverage_lists_never_taken_paths(app: SynthesizedApp) -> None:
    files = [load_scenarios(path) for path in sorted(HERE.glob("*.scenarios.yaml"))]
    before = CoverageRecorder()
    with LocalAws() as aws:
        _run_all(app, files, before, aws)
    report = before.report()
    saga = report.machine("ConstructsSfnDemo/OrderSaga")
    missed = {item.id for item in saga.missed}
    # Nobody wrote a scenario where Reserve itself fails, or where the dead-letter record fails too.
    assert any("ReserveFailed" in item for item in missed), sorted(missed)
    assert any("DeadLetterNotRecorded" in item for item in missed), sorted(missed)
    assert "Never taken" in report.render_text()
    assert 0 < saga.percent < 100

    # A scenario for the first step's failure takes some of those paths: the figure goes up.
    reserve_fails = Scenario(
        name="reserve-fails-nothing-to-undo",
        input={"orderId": "o-9"},
        tasks={"Reserve": [Throw("Stock.Unavailable", "none left", times=4)]},
        expect=Expectation(status="FAILED", error="Saga.Compensated", visits=["Reserve", "ReserveFailed"]),
        state_machine="ConstructsSfnDemo/OrderSaga",
    )
    after = CoverageRecorder()
    with LocalAws() as aws:
        _run_all(app, [*files, ScenarioFile(HERE / "extra", None, [reserve_fails])], after, aws)
    improved = after.report().machine("ConstructsSfnDemo/OrderSaga")
    assert improved.percent > saga.percent
    assert len(improved.missed) < len(saga.missed)
