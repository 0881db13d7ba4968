"""The pytest plugin of constructs_sfn (registered through the ``pytest11`` entry point).

Installing the library makes these available in every test session:

Fixtures
    ``sfn_app``        the app named by the ``sfn_app`` ini option, synthesized once per session.
    ``sfn_synthesize`` ``sfn_synthesize(factory_or_app_or_stack)``: any app, once per session.
    ``sfn_runner``     ``sfn_runner(machine, **options)``: a :class:`WorkflowRunner` whose runs are
                       recorded for workflow coverage.
    ``sfn_coverage``   the session's coverage recorder.
    ``sfn_definition_snapshot`` (JSON), ``sfn_definition_yaml_snapshot``, ``sfn_behaviour_snapshot``,
    ``sfn_template_snapshot``: syrupy snapshots of a definition, of a scenario run, of a template.

Scenario files
    ``*.scenarios.yaml`` / ``*.scenarios.yml`` / ``*.scenarios.json`` next to the tests are
    collected: one test per scenario, run against the ``sfn_app`` app.

Options
    ``--sfn-cov``                 report workflow coverage at the end of the session.
    ``--sfn-cov-report=KIND``     ``term`` (default), ``json:PATH``, ``html:PATH``; repeatable.
    ``--sfn-cov-fail-under=N``    fail the session when coverage (states and transitions) is below N.
    ``--sfn-synth-cache``         reuse synthesized assemblies across sessions while the app's
                                  sources are unchanged.
    ``--sfn-graph-dir=DIR``       write a failing scenario's run graph (one HTML file, see
                                  ``constructs_sfn.visual``) into DIR; off by default.

Importing this module is cheap: aws_cdk, syrupy and the executor load when first used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from constructs_sfn.testing.assembly import SynthesizedApp
    from constructs_sfn.testing.coverage import CoverageRecorder, CoverageReport
    from constructs_sfn.testing.definitions import StateMachineUnderTest
    from constructs_sfn.testing.runner import WorkflowRunner
    from constructs_sfn.testing.scenarios import Scenario
    from constructs_sfn.testing.synthesis import SynthesisCache

__all__ = [
    "ScenarioFileCollector",
    "ScenarioItem",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_testnodedown",
]

_WORKER_KEY = "constructs_sfn_coverage"
_SCENARIO_SUFFIXES = (".scenarios.yaml", ".scenarios.yml", ".scenarios.json")
_STATE_KEY = pytest.StashKey["_PluginState"]()


class _PluginState:
    """What the plugin keeps for one session."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._synthesis: SynthesisCache | None = None
        self._coverage: CoverageRecorder | None = None
        self.coverage_failed: str | None = None
        self.worker_reports: list[CoverageReport] = []
        self._merged: CoverageReport | None = None

    @property
    def synthesis(self) -> SynthesisCache:
        if self._synthesis is None:
            from constructs_sfn.testing.synthesis import SynthesisCache

            directory = None
            if self.config.getoption("sfn_synth_cache") and self.config.cache is not None:
                directory = self.config.cache.mkdir("constructs_sfn_synth")
            self._synthesis = SynthesisCache(directory)
        return self._synthesis

    @property
    def coverage(self) -> CoverageRecorder:
        if self._coverage is None:
            from constructs_sfn.testing.coverage import CoverageRecorder

            self._coverage = CoverageRecorder()
        return self._coverage

    @property
    def coverage_recorded(self) -> bool:
        return self._coverage is not None

    def report(self) -> CoverageReport | None:
        """This process's coverage merged with what xdist workers sent; None when nothing ran."""
        if self._merged is not None:
            return self._merged
        reports = ([self.coverage.report()] if self.coverage_recorded else []) + self.worker_reports
        if not reports:
            return None
        self._merged = reports[0].merged(*reports[1:])
        return self._merged

    def configured_app(self) -> SynthesizedApp:
        from constructs_sfn.testing.synthesis import load_factory

        spec = self.config.getini("sfn_app")
        if not spec:
            raise pytest.UsageError(
                "constructs_sfn: no app configured; set 'sfn_app = app.py:build_app' (a callable returning "
                "an App or Stack) in the [tool.pytest.ini_options] of pyproject.toml, or use sfn_synthesize"
            )
        factory, source = load_factory(str(spec), root=self.config.rootpath)
        return self.synthesis.get(factory, source=source)

    def runner(self, machine: StateMachineUnderTest, **options: Any) -> WorkflowRunner:
        from constructs_sfn.testing.runner import WorkflowRunner

        if "observer" not in options:
            options["observer"] = self.coverage.observer_for(machine.name, machine.definition)
        return WorkflowRunner(machine, **options)


def _state(config: pytest.Config) -> _PluginState:
    return config.stash[_STATE_KEY]


