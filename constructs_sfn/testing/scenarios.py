"""Named scenarios: "given this input and these task results, this happens".

In Python::

    Scenario(
        name="card-declined",
        input={"orderId": "o-1"},
        tasks={"Charge": [Throw("Payment.Declined", "card expired")]},
        expect=Expectation(status="FAILED", error="Saga.Compensated", path=["Reserve", "Charge", "Release"]),
    )

or in a YAML/JSON file next to the test (``load_scenarios("checkout.scenarios.yaml")``)::

    state_machine: Orders/Checkout
    scenarios:
      - name: card-declined
        input: {orderId: o-1}
        tasks:
          Charge: [{throw: {error: Payment.Declined, cause: card expired}}]
        expect: {status: FAILED, error: Saga.Compensated}

``tasks`` gives the results of Task states by state name, consumed one per invocation (each retry
and loop counts), with Step Functions Local's mock semantics: a ``.waitForTaskToken`` task's mocked
result stands for the callback, and Tasks not listed run through the runner's bindings. ``steps``
act on a paused execution (``advance_seconds``, ``send_task_success``, ``send_task_failure``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.parse.json_text import JsonDecodeError, decode_json_text
from constructs_sfn.asl.parse.yaml_text import NotYamlMappingError, load_yaml_document
from constructs_sfn.asl.runtime import to_json_text
from constructs_sfn.integrations import MockConfig, Return, Throw
from constructs_sfn.testing.runner import ScenarioRun, WorkflowRunner

if TYPE_CHECKING:
    from constructs_sfn.testing.definitions import StateMachineUnderTest
    from constructs_sfn.testing.local_aws import LocalAws

__all__ = [
    "Expectation",
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioResult",
    "Step",
    "TaskResult",
    "load_scenarios",
    "run_scenario",
    "scenario_runner",
]

TaskResult = Return | Throw
"""One invocation's result of a Task state: ``Return(value)`` or ``Throw(error, cause)``."""

_STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING")


class ScenarioError(Exception):
    """A scenario file or object that is malformed; the message names the file and key path."""


@dataclass(frozen=True)
class Step:
    """Something done to a paused execution: let time pass, or answer its task token."""

    advance_seconds: float | None = None
    send_task_success: Any = None
    send_task_failure: Mapping[str, str] | None = None

    def apply(self, run: ScenarioRun) -> None:
        """Do it."""
        if self.advance_seconds is not None:
            run.runner.advance_clock(self.advance_seconds)
        elif self.send_task_failure is not None:
            run.send_task_failure(
                str(self.send_task_failure.get("error", "")), str(self.send_task_failure.get("cause", ""))
            )
        else:
            run.send_task_success(self.send_task_success)


@dataclass(frozen=True)
class Expectation:
    """What must have happened; every field left as None is not checked."""

    status: str | None = None
    output: Any = None
    """The exact output (compared as JSON values)."""
    output_includes: Mapping[str, Any] | None = None
    """Keys (dotted paths allowed: ``order.total``) the output must hold, with these values."""
    error: str | None = None
    cause_includes: str | None = None
    path: Sequence[str] | None = None
    """The exact sequence of states entered."""
    visits: Sequence[str] | None = None
    """States that must be entered (in this order, others may come between)."""
    skips: Sequence[str] | None = None
    """States that must never be entered."""

    def failures(self, run: ScenarioRun) -> list[str]:
        """What differs, as readable lines (empty when everything holds)."""
        found: list[str] = []
        if self.status is not None and run.status != self.status:
            found.append(f"status: expected {self.status}, got {run.status}")
        if self.error is not None and run.error != self.error:
            found.append(f"error: expected {self.error}, got {run.error or 'no error'}")
        if self.cause_includes is not None and self.cause_includes not in (run.cause or ""):
            got = "no cause" if run.cause is None else run.cause  # the cause as the text it is, not a repr
            found.append(f"cause: expected to include {to_json_text(self.cause_includes)}, got {got}")
        if self.output is not None and _canonical(run.output) != _canonical(self.output):
            found.append(f"output: expected {to_json_text(self.output)}, got {to_json_text(run.output)}")
        for key, value in (self.output_includes or {}).items():
            present, actual = _dig(run.output, key)
            if not present:
                found.append(f"output.{key}: expected {to_json_text(value)}, but the output has no {key!r}")
            elif _canonical(actual) != _canonical(value):
                found.append(f"output.{key}: expected {to_json_text(value)}, got {to_json_text(actual)}")
        entered = run.states_entered
        if self.path is not None and list(self.path) != entered:
            found.append(f"path: expected {' -> '.join(self.path)}, got {' -> '.join(entered) or '(none)'}")
        if self.visits is not None:
            missing = _first_missing_in_order(self.visits, entered)
            if missing is not None:
                found.append(f"visits: expected {missing!r} (in order {list(self.visits)}), never reached in order")
        found.extend(f"skips: {state!r} must not be entered, but was" for state in self.skips or () if state in entered)
        return found


