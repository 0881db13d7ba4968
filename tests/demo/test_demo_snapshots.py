"""The demo app reviewed as a PR would be: every state machine's definition and every scenario's
behaviour, snapshotted (``pytest --snapshot-update`` rewrites them after an intended change)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.testing import LocalAws, SynthesizedApp, load_scenarios, run_scenario, scenario_runner

pytestmark = pytest.mark.synth

HERE = Path(__file__).parent
SCENARIOS = [
    (scenario_file, scenario)
    for path in sorted(HERE.glob("*.scenarios.yaml"))
    for scenario_file in [load_scenarios(path)]
    for scenario in scenario_file.scenarios
]
MACHINES = sorted({str(scenario.state_machine or file.state_machine) for file, scenario in SCENARIOS})


def _id(text: str) -> str:
    # Snapshot files are named after the test id: no path separators in it.
    return text.removeprefix("ConstructsSfnDemo/").replace("/", "-")


@pytest.mark.parametrize("machine", MACHINES, ids=[_id(m) for m in MACHINES])
def test_definition(sfn_app: SynthesizedApp, sfn_definition_snapshot: Any, machine: str) -> None:
    assert sfn_app.state_machine(machine).definition == sfn_definition_snapshot


@pytest.mark.parametrize(
    ("scenario_file", "scenario"),
    SCENARIOS,
    ids=[_id(f"{s.state_machine or f.state_machine}-{s.name}") for f, s in SCENARIOS],
)
def test_behaviour(sfn_app: SynthesizedApp, sfn_behaviour_snapshot: Any, scenario_file: Any, scenario: Any) -> None:
    machine = sfn_app.state_machine(scenario.state_machine or scenario_file.state_machine)
    with LocalAws() as aws:
        result = run_scenario(scenario_runner(machine, scenario, aws=aws), scenario)
        assert result.ok, result.report()
        assert result.run == sfn_behaviour_snapshot
