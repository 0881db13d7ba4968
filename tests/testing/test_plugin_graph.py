"""``--sfn-graph-dir``: a failing scenario writes its run graph (one HTML file) next to the report.

Run by pytester in a subprocess, as a user's session runs the installed plugin.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from loans_template import loans_template

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None, reason="needs Graphviz's dot, which scripts/bootstrap.sh installs (CI has it)"
)

DEFINITION = {
    "StartAt": "Score",
    "States": {
        "Score": {"Type": "Task", "Resource": "${fn}", "ResultPath": "$.result", "Next": "Route"},
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.result.score", "NumericGreaterThanEquals": 700, "Next": "Approve"}],
            "Default": "Decline",
        },
        "Approve": {"Type": "Succeed"},
        "Decline": {"Type": "Fail", "Error": "Loan.Declined", "Cause": "score too low"},
    },
}
APP = """
from pathlib import Path
from constructs_sfn.testing import SynthesizedApp

def build_app():
    return SynthesizedApp.from_template(Path(__file__).parent / "Loans.template.json")
"""
SCENARIOS = """
state_machine: Loans/Decide
scenarios:
  - name: approved
    tasks: {Score: {return: {score: 720}}}
    expect: {status: SUCCEEDED}
  - name: wrongly-expected
    tasks: {Score: {return: {score: 650}}}
    expect: {status: SUCCEEDED}
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    template = loans_template(DEFINITION)
    (pytester.path / "Loans.template.json").write_text(json.dumps(template), encoding="utf-8")
    pytester.makepyfile(loan_app=APP)
    pytester.makeini("[pytest]\nsfn_app = loan_app.py:build_app\n")
    (pytester.path / "loans.scenarios.yaml").write_text(SCENARIOS, encoding="utf-8")
    return pytester


def test_failing_scenario_writes_its_graph(project: pytest.Pytester) -> None:
    graphs = project.path / "reports" / "graphs"
    result = project.runpytest_subprocess("-p", "no:cacheprovider", f"--sfn-graph-dir={graphs}")
    result.assert_outcomes(passed=1, failed=1)
    written = sorted(path.name for path in graphs.iterdir())
    assert written == ["loans.scenarios.yaml-wrongly-expected.html"]  # only the failing scenario
    result.stdout.fnmatch_lines([f"*run graph: {graphs / written[0]}"])
    page = (graphs / written[0]).read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.DOTALL).group(1))
    states = {state["name"]: state for state in data["states"].values()}
    assert states["Decline"]["outcome"] == "failed"
    assert states["Decline"]["visits"][0]["error"] == "Loan.Declined"
    assert states["Approve"]["outcome"] == "not_reached"


def test_without_the_option_nothing_is_written(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert "run graph" not in result.stdout.str()
    assert not list(Path(project.path).rglob("*.html"))


def test_a_graph_that_cannot_be_written_does_not_hide_the_failure(project: pytest.Pytester) -> None:
    (project.path / "taken").write_text("a file, not a directory")
    result = project.runpytest_subprocess("-p", "no:cacheprovider", f"--sfn-graph-dir={project.path / 'taken'}")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*status: expected SUCCEEDED, got FAILED", "*run graph not written: *taken*"])