@dataclass(frozen=True)
class Scenario:
    """One named scenario of one state machine."""

    name: str
    input: Any = None
    tasks: Mapping[str, TaskResult | Sequence[TaskResult]] = field(default_factory=dict)
    expect: Expectation = field(default_factory=Expectation)
    steps: Sequence[Step] = ()
    state_machine: str | None = None
    """The state machine's construct path or id; Default: - the file's or the caller's."""
    local_aws: bool = False
    """Run against real AWS APIs on a moto server (:class:`~constructs_sfn.testing.local_aws.LocalAws`):
    the buckets, queues, topics and tables the definition uses are created there. Default: False
    (True when ``objects`` is given)."""
    objects: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """S3 objects to put first: bucket construct path -> {key: content}."""

    @property
    def uses_local_aws(self) -> bool:
        """Whether the scenario runs against local AWS (asked for, or implied by ``objects``)."""
        return self.local_aws or bool(self.objects)

    description: str = ""
    source: str = ""
    """Where the scenario was written (``file.yaml: scenarios[2]``), for messages."""


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's run and how it compares with its expectation."""

    scenario: Scenario
    run: ScenarioRun
    failures: list[str]

    @property
    def ok(self) -> bool:
        """Whether everything expected happened."""
        return not self.failures

    def report(self) -> str:
        """A readable account: which scenario, what differs, where the execution went."""
        where = f" ({self.scenario.source})" if self.scenario.source else ""
        head = f"scenario {self.scenario.name!r} of {self.run.runner.machine.name}{where}"
        if self.ok:
            return f"{head}: as expected ({self.run.status})"
        lines = [f"{head}: not as expected", *(f"  - {line}" for line in self.failures)]
        lines.append(f"  path so far: {' -> '.join(self.run.states_entered) or '(none)'}")
        if self.run.error is not None:
            cause = f": {self.run.cause}" if self.run.cause else ""
            lines.append(f"  execution error: {self.run.error}{cause}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ScenarioFile:
    """The scenarios of one file, and the state machine they default to."""

    path: Path
    state_machine: str | None
    scenarios: list[Scenario]


def scenario_runner(
    machine: StateMachineUnderTest, scenario: Scenario, *, aws: LocalAws | None = None, **options: Any
) -> WorkflowRunner:
    """A runner for ``scenario``: with its AWS resources on ``aws`` when it asks for local AWS.

    ``aws`` is started if it is not yet, and reset: each scenario starts from nothing but its own
    buckets, queues, topics, tables and objects (moto keeps its state per process, so without the
    reset an earlier scenario's objects would still be there). The caller stops it.
    """
    if scenario.uses_local_aws:
        if aws is None:
            raise ScenarioError(f"{scenario.source or scenario.name}: needs local AWS (a LocalAws), none was given")
        if aws.endpoint_url is None:
            aws.start()
        aws.reset()
        return aws.runner(machine, objects=scenario.objects, **options)
    return machine.runner(**options)


def run_scenario(runner: WorkflowRunner, scenario: Scenario) -> ScenarioResult:
    """Run ``scenario`` on ``runner`` (its task results as a mock test case) and compare."""
    test_case: str | None = None
    if scenario.tasks:
        test_case = scenario.name
        config = MockConfig.build({runner.state_machine_name: {test_case: dict(scenario.tasks)}})
        runner.services.use_mock_config(config)
    else:
        runner.services.use_mock_config(None)
    run = runner.run(scenario.input, name=_execution_name(scenario.name), test_case=test_case)
    for step in scenario.steps:
        step.apply(run)
    return ScenarioResult(scenario, run, scenario.expect.failures(run))


def load_scenarios(path: str | Path) -> ScenarioFile:
    """Read a scenario file (``.yaml``/``.yml``/``.json``); errors name the file and key path."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{file}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ScenarioError(f"{file}: not UTF-8 text (byte {error.start})") from error
    data = _parse(file, text)
    if isinstance(data, list):
        data = {"scenarios": data}
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{file}: expected a mapping with 'scenarios' (or a list of scenarios)")
    _only(file, "", data, {"state_machine", "scenarios"})
    default_machine = _optional_str(file, "state_machine", data.get("state_machine"))
    raw = data.get("scenarios")
    if not isinstance(raw, list) or not raw:
        raise ScenarioError(f"{file}: scenarios: expected a non-empty list")
    scenarios = [_scenario(file, f"scenarios[{index}]", item) for index, item in enumerate(raw)]
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScenarioError(f"{file}: scenarios: names must be unique, repeated: {', '.join(duplicates)}")
    return ScenarioFile(file, default_machine, scenarios)


# -- parsing ------------------------------------------------------------------------------------


def _parse(file: Path, text: str) -> Any:
    """The file's value by the rules of every JSON/YAML reader of the package: Jackson's limits
    for JSON, bounded aliases and nesting for YAML."""
    if file.suffix == ".json":
        try:
            return decode_json_text(text)
        except JsonDecodeError as error:
            where = f" (line {error.syntax.line}, column {error.syntax.column})" if error.syntax else ""
            raise ScenarioError(f"{file}: not JSON{where}: {error.message}") from error
    try:
        return load_yaml_document(text, what="scenario file")
    except DefinitionError as error:  # an alias that explodes or contains itself, too deep
        raise ScenarioError(f"{file}: {error.message}") from error
    except NotYamlMappingError as error:
        problem = error.__cause__ or error  # PyYAML's own error
        mark = getattr(problem, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ScenarioError(f"{file}: not YAML{where}: {getattr(problem, 'problem', problem)}") from error


def _only(file: Path, where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        prefix = f"{where}: " if where else ""
        raise ScenarioError(
            f"{file}: {prefix}unknown key {unknown[0]!r}; expected one of: {', '.join(sorted(allowed))}"
        )


def _optional_str(file: Path, where: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ScenarioError(f"{file}: {where}: expected a string, got {type(value).__name__}")


def _strings(file: Path, where: str, value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScenarioError(f"{file}: {where}: expected a list of state names")
    return value


def _scenario(file: Path, where: str, item: Any) -> Scenario:
    if not isinstance(item, Mapping):
        raise ScenarioError(f"{file}: {where}: expected a mapping")
    _only(
        file,
        where,
        item,
        {"name", "description", "input", "tasks", "expect", "steps", "state_machine", "local_aws", "objects"},
    )
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{file}: {where}.name: expected a non-empty string")
    tasks_raw = item.get("tasks") or {}
    if not isinstance(tasks_raw, Mapping):
        raise ScenarioError(f"{file}: {where}.tasks: expected a mapping of state name -> results")
    tasks = {str(state): _task_results(file, f"{where}.tasks.{state}", results) for state, results in tasks_raw.items()}
    objects = item.get("objects") or {}
    if not isinstance(objects, Mapping) or not all(isinstance(v, Mapping) for v in objects.values()):
        raise ScenarioError(f"{file}: {where}.objects: expected bucket construct path -> {{key: content}}")
    local_aws = item.get("local_aws", bool(objects))
    if not isinstance(local_aws, bool):
        raise ScenarioError(f"{file}: {where}.local_aws: expected true or false")
    steps_raw = item.get("steps") or []
    if not isinstance(steps_raw, list):
        raise ScenarioError(f"{file}: {where}.steps: expected a list")
    return Scenario(
        name=name,
        description=str(item.get("description") or ""),
        input=item.get("input"),
        tasks=tasks,
        expect=_expectation(file, f"{where}.expect", item.get("expect") or {}),
        steps=[_step(file, f"{where}.steps[{i}]", step) for i, step in enumerate(steps_raw)],
        state_machine=_optional_str(file, f"{where}.state_machine", item.get("state_machine")),
        local_aws=local_aws,
        objects={str(bucket): dict(contents) for bucket, contents in objects.items()},
        source=f"{file.name}: {where}",
    )


def _task_results(file: Path, where: str, value: Any) -> list[TaskResult]:
    items = value if isinstance(value, list) else [value]
    results: list[TaskResult] = []
    for index, entry in enumerate(items):
        at = f"{where}[{index}]"
        kinds = [key for key in (entry if isinstance(entry, Mapping) else ()) if key in ("return", "throw")]
        if not isinstance(entry, Mapping) or len(kinds) != 1 or not set(entry) <= {"return", "throw", "times"}:
            raise ScenarioError(
                f"{file}: {at}: expected {{return: <result>}} or {{throw: {{error, cause}}}}, optionally with times: N"
            )
        times = entry.get("times", 1)
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ScenarioError(f"{file}: {at}.times: expected a whole number >= 1")
        kind, body = kinds[0], entry[kinds[0]]
        if kind == "return":
            results.append(Return(body, times=times))
            continue
        if not isinstance(body, Mapping) or not isinstance(body.get("error"), str):
            raise ScenarioError(f"{file}: {at}.throw: expected a mapping with an 'error' string")
        _only(file, f"{at}.throw", body, {"error", "cause"})
        cause = body.get("cause")
        results.append(Throw(body["error"], None if cause is None else str(cause), times=times))
    if not results:
        raise ScenarioError(f"{file}: {where}: expected at least one result")
    return results


def _expectation(file: Path, where: str, value: Any) -> Expectation:
    if not isinstance(value, Mapping):
        raise ScenarioError(f"{file}: {where}: expected a mapping")
    _only(
        file,
        where,
        value,
        {"status", "output", "output_includes", "error", "cause_includes", "path", "visits", "skips"},
    )
    status = value.get("status")
    if status is not None and status not in _STATUSES:
        raise ScenarioError(f"{file}: {where}.status: expected one of {', '.join(_STATUSES)}, got {status!r}")
    includes = value.get("output_includes")
    if includes is not None and not isinstance(includes, Mapping):
        raise ScenarioError(f"{file}: {where}.output_includes: expected a mapping")
    return Expectation(
        status=status,
        output=value.get("output"),
        output_includes=includes,
        error=_optional_str(file, f"{where}.error", value.get("error")),
        cause_includes=_optional_str(file, f"{where}.cause_includes", value.get("cause_includes")),
        path=_strings(file, f"{where}.path", value.get("path")),
        visits=_strings(file, f"{where}.visits", value.get("visits")),
        skips=_strings(file, f"{where}.skips", value.get("skips")),
    )


def _step(file: Path, where: str, value: Any) -> Step:
    if not isinstance(value, Mapping) or len(value) != 1:
        raise ScenarioError(f"{file}: {where}: expected one of advance_seconds, send_task_success, send_task_failure")
    ((kind, body),) = value.items()
    if kind == "advance_seconds":
        if isinstance(body, bool) or not isinstance(body, int | float) or body < 0:
            raise ScenarioError(f"{file}: {where}.advance_seconds: expected a number of seconds >= 0")
        return Step(advance_seconds=float(body))
    if kind == "send_task_success":
        return Step(send_task_success=body)
    if kind == "send_task_failure":
        if not isinstance(body, Mapping) or not isinstance(body.get("error"), str):
            raise ScenarioError(f"{file}: {where}.send_task_failure: expected a mapping with an 'error' string")
        return Step(send_task_failure={str(k): str(v) for k, v in body.items()})
    raise ScenarioError(f"{file}: {where}: unknown step {kind!r}")


# -- comparison ---------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _dig(value: Any, dotted: str) -> tuple[bool, Any]:
    current = value
    for part in dotted.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return False, None
    return True, current


def _first_missing_in_order(wanted: Sequence[str], entered: Sequence[str]) -> str | None:
    position = 0
    for state in wanted:
        try:
            position = list(entered).index(state, position) + 1
        except ValueError:
            return state
    return None


def _execution_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)
    return cleaned[:80] or "scenario"
