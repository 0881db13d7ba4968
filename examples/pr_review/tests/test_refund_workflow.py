"""The refund workflow's review tests: its definition and the behaviour of each named scenario.

Both are syrupy snapshots under ``tests/__snapshots__/``, so a change to the workflow shows up in
the pull request as a diff of readable files. ``pytest --snapshot-update`` rewrites them. Each
scenario's expectation holds only what must never change (how it ends); the path it took, the
payloads and the order of the compensations are in its behaviour snapshot, for review.
"""

from __future__ import annotations

from typing import Any

import pytest
import refunds
from refund_stack import FUNCTIONS, build_app

from constructs_sfn.testing import Expectation, Scenario, StateMachineUnderTest, WorkflowRunner, run_scenario

SCENARIOS = [
    Scenario(
        name="small-refund",
        description="Below the threshold: approved at once, held, credited and paid out.",
        input={"refundId": "r-100", "amount": 120, "account": "iban-DE-1"},
        expect=Expectation(status="SUCCEEDED"),
    ),
    Scenario(
        name="large-refund-reviewed",
        description="Above the threshold: a reviewer approves it first.",
        input={"refundId": "r-200", "amount": 900, "account": "iban-DE-2"},
        expect=Expectation(status="SUCCEEDED"),
    ),
    Scenario(
        name="large-refund-declined",
        description="Above what a reviewer approves: declined, nothing is held.",
        input={"refundId": "r-300", "amount": 2500, "account": "iban-DE-3"},
        expect=Expectation(status="FAILED", error="Refund.Declined", skips=["HoldFunds"]),
    ),
    Scenario(
        name="payout-fails",
        description="A closed account refuses the payout: the credit, then the hold, are undone.",
        input={"refundId": "r-400", "amount": 80, "account": "closed-FR-9"},
        expect=Expectation(status="FAILED", error="Refund.PayoutFailed"),
    ),
]


@pytest.fixture(scope="module")
def machine(sfn_synthesize: Any) -> StateMachineUnderTest:
    return sfn_synthesize(build_app).state_machine("Refunds/Workflow")


@pytest.fixture
def runner(sfn_runner: Any, machine: StateMachineUnderTest) -> WorkflowRunner:
    built: WorkflowRunner = sfn_runner(machine)
    for function_id, handler in FUNCTIONS.items():
        built.bind_lambda(f"Refunds/{function_id}", getattr(refunds, handler))
    return built


def test_definition(machine: StateMachineUnderTest, sfn_definition_snapshot: Any) -> None:
    assert sfn_definition_snapshot == machine


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_behaviour(runner: WorkflowRunner, scenario: Scenario, sfn_behaviour_snapshot: Any) -> None:
    result = run_scenario(runner, scenario)
    # The snapshot first: when the workflow changes, the diff of what it did is what a reviewer reads.
    assert sfn_behaviour_snapshot == result.run
    assert result.ok, result.report()
