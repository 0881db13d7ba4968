"""WorkflowRunner and named scenarios, on a hand-written template (no synth)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from loans_template import loans_template

from constructs_sfn.integrations import Return, Throw
from constructs_sfn.testing import (
    Expectation,
    PlaceholderError,
    Scenario,
    ScenarioError,
    StateMachineUnderTest,
    SynthesizedApp,
    load_scenarios,
    run_scenario,
)

DEFINITION = {
    "StartAt": "Score",
    "States": {
        "Score": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "${fn}", "Payload.$": "$"},
            "ResultSelector": {"score.$": "$.Payload.score"},
            "ResultPath": "$.result",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Manual"}],
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.result.score", "NumericGreaterThanEquals": 700, "Next": "Approve"}],
            "Default": "Decline",
        },
        "Approve": {"Type": "Pass", "Result": "approved", "ResultPath": "$.decision", "End": True},
        "Decline": {"Type": "Fail", "Error": "Loan.Declined", "Cause": "score too low"},
        "Manual": {"Type": "Pass", "Result": "manual", "ResultPath": "$.decision", "End": True},
    },
}


@pytest.fixture
def machine(tmp_path: Path) -> StateMachineUnderTest:
    template = loans_template(DEFINITION)
    path = tmp_path / "Loans.template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return SynthesizedApp.from_template(path).state_machine("Loans/Decide")


def test_bind_lambda_by_path_runs_python_handler(machine: StateMachineUnderTest) -> None:
    runner = machine.runner()
    seen: list[Any] = []

    def score(event: Any, context: Any) -> dict[str, int]:
        seen.append((event, context.function_name))
        return {"score": 720}

    runner.bind_lambda("Loans/ScoreFn", score)
    run = runner.run({"applicant": "a-1"}, name="good")
    assert run.status == "SUCCEEDED", run.describe()
    assert run.states_entered == ["Score", "Route", "Approve"]
    assert run.output == {"applicant": "a-1", "result": {"score": 720}, "decision": "approved"}
    assert seen == [({"applicant": "a-1"}, "<Loans/ScoreFn>")]


def test_unknown_construct_is_refused_with_what_the_machine_calls(machine: StateMachineUnderTest) -> None:
    with pytest.raises(PlaceholderError, match=r"'Loans/Other' is not a Lambda function.*calls: 'Loans/ScoreFn'"):
        machine.runner().bind_lambda("Loans/Other", lambda e, c: e)


def test_unbound_lambda_names_function_name_and_bindings(machine: StateMachineUnderTest) -> None:
    runner = machine.runner()
    runner.bind_lambda("SomethingElse", lambda e, c: e)
    run = runner.run({})
    # States.Runtime is never caught by States.ALL: the execution fails, naming what is missing.
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    cause = run.cause or ""
    assert "'arn:aws:lambda:us-east-1:123456789012:function:<Loans/ScoreFn>' (FunctionName)" in cause
    assert "Bound functions: 'SomethingElse'" in cause


def test_scenarios_in_python_check_every_expectation(machine: StateMachineUnderTest) -> None:
    runner = machine.runner()
    throttled = Scenario(
        name="throttled-then-low",
        input={"applicant": "a-2"},
        tasks={
            "Score": [Throw("Lambda.TooManyRequestsException", "slow", times=2), Return({"Payload": {"score": 500}})]
        },
        expect=Expectation(status="FAILED", error="Loan.Declined", path=["Score", "Route", "Decline"]),
    )
    result = run_scenario(runner, throttled)
    assert result.ok, result.report()

    wrong = Scenario(
        name="wrong-expectation",
        input={"applicant": "a-3"},
        tasks={"Score": Return({"Payload": {"score": 800}})},
        expect=Expectation(status="FAILED", output_includes={"decision": "declined"}, skips=["Approve"]),
    )
    result = run_scenario(runner, wrong)
    assert not result.ok
    report = result.report()
    assert "status: expected FAILED, got SUCCEEDED" in report
    assert 'output.decision: expected "declined", got "approved"' in report
    assert "skips: 'Approve' must not be entered" in report
    assert "path so far: Score -> Route -> Approve" in report


def test_scenario_file_round_trip(machine: StateMachineUnderTest, tmp_path: Path) -> None:
    file = tmp_path / "decide.scenarios.yaml"
    file.write_text(
        """
state_machine: Loans/Decide
scenarios:
  - name: approved
    input: {applicant: a-1}
    tasks:
      Score: {return: {Payload: {score: 700}}}
    expect: {status: SUCCEEDED, output_includes: {result.score: 700, decision: approved}}
  - name: crashed
    tasks:
      Score: [{throw: {error: Lambda.TooManyRequestsException}, times: 2}, {throw: {error: Lambda.Unknown, cause: boom}}]
    expect: {status: SUCCEEDED, path: [Score, Manual], skips: [Route]}
""",
        encoding="utf-8",
    )
    loaded = load_scenarios(file)
    assert loaded.state_machine == "Loans/Decide"
    results = [run_scenario(machine.runner(), scenario) for scenario in loaded.scenarios]
    assert [r.ok for r in results] == [True, True], [r.report() for r in results]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenarios: []", "scenarios: expected a non-empty list"),
        ("scenarios: [{name: a, tasks: {S: {return: 1, times: 0}}}]", r"tasks\.S\[0\]\.times: expected a whole number"),
        ("scenarios: [{name: a, tasks: {S: [{retrn: 1}]}}]", r"scenarios\[0\]\.tasks\.S\[0\]: expected \{return"),
        ("scenarios: [{name: a, expect: {status: DONE}}]", r"scenarios\[0\]\.expect\.status: expected one of"),
        ("scenarios: [{name: a, bogus: 1}]", r"scenarios\[0\]: unknown key 'bogus'"),
        ("scenarios: [{name: a}, {name: a}]", "names must be unique, repeated: a"),
        ("scenarios: [{name: a, steps: [{advance_seconds: -1}]}]", r"steps\[0\]\.advance_seconds: expected a number"),
        ("scenarios: [a: b: c]", r"not YAML \(line 1"),
    ],
)
def test_malformed_scenario_files_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "bad.scenarios.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message) as raised:
        load_scenarios(file)
    assert str(raised.value).startswith(f"{file}: ")