# -- hooks --------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's command-line and ini options."""
    group = parser.getgroup("constructs_sfn", "constructs_sfn: Step Functions workflows")
    group.addoption("--sfn-cov", action="store_true", default=False, help="report workflow coverage")
    group.addoption(
        "--sfn-cov-report",
        action="append",
        default=[],
        metavar="KIND",
        help="coverage report: term, json:PATH or html:PATH (repeatable; default: term)",
    )
    group.addoption(
        "--sfn-cov-fail-under",
        type=float,
        default=None,
        metavar="N",
        help="fail when workflow coverage (states and transitions together) is below N percent",
    )
    group.addoption(
        "--sfn-synth-cache",
        action="store_true",
        default=False,
        help="reuse synthesized CDK assemblies across sessions while the app's sources are unchanged",
    )
    group.addoption(
        "--sfn-graph-dir",
        default=None,
        metavar="DIR",
        help="write the run graph of every failing scenario as a self-contained HTML file into DIR "
        "(e.g. next to --junitxml's report; needs Graphviz 'dot')",
    )
    parser.addini("sfn_app", "the CDK app for sfn_app and scenario files: 'app.py:build_app' or 'module:callable'")


def pytest_configure(config: pytest.Config) -> None:
    """Set up the session state."""
    config.stash[_STATE_KEY] = _PluginState(config)
    config.addinivalue_line("markers", "sfn_scenario: a scenario collected from a *.scenarios.yaml file")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect ``*.scenarios.yaml``/``.yml``/``.json`` files as scenario tests."""
    if file_path.name.endswith(_SCENARIO_SUFFIXES):
        collector: pytest.Collector = ScenarioFileCollector.from_parent(parent, path=file_path)
        return collector
    return None


def _coverage_wanted(config: pytest.Config) -> bool:
    return bool(
        config.getoption("sfn_cov")
        or config.getoption("sfn_cov_report")
        or config.getoption("sfn_cov_fail_under") is not None
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: merge the coverage a worker recorded into the controller's report."""
    text = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
    if text:
        from constructs_sfn.testing.coverage import CoverageReport

        _state(node.config).worker_reports.append(CoverageReport.from_json(json.loads(text)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the coverage reports and apply ``--sfn-cov-fail-under``."""
    config = session.config
    state = _state(config)
    if not _coverage_wanted(config):
        return
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the recorded coverage to the controller
        if state.coverage_recorded:
            workeroutput[_WORKER_KEY] = state.coverage.report().to_json_text()
        return
    report = state.report()
    if report is None:
        return
    for kind in config.getoption("sfn_cov_report") or []:
        if kind.startswith("json:"):
            report.write_json(kind[5:])
        elif kind.startswith("html:"):
            report.write_html(kind[5:])
        elif kind != "term":
            raise pytest.UsageError(f"--sfn-cov-report: unknown kind {kind!r}; use term, json:PATH or html:PATH")
    threshold = config.getoption("sfn_cov_fail_under")
    if threshold is not None and report.percent < threshold:
        state.coverage_failed = f"workflow coverage {report.percent:.1f}% is below --sfn-cov-fail-under={threshold:g}"
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print the coverage summary (``--sfn-cov``)."""
    state = _state(config)
    if not _coverage_wanted(config) or hasattr(config, "workerinput"):
        return
    terminalreporter.section("constructs_sfn workflow coverage")
    report = state.report()
    if report is None:
        terminalreporter.write_line("no state machine ran through sfn_runner or a scenario file")
        return
    reports = config.getoption("sfn_cov_report") or ["term"]
    if "term" in reports or not any(r.startswith(("json:", "html:")) for r in reports):
        terminalreporter.write_line(report.render_text())
    for kind in reports:
        if kind.startswith(("json:", "html:")):
            terminalreporter.write_line(f"coverage {kind[:4]} report written to {kind[5:]}")
    if state.coverage_failed:
        terminalreporter.write_line(f"FAIL: {state.coverage_failed}", red=True)


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sfn_app(request: pytest.FixtureRequest) -> SynthesizedApp:
    """The app named by the ``sfn_app`` ini option, synthesized once per session."""
    return _state(request.config).configured_app()


@pytest.fixture(scope="session")
def sfn_synthesize(request: pytest.FixtureRequest) -> Callable[[Any], SynthesizedApp]:
    """``sfn_synthesize(x)``: x is an app factory (callable), an ``App``/``Stage`` or a ``Stack``."""
    state = _state(request.config)

    def synthesize(target: Any) -> SynthesizedApp:
        from constructs_sfn.testing.synthesis import synthesize as from_object

        if callable(target) and not hasattr(target, "node"):
            import inspect

            source = inspect.getsourcefile(target)
            return state.synthesis.get(target, source=Path(source) if source else None)
        return from_object(target)

    return synthesize


@pytest.fixture(scope="session")
def sfn_coverage(request: pytest.FixtureRequest) -> CoverageRecorder:
    """The session's workflow-coverage recorder (every ``sfn_runner`` and scenario file feeds it)."""
    return _state(request.config).coverage


@pytest.fixture
def sfn_runner(request: pytest.FixtureRequest) -> Callable[..., WorkflowRunner]:
    """``sfn_runner(machine, **options)``: a runner recorded for coverage (options: WorkflowRunner's)."""
    state = _state(request.config)

    def make(machine: StateMachineUnderTest, **options: Any) -> WorkflowRunner:
        return state.runner(machine, **options)

    return make


def _snapshot_fixture(kind: str, doc: str) -> Any:
    """A fixture: syrupy's ``snapshot`` with the toolkit's ``kind`` extension (syrupy stays optional)."""

    def fixture(request: pytest.FixtureRequest) -> Any:
        try:
            from constructs_sfn.testing.snapshots import snapshot_extensions
        except ImportError as error:
            raise pytest.UsageError(
                f"sfn_{kind} needs syrupy: pip install 'constructs-sfn[testing]' (or syrupy)"
            ) from error
        return request.getfixturevalue("snapshot").use_extension(snapshot_extensions()[kind])

    fixture.__doc__ = doc
    return pytest.fixture(name=f"sfn_{kind}")(fixture)


sfn_definition_snapshot = _snapshot_fixture(
    "definition_snapshot", "A definition as sorted, pretty JSON in its own snapshot file."
)
sfn_definition_yaml_snapshot = _snapshot_fixture(
    "definition_yaml_snapshot", "A definition as sorted YAML in its own snapshot file."
)
sfn_behaviour_snapshot = _snapshot_fixture(
    "behaviour_snapshot", "A scenario run's normalized behaviour (states, payloads, retries, outcome) as text."
)
sfn_template_snapshot = _snapshot_fixture(
    "template_snapshot", "A CloudFormation template with asset hashes and other churn scrubbed."
)


# -- scenario files -----------------------------------------------------------------------------


class ScenarioFileCollector(pytest.File):
    """A ``*.scenarios.yaml`` file: one :class:`ScenarioItem` per scenario."""

    def collect(self) -> Iterator[pytest.Item]:
        """Read the file; a malformed file is one failing item naming the problem."""
        from constructs_sfn.testing.scenarios import ScenarioError, load_scenarios

        try:
            loaded = load_scenarios(self.path)
        except ScenarioError as error:
            raise self.CollectError(str(error)) from None
        for scenario in loaded.scenarios:
            machine = scenario.state_machine or loaded.state_machine
            yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario, machine=machine)


class ScenarioItem(pytest.Item):
    """One scenario of a scenario file, run against the ``sfn_app`` app."""

    def __init__(self, *, scenario: Scenario, machine: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.machine = machine
        self.add_marker("sfn_scenario")

    def runtest(self) -> None:
        """Run the scenario; a difference fails with the scenario's report."""
        from constructs_sfn.testing.local_aws import LocalAws
        from constructs_sfn.testing.scenarios import run_scenario, scenario_runner

        if self.machine is None:
            raise ScenarioMismatchError(f"{self.scenario.source}: no state_machine given (in the file or the scenario)")
        state = _state(self.config)
        machine = state.configured_app().state_machine(self.machine)
        observer = state.coverage.observer_for(machine.name, machine.definition)
        aws = LocalAws()  # started by scenario_runner only when the scenario asks for local AWS
        try:
            result = run_scenario(scenario_runner(machine, self.scenario, aws=aws, observer=observer), self.scenario)
        finally:
            aws.stop()
        if not result.ok:
            message = result.report()
            graph_dir = self.config.getoption("sfn_graph_dir")
            if graph_dir:
                message += "\n" + _write_run_graph(Path(graph_dir), self.nodeid, result.run.execution)
            raise ScenarioMismatchError(message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The scenario's own report rather than a traceback."""
        if isinstance(excinfo.value, ScenarioMismatchError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the scenario is written."""
        return self.path, None, f"scenario {self.scenario.name}"


def _write_run_graph(directory: Path, nodeid: str, execution: Any) -> str:
    """Write the run's graph report; the line the failure report shows (never raises for dot or disk)."""
    import re

    from constructs_sfn.visual import LayoutError, graph_report

    target = directory / (re.sub(r"[^A-Za-z0-9._-]+", "-", nodeid).strip("-")[:150] + ".html")
    try:
        page = graph_report(execution.definition, execution.events, title=nodeid)
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except LayoutError as error:
        return f"  run graph not written: {error}"
    except OSError as error:
        return f"  run graph not written: {target}: {error.strerror or error}"
    return f"  run graph: {target}"


class ScenarioMismatchError(Exception):
    """A scenario that did not go as expected (reported without a traceback)."""
