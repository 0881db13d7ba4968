"""The pytest plugin, run by pytester: fixtures from the entry point, scenario files, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loans_template import loans_template

pytest_plugins = ["pytester"]

DEFINITION = {
    "StartAt": "Score",
    "States": {
        "Score": {
            "Type": "Task",
            "Resource": "${fn}",
            "ResultPath": "$.result",
            "Catch": [{"ErrorEquals": ["Score.Unavailable"], "ResultPath": "$.error", "Next": "Manual"}],
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.result.score", "NumericGreaterThanEquals": 700, "Next": "Approve"}],
            "Default": "Decline",
        },
        "Approve": {"Type": "Succeed"},
        "Decline": {"Type": "Fail", "Error": "Loan.Declined"},
        "Manual": {"Type": "Succeed"},
    },
}

APP = """
import json
from pathlib import Path
from constructs_sfn.testing import SynthesizedApp

def build_app():
    return SynthesizedApp.from_template(Path(__file__).parent / "Loans.template.json")
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    template = loans_template(DEFINITION)
    (pytester.path / "Loans.template.json").write_text(json.dumps(template), encoding="utf-8")
    pytester.makepyfile(loan_app=APP)
    pytester.makeini("[pytest]\nsfn_app = loan_app.py:build_app\n")
    return pytester


def test_fixtures_come_from_the_entry_point(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_loans="""
        def test_high_score(sfn_app, sfn_runner):
            runner = sfn_runner(sfn_app.state_machine("Loans/Decide"))
            runner.bind_lambda("Loans/ScoreFn", lambda event, context: {"score": 800})
            run = runner.run({})
            assert run.states_entered == ["Score", "Route", "Approve"]
        """
    )
    # No -p option: the plugin is found through the pytest11 entry point of the installed package.
    result = project.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_scenario_files_are_collected_and_failures_read_well(project: pytest.Pytester) -> None:
    (project.path / "loans.scenarios.yaml").write_text(
        """
state_machine: Loans/Decide
scenarios:
  - name: approved
    tasks: {Score: {return: {score: 720}}}
    expect: {status: SUCCEEDED, path: [Score, Route, Approve]}
  - name: wrongly-expected
    tasks: {Score: {return: {score: 650}}}
    expect: {status: SUCCEEDED}
""",
        encoding="utf-8",
    )
    result = project.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*loans.scenarios.yaml::approved PASSED*",
            "*scenario 'wrongly-expected' of Loans/Decide (loans.scenarios.yaml: scenarios[[]1[]]): not as expected",
            "*status: expected SUCCEEDED, got FAILED",
            "*path so far: Score -> Route -> Decline",
            "*execution error: Loan.Declined*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_malformed_scenario_file_is_a_collection_error_naming_the_key(project: pytest.Pytester) -> None:
    (project.path / "bad.scenarios.yaml").write_text("scenarios: [{name: x, tasks: {Score: [{nope: 1}]}}]\n")
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*bad.scenarios.yaml: scenarios[[]0[]].tasks.Score[[]0[]]: expected {return*"])
    assert result.ret != 0


def test_coverage_report_lists_missed_paths_and_fail_under(project: pytest.Pytester) -> None:
    (project.path / "loans.scenarios.yaml").write_text(
        """
state_machine: Loans/Decide
scenarios:
  - name: approved
    tasks: {Score: {return: {score: 720}}}
    expect: {status: SUCCEEDED}
""",
        encoding="utf-8",
    )
    json_path = project.path / "sfn-coverage.json"
    result = project.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "--sfn-cov",
        "--sfn-cov-report=term",
        f"--sfn-cov-report=json:{json_path}",
        "--sfn-cov-fail-under=90",
    )
    result.stdout.fnmatch_lines(["*constructs_sfn workflow coverage*", "*Loans/Decide*", "*FAIL: workflow coverage*"])
    assert result.ret == 1
    first = json.loads(json_path.read_text())
    missed = json.dumps(first)
    assert "Decline" in missed
    assert "Manual" in missed

    # Adding a scenario that takes the declined path raises the figure.
    (project.path / "more.scenarios.yaml").write_text(
        """
state_machine: Loans/Decide
scenarios:
  - name: declined
    tasks: {Score: {return: {score: 100}}}
    expect: {status: FAILED, error: Loan.Declined}
""",
        encoding="utf-8",
    )
    result = project.runpytest_subprocess("-p", "no:cacheprovider", f"--sfn-cov-report=json:{json_path}")
    result.assert_outcomes(passed=2)
    second = json.loads(json_path.read_text())
    assert second["totals"]["percent"] > first["totals"]["percent"]


def test_coverage_is_merged_across_xdist_workers(project: pytest.Pytester) -> None:
    scenarios = "\n".join(
        f"  - name: s{score}\n    tasks: {{Score: {{return: {{score: {score}}}}}}}" for score in (100, 800)
    )
    (project.path / "loans.scenarios.yaml").write_text(f"state_machine: Loans/Decide\nscenarios:\n{scenarios}\n")
    json_path = project.path / "cov.json"
    result = project.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", f"--sfn-cov-report=json:{json_path}")
    result.assert_outcomes(passed=2)
    report = json.loads(json_path.read_text())
    [machine] = report["state_machines"]
    assert machine["executions"] == 2


def test_synthesis_cache_reuses_the_assembly_across_sessions(pytester: pytest.Pytester) -> None:
    from constructs_sfn.testing.synthesis import SynthesisCache

    app_dir = pytester.path
    (app_dir / "app.py").write_text("X = 1\n")
    cache = Path(pytester.path / "cache")
    calls: list[int] = []

    def factory() -> object:
        from constructs_sfn.testing import SynthesizedApp

        calls.append(1)
        assembly = app_dir / "asm"
        assembly.mkdir(exist_ok=True)
        (assembly / "manifest.json").write_text('{"artifacts": {}}')
        return SynthesizedApp.from_assembly(assembly)

    SynthesisCache(cache).get(factory, source=app_dir / "app.py")
    second = SynthesisCache(cache)
    second.get(factory, source=app_dir / "app.py")
    assert (len(calls), second.hits) == (1, 1)
    (app_dir / "app.py").write_text("X = 2\n")  # a source change invalidates the entry
    third = SynthesisCache(cache)
    third.get(factory, source=app_dir / "app.py")
    assert (len(calls), third.misses) == (2, 1)
