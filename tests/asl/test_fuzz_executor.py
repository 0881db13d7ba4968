"""Robustness of the executor under random definitions and inputs (Hypothesis).

Random state graphs of every flow state type (plus Task through a deterministic fake service),
with random data-flow fields, Retry/Catch, nested Map/Parallel, both query languages, and some
deliberately broken definitions. The invariants:

* ``parse_definition`` returns a model or raises :class:`DefinitionError`, nothing else;
* ``Execution.run()`` never raises; every problem is a FAILED execution whose error is an ASL
  ``States.*`` name (or a Fail state's / the service's own error), and whose cause never carries the
  scheduler's "Internal executor error" marker (an executor bug that leaked);
* every finished execution has a well-formed history;
* the same definition, input and ``rng_seed`` give the same history (retry jitter, ``$random()``
  and Distributed Map run ids all come from the seeded generator);
* ``run_test_state`` on any state of a valid definition answers with a TestState status.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import constructs_sfn.asl.jsonata  # noqa: F401 - see the note below
from constructs_sfn.asl import DefinitionError, Execution, VirtualClock, parse_definition
from constructs_sfn.asl.model.states import StateMachineDefinition
from constructs_sfn.asl.services import TaskOutcome, TaskRequest
from constructs_sfn.local.teststate import run_test_state

# Importing the JSONata engine raises sys.setrecursionlimit (jsonata-python does it at import).
# Doing that here, before Hypothesis records the limit, keeps Hypothesis from failing the first
# example that happens to load the engine with "recursion limit changed during test execution".

FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INTERNAL_MARKER = "Internal executor error"
TERMINAL = {
    "SUCCEEDED": "ExecutionSucceeded",
    "FAILED": "ExecutionFailed",
    "TIMED_OUT": "ExecutionTimedOut",
    "ABORTED": "ExecutionAborted",
}
TEST_STATE_STATUSES = {"SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"}
FAIL_ERRORS = ["Fuzz.E1", "Fuzz.E2"]
SERVICE_ERRORS = ["Svc.Boom", "Svc.Other"]
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:fuzz"
CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
SERVICE = "arn:aws:states:::dynamodb:putItem"


def mostly(valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``valid`` most of the time, ``invalid`` about one time in sixteen.

    The rare branch is a middle roll: Hypothesis favours boundary values (0 and the maximum), so
    either of those would make the invalid branch the common one.
    """
    return st.integers(0, 15).flatmap(lambda roll: invalid if roll == 7 else valid)


# -- JSON values ---------------------------------------------------------------------------------
KEYS = st.sampled_from(["a", "b", "n", "items", "ts", "s"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=5)
    | st.floats(min_value=-10, max_value=10, allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "a*b", "2024-01-01T00:00:01Z", "E", "{}", "[1]"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=10,
)
# Inputs mostly carry the keys the generated paths look for, with plausible types, so executions
# get past their first state; arbitrary JSON covers the rest.
SHAPED_INPUTS = st.fixed_dictionaries(
    {},
    optional={
        "a": JSON,
        "b": JSON,
        "n": st.integers(min_value=-2, max_value=4) | SCALARS,
        "items": st.lists(st.integers(0, 3) | SCALARS, max_size=4),
        "s": st.sampled_from(["a*b", "eyJ4IjoxfQ==", '{"x": 1}', "plain"]),
        "ts": st.sampled_from(["2024-01-01T00:10:00Z", "2023-12-31T00:00:00+01:00", "not a time"]),
    },
)
INPUTS = mostly(SHAPED_INPUTS, JSON)


# -- JSONPath pieces -----------------------------------------------------------------------------
VALID_PATHS = st.sampled_from(
    [
        "$",
        "$.a",
        "$.b",
        "$.a.b",
        "$.items",
        "$.items[0]",
        "$.n",
        "$[0]",
        "$.missing",
        "$$.State.Name",
        "$$.Execution.Input",
        "$$.Map.Item.Value",
        "$.a[*]",
        "$..a",
        "$.items[?(@ > 1)]",
        "$v",
        "$v.a",
    ]
)
BAD_PATHS = st.sampled_from(["not a path", "$.", "", "$[", "$.a..", "$$$"])
PATHS = mostly(VALID_PATHS, BAD_PATHS)
REFERENCE_PATHS = mostly(
    st.sampled_from(["$", "$.r", "$.a.b", "$.items[0]", "$.n", "$.b"]), st.sampled_from(["$.a[*]", "$$.x", "$v", "bad"])
)
INTRINSICS = mostly(
    st.sampled_from(
        [
            "States.Format('{} and {}', $.a, $.n)",
            "States.ArrayLength($.items)",
            "States.MathAdd($.n, 1)",
            "States.JsonToString($)",
            "States.StringToJson($.s)",
            "States.Array($.a, $.b, 1)",
            "States.ArrayGetItem($.items, 0)",
            "States.Hash($.s, 'SHA-1')",
            "States.Base64Decode($.s)",
            "States.StringSplit($.s, '*')",
            "States.MathRandom(1, 3)",
            "States.UUID()",
            "States.ArrayRange(0, $.n, 1)",
            "States.JsonMerge($.a, $.b, false)",
            "States.ArrayContains($.items, 1)",
            "States.ArrayUnique($.items)",
            "States.ArrayPartition($.items, 2)",
        ]
    ),
    st.sampled_from(["States.Nope($.a)", "States.Format(", "States.MathAdd()"]),
)


@st.composite
def templates(draw: st.DrawFn) -> dict[str, Any]:
    """A Parameters/ResultSelector/ItemSelector/Assign payload template."""
    out: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(["k", "m", "p", "q"]), max_size=3, unique=True)):
        kind = draw(st.sampled_from(["path", "literal", "intrinsic", "nested"]))
        if kind == "path":
            out[f"{key}.$"] = draw(PATHS)
        elif kind == "intrinsic":
            out[f"{key}.$"] = draw(INTRINSICS)
        elif kind == "nested":
            out[key] = {"inner.$": draw(PATHS), "fixed": draw(SCALARS)}
        else:
            out[key] = draw(JSON)
    return out


# -- JSONata pieces ------------------------------------------------------------------------------
INPUT_EXPRESSIONS = [
    "{% $states.input %}",
    "{% $states.input.a %}",
    "{% $states.input.n + 1 %}",
    "{% $count($states.input.items) %}",
    "{% $states.context.State.Name %}",
    "{% $v %}",
    "{% $states.input.a.b.c %}",
    "{% $number('x') %}",
    "{% 1 / 0 %}",
    "{% [1, 2, 3] %}",
    "{% {'k': $states.input.n} %}",
    "{% $string($states.input) %}",
    "{% $uppercase($states.input.s) %}",
    "{% $random() %}",
    "plain text",
]
BAD_EXPRESSIONS = st.sampled_from(["{% ) %}", "{% $states.nope %}", "{% $ %}"])


def jsonata_values(*extra: str) -> st.SearchStrategy[Any]:
    """A JSONata-mode field value: an expression, or an object of expressions and literals."""
    expressions = mostly(st.sampled_from([*INPUT_EXPRESSIONS, *extra]), BAD_EXPRESSIONS)
    return expressions | st.dictionaries(st.sampled_from(["k", "m"]), expressions | SCALARS, max_size=2)


# -- states --------------------------------------------------------------------------------------
class Namer:
    """Unique state names across the whole definition (ASL requires it)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"S{self.count}"


@st.composite
def retriers(draw: st.DrawFn) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    names = ["States.TaskFailed", "States.Timeout", "States.Runtime", "States.NoChoiceMatched", *FAIL_ERRORS]
    for _ in range(draw(st.integers(0, 2))):
        retrier: dict[str, Any] = {
            "ErrorEquals": draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)),
            "IntervalSeconds": draw(st.integers(1, 3)),
            "MaxAttempts": draw(st.integers(0, 2)),
            "BackoffRate": draw(st.sampled_from([1.0, 1.5, 2.0])),
        }
        if draw(st.booleans()):
            retrier["MaxDelaySeconds"] = draw(st.integers(1, 5))
        if draw(st.booleans()):
            retrier["JitterStrategy"] = draw(st.sampled_from(["FULL", "NONE"]))
        out.append(retrier)
    if draw(st.booleans()):
        out.append({"ErrorEquals": ["States.ALL"], "MaxAttempts": draw(st.integers(0, 2)), "IntervalSeconds": 1})
    return out


@st.composite
def catchers(draw: st.DrawFn, targets: list[str], jsonata: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not targets:
        return out
    errors = ["States.TaskFailed", "States.Runtime", "States.DataLimitExceeded", "States.Timeout", *FAIL_ERRORS]
    for _ in range(draw(st.integers(0, 2))):
        catcher: dict[str, Any] = {
            "ErrorEquals": draw(st.lists(st.sampled_from(errors), min_size=1, max_size=2, unique=True)),
            "Next": draw(st.sampled_from(targets)),
        }
        if jsonata:
            if draw(st.booleans()):
                catcher["Output"] = draw(jsonata_values("{% $states.errorOutput %}"))
        elif draw(st.booleans()):
            catcher["ResultPath"] = draw(st.none() | REFERENCE_PATHS)
        if draw(st.booleans()):
            catcher["Assign"] = (
                {"v": draw(jsonata_values("{% $states.errorOutput.Error %}"))} if jsonata else draw(templates())
            )
        out.append(catcher)
    if draw(st.booleans()):
        out.append({"ErrorEquals": ["States.ALL"], "Next": draw(st.sampled_from(targets))})
    return out


@st.composite
def choice_rule(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    if depth < 1 and draw(st.integers(0, 4)) == 0:
        combinator = draw(st.sampled_from(["And", "Or", "Not"]))
        if combinator == "Not":
            return {"Not": draw(choice_rule(depth + 1))}
        return {combinator: draw(st.lists(choice_rule(depth + 1), min_size=1, max_size=2))}
    operator, operand = draw(
        mostly(
            st.sampled_from(
                [
                    ("NumericEquals", 1),
                    ("NumericGreaterThan", 0),
                    ("NumericLessThanEquals", 2.5),
                    ("StringEquals", "x"),
                    ("StringMatches", "a*"),
                    ("BooleanEquals", True),
                    ("IsPresent", True),
                    ("IsNull", False),
                    ("IsNumeric", True),
                    ("IsString", True),
                    ("TimestampLessThan", "2024-06-01T00:00:00Z"),
                    ("NumericEqualsPath", "$.n"),
                    ("StringEqualsPath", "$.missing"),
                ]
            ),
            st.sampled_from([("NumericEquals", "not a number"), ("NoSuchOperator", 1)]),
        )
    )
    variable = draw(mostly(st.sampled_from(["$", "$.a", "$.n", "$.s", "$.ts", "$.items[0]", "$v", "$.missing"]), PATHS))
    return {"Variable": variable, operator: operand}


TERMINAL_KINDS = ["Succeed", "Fail"]
FLOW_KINDS = ["Pass", "Wait", "Task", "Choice"]
NESTING_KINDS = ["Map", "Parallel"]


@st.composite
def state(draw: st.DrawFn, namer: Namer, later: list[str], jsonata: bool, depth: int) -> dict[str, Any]:
    """One state in a chain: it goes on to ``later[0]`` (so every state is reachable) or ends.

    Choice rules and catchers may jump to any later state; nothing ever jumps back, so every
    execution terminates.
    """
    kinds = [*FLOW_KINDS, *(NESTING_KINDS if depth < 2 else [])]
    if later:
        kind = draw(st.sampled_from(kinds))
    else:
        kind = draw(st.sampled_from([k for k in kinds if k != "Choice"] + TERMINAL_KINDS))
    doc: dict[str, Any] = {"Type": kind}
    if kind not in ("Succeed", "Fail", "Choice"):
        if later:
            doc["Next"] = later[0]
        else:
            doc["End"] = True
    if jsonata:
        if kind in ("Task", "Parallel") and draw(st.booleans()):
            doc["Arguments"] = draw(jsonata_values())
        if kind in ("Task", "Map", "Parallel") and draw(st.integers(0, 2)) == 0:
            doc["Output"] = draw(jsonata_values("{% $states.result %}"))
        elif kind != "Fail" and draw(st.integers(0, 3)) == 0:
            doc["Output"] = draw(jsonata_values())
        if kind not in ("Succeed", "Fail") and draw(st.integers(0, 2)) == 0:
            doc["Assign"] = {"v": draw(jsonata_values())}
    else:
        if kind != "Fail" and draw(st.integers(0, 2)) == 0:
            doc["InputPath"] = draw(st.none() | PATHS)
        if kind in ("Pass", "Task", "Map", "Parallel") and draw(st.integers(0, 2)) == 0:
            doc["ResultPath"] = draw(st.none() | REFERENCE_PATHS)
        if kind != "Fail" and draw(st.integers(0, 3)) == 0:
            doc["OutputPath"] = draw(st.none() | PATHS)
        if kind in ("Pass", "Task", "Parallel") and draw(st.integers(0, 2)) == 0:
            doc["Parameters"] = draw(templates())
        if kind in ("Task", "Map", "Parallel") and draw(st.integers(0, 3)) == 0:
            doc["ResultSelector"] = draw(templates())
        if kind not in ("Succeed", "Fail") and draw(st.integers(0, 3)) == 0:
            doc["Assign"] = draw(templates())
        if kind == "Pass" and draw(st.booleans()):
            doc["Result"] = draw(JSON)
    if kind in ("Task", "Map", "Parallel"):
        if draw(st.booleans()):
            doc["Retry"] = draw(retriers())
        if draw(st.booleans()):
            doc["Catch"] = draw(catchers(later, jsonata))
    if kind == "Wait":
        form = draw(st.sampled_from(["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]))
        if jsonata:
            doc[form.removesuffix("Path")] = draw(
                st.sampled_from(["{% $states.input.n %}", "{% $states.input.ts %}", "{% 2 %}"])
            )
        elif form == "Seconds":
            doc[form] = draw(st.integers(0, 3600))
        elif form == "Timestamp":
            doc[form] = draw(st.sampled_from(["2024-01-01T01:00:00Z", "2023-01-01T00:00:00Z"]))
        else:
            doc[form] = draw(st.sampled_from(["$.n", "$.ts", "$.missing", "$.a"]))
    elif kind == "Fail":
        if jsonata:
            doc["Error"] = draw(st.sampled_from([*FAIL_ERRORS, "{% 'Fuzz.' & 'E3' %}", "{% $states.input.n %}"]))
            if draw(st.booleans()):
                doc["Cause"] = draw(st.sampled_from(INPUT_EXPRESSIONS))
        else:
            if draw(st.booleans()):
                doc["Error"] = draw(st.sampled_from(FAIL_ERRORS))
            elif draw(st.booleans()):
                doc["ErrorPath"] = draw(
                    st.sampled_from(["$.s", "$.missing", "$$.State.Name", "States.Format('x{}', $.n)"])
                )
            if draw(st.booleans()):
                doc["Cause"] = "fuzzed"
    elif kind == "Choice":
        if jsonata:
            conditions = st.sampled_from(
                ["{% $states.input.n > 1 %}", "{% $exists($states.input.a) %}", "{% $states.input.a %}", "{% true %}"]
            )
            rules = [{"Condition": draw(conditions)} for _ in range(draw(st.integers(1, 2)))]
        else:
            rules = draw(st.lists(choice_rule(), min_size=1, max_size=2))
        for rule in rules:
            rule["Next"] = draw(st.sampled_from(later))
        doc["Choices"] = rules
        # The chain goes on through Default (or, without one, through the first rule).
        if draw(st.integers(0, 3)):
            doc["Default"] = later[0]
        else:
            rules[0]["Next"] = later[0]
    elif kind == "Task":
        resource = draw(st.sampled_from([LAMBDA, SERVICE, CALLBACK]))
        doc["Resource"] = resource
        if resource == CALLBACK or draw(st.booleans()):
            doc["TimeoutSeconds"] = draw(st.integers(20, 100))
        if draw(st.integers(0, 3)) == 0:
            doc["HeartbeatSeconds"] = draw(st.integers(1, 10))
    elif kind == "Map":
        doc["ItemProcessor"] = draw(machines(namer, jsonata, depth + 1))
        if draw(st.integers(0, 4)) == 0:
            doc["ItemProcessor"]["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
            if draw(st.booleans()):
                doc["ToleratedFailureCount"] = draw(st.integers(0, 2))
        doc["MaxConcurrency"] = draw(st.integers(0, 3))
        if jsonata:
            doc["Items"] = draw(
                mostly(st.sampled_from(["{% $states.input.items %}", "{% [1, 2] %}"]), st.just("{% $states.input %}"))
            )
            if draw(st.booleans()):
                doc["ItemSelector"] = {"value": "{% $states.context.Map.Item.Value %}"}
        else:
            doc["ItemsPath"] = draw(mostly(st.just("$.items"), st.sampled_from(["$", "$.a", "$.missing"])))
            if draw(st.booleans()):
                doc["ItemSelector"] = draw(templates())
    elif kind == "Parallel":
        doc["Branches"] = [draw(machines(namer, jsonata, depth + 1)) for _ in range(draw(st.integers(1, 3)))]
    return doc


@st.composite
def machines(draw: st.DrawFn, namer: Namer, jsonata: bool, depth: int = 0) -> dict[str, Any]:
    names = [namer() for _ in range(draw(st.integers(2, 5) if depth == 0 else st.integers(1, 2)))]
    states = {}
    for index, name in enumerate(names):
        states[name] = draw(state(namer, names[index + 1 :], jsonata, depth))
    return {"StartAt": names[0], "States": states}


MUTATIONS: list[Callable[[dict[str, Any], str], None]] = [
    lambda doc, name: doc["States"][name].update(Type="Bogus"),
    lambda doc, name: doc["States"][name].update(Next="Nowhere"),
    lambda doc, name: doc["States"][name].update(UnknownField=1),
    lambda doc, name: doc["States"][name].pop("Type", None),
    lambda doc, name: doc["States"][name].update(End=True, Next=name),
    lambda doc, name: doc["States"][name].update(Retry=[{"ErrorEquals": ["States.ALL", "E"], "MaxAttempts": -1}]),
    lambda doc, name: doc["States"][name].update(Seconds="soon", Type="Wait"),
    lambda doc, name: doc["States"][name].update(InputPath=5),
    lambda doc, name: doc["States"][name].update(Parameters={"a.$": "States.Format("}),
    lambda doc, name: doc["States"][name].update(HeartbeatSeconds=500, TimeoutSeconds=5),
    lambda doc, name: doc["States"][name].update(Choices=[]),
    lambda doc, name: doc.update(StartAt="Missing"),
    lambda doc, name: doc.update(States={}),
    lambda doc, name: doc.update(TimeoutSeconds="x"),
]


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    """A random definition document (about one in eight deliberately broken)."""
    jsonata = draw(st.integers(0, 3)) == 2  # a middle value: see mostly()
    doc = draw(machines(Namer(), jsonata))
    if jsonata:
        doc["QueryLanguage"] = "JSONata"
    if draw(st.integers(0, 5)) == 0:
        doc["TimeoutSeconds"] = draw(st.integers(1, 5000))
    if draw(st.integers(0, 7)) == 3:  # a middle value: see mostly()
        mutate = draw(st.sampled_from(MUTATIONS))
        mutate(doc, draw(st.sampled_from(sorted(doc["States"]))))
    return doc


# -- the fake service ----------------------------------------------------------------------------
class FuzzService:
    """Deterministic answers derived from the request, covering every outcome shape."""

    def invoke(self, request: TaskRequest) -> TaskOutcome:
        text = json.dumps([request.state_name, request.parameters, request.attempt], sort_keys=True, default=str)
        roll = zlib.crc32(text.encode()) % 10
        if roll == 0:
            return TaskOutcome.failure(SERVICE_ERRORS[request.attempt % 2], "fuzzed failure")
        if roll == 1 and request.timeout_seconds is not None:
            return TaskOutcome.never()
        if roll == 2:
            return TaskOutcome.success({"slow": True}, duration=50)
        if roll == 3:
            return TaskOutcome(output={"beats": 1}, duration=30, heartbeat_gaps=(4, 12))
        if roll == 4:
            raise RuntimeError("service bug")
        return TaskOutcome.success({"echo": request.parameters, "n": roll})


# -- checks --------------------------------------------------------------------------------------
def parse_or_none(doc: dict[str, Any]) -> StateMachineDefinition | None:
    """The parsed model, or None when the definition is (legitimately) rejected."""
    try:
        model = parse_definition(doc)
    except DefinitionError as error:
        event(f"rejected: {error.code}")
        return None
    event("parsed")
    return model


def allowed_error(doc: dict[str, Any], error: str | None) -> bool:
    """An execution may fail with States.*, a Fail state's or the service's error."""
    text = json.dumps(doc)
    if error is None:
        return '"Type": "Fail"' in text
    if error.startswith("States.") or error in FAIL_ERRORS or error in SERVICE_ERRORS or error == "Fuzz.E3":
        return True
    # ErrorPath / JSONata Error can raise any string found in the input.
    return "ErrorPath" in text or "$states.input.n" in text


def check_history(execution: Execution) -> None:
    events = execution.events
    assert events[0]["type"] == "ExecutionStarted"
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    for entry in events:
        assert 0 <= entry["previousEventId"] < entry["id"]
        for key, value in entry.items():
            if key.endswith("EventDetails"):
                for field in ("input", "output"):
                    if field in value:
                        json.loads(value[field])
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)
    assert events[-1]["type"] == TERMINAL[execution.status]


def run_to_the_end(definition: StateMachineDefinition, input_value: Any) -> Execution:
    execution = Execution(definition, input_value, services=FuzzService(), clock=VirtualClock.fixed(), rng_seed=1)
    execution.run()
    if execution.status == "RUNNING":
        # Only callbacks (which always carry TimeoutSeconds here) can pause: let them time out.
        execution.advance_clock(10**6)
    return execution


@FUZZ_SETTINGS
@given(doc=definitions())
def test_parse_definition_returns_a_model_or_raises_definition_error(doc: dict[str, Any]) -> None:
    model = parse_or_none(doc)

    assert model is None or isinstance(model, StateMachineDefinition)


TOP_LEVEL_KEYS = st.sampled_from(["StartAt", "States", "QueryLanguage", "TimeoutSeconds", "Comment", "Version", "S1"])
JUNK_DOCUMENTS = st.recursive(
    SCALARS, lambda children: st.lists(children, max_size=3) | st.dictionaries(TOP_LEVEL_KEYS, children, max_size=4)
)


@FUZZ_SETTINGS
@given(text=st.text() | JUNK_DOCUMENTS.map(json.dumps) | st.sampled_from(["StartAt: A\nStates: {}", "- 1", "{"]))
def test_any_definition_text_parses_or_raises_definition_error(text: str) -> None:
    try:
        model = parse_definition(text)
    except DefinitionError:
        return
    assert isinstance(model, StateMachineDefinition)


@FUZZ_SETTINGS
@given(doc=st.dictionaries(TOP_LEVEL_KEYS, JUNK_DOCUMENTS, max_size=4))
def test_any_definition_object_parses_or_raises_definition_error(doc: dict[str, Any]) -> None:
    try:
        model = parse_definition(doc)
    except DefinitionError:
        return
    assert isinstance(model, StateMachineDefinition)


@FUZZ_SETTINGS
@given(data=st.binary())
def test_any_definition_bytes_parse_or_raise_definition_error(data: bytes) -> None:
    try:
        model = parse_definition(data)
    except DefinitionError:
        return
    assert isinstance(model, StateMachineDefinition)


@FUZZ_SETTINGS
@given(doc=definitions(), input_value=INPUTS)
def test_executions_never_raise_and_fail_only_with_asl_errors(doc: dict[str, Any], input_value: Any) -> None:
    definition = parse_or_none(doc)
    if definition is None:
        return

    execution = run_to_the_end(definition, input_value)

    event(f"status: {execution.status} {execution.error or ''}")
    entered = sum(1 for e in execution.events if e["type"].endswith("StateEntered"))
    event(f"states entered: {min(entered, 5)}{'+' if entered >= 5 else ''}")
    assert execution.status in TERMINAL, execution.status
    assert not (execution.cause or "").startswith(INTERNAL_MARKER), execution.cause
    if execution.status == "SUCCEEDED":
        assert execution.output_text is not None
        assert json.loads(execution.output_text) == json.loads(json.dumps(execution.output))
    elif execution.status == "FAILED":
        assert allowed_error(doc, execution.error), (execution.error, execution.cause)
    check_history(execution)
    assert execution.tokens == {}


@settings(FUZZ_SETTINGS, max_examples=100)  # each example runs twice
@given(doc=definitions(), input_value=INPUTS)
def test_the_same_seed_gives_the_same_history(doc: dict[str, Any], input_value: Any) -> None:
    definition = parse_or_none(doc)
    if definition is None:
        return

    first = run_to_the_end(definition, input_value)
    second = run_to_the_end(definition, input_value)

    assert (second.status, second.error, second.cause) == (first.status, first.error, first.cause)
    assert second.events == first.events


@FUZZ_SETTINGS
@given(doc=definitions(), input_value=INPUTS, data=st.data())
def test_test_state_answers_with_a_test_state_status(doc: dict[str, Any], input_value: Any, data: Any) -> None:
    if parse_or_none(doc) is None:
        return
    name = data.draw(st.sampled_from(sorted(doc["States"])))
    state_doc = doc["States"][name]
    mock = data.draw(
        st.none()
        | st.just({"result": '{"mocked": true}'})
        | st.just({"errorOutput": {"error": "Fuzz.E1", "cause": "mocked"}})
    )
    options: dict[str, Any] = {"mock": mock} if mock and state_doc["Type"] in ("Task", "Map", "Parallel") else {}
    options["state_configuration"] = data.draw(
        st.none() | st.just({"retrierRetryCount": 1}) | st.just({"mapIterationFailureCount": 1})
    )
    if data.draw(st.booleans()):
        # TestState also takes the bare state document.
        definition: dict[str, Any] = {**state_doc, **({"QueryLanguage": "JSONata"} if "QueryLanguage" in doc else {})}
        state_name = None
    else:
        definition, state_name = doc, name

    try:
        response = run_test_state(
            definition=definition,
            state_name=state_name,
            input_value=input_value,
            inspection_level=data.draw(st.sampled_from(["INFO", "DEBUG", "TRACE"])),
            services=FuzzService(),
            **options,
        )
    except DefinitionError:
        return

    assert response["status"] in TEST_STATE_STATUSES, response
    assert not str(response.get("cause", "")).startswith(INTERNAL_MARKER), response
    if response["status"] in ("SUCCEEDED", "CAUGHT_ERROR"):
        json.loads(response["output"])
    else:
        assert "error" in response
