"""Arbitrary bytes, text and JSON at every public entry point: only the documented errors escape.

- ``LocalStepFunctions`` operation methods: ``ClientError`` (AWS's codes) or ``ParamValidationError``;
- ``parse_definition``: ``DefinitionError``, or ``TypeError`` for a value that is no text/mapping;
- ``MockConfig.from_json`` / ``from_dict``: ``MockConfigError``;
- the CLI: exit status 0, 1 or 2, and for 2 exactly one ``constructs-sfn:`` line on stderr.

Bounded (``max_examples``) so the module runs in seconds. Deep inputs make the library raise
Python's recursion limit (see ``docs/local.md``, Limits); Hypothesis, which lowers it while a test
runs, warns that it cannot restore it, which is expected here.
"""

from __future__ import annotations

import contextlib
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constructs_sfn.asl import DefinitionError
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.cli import main
from constructs_sfn.integrations.errors import MockConfigError
from constructs_sfn.integrations.mock_config import MockConfig
from constructs_sfn.local import LocalStepFunctions

ROLE = "arn:aws:iam::123456789012:role/r"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
# Text near what parsers stumble on: deep nesting at the limit, long numbers, NaN, lone surrogates.
hostile_text = st.one_of(
    st.text(max_size=60),
    json_values.map(lambda value: json.dumps(value, allow_nan=True)),
    st.integers(995, 1005).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(995, 1005).map(lambda depth: '{"a":' * depth + "0" + "}" * depth),
    st.integers(990, 1010).map(lambda digits: "9" * digits),
    st.sampled_from(["NaN", "-Infinity", "1e400", '"\\ud800"', "\ud800", '{"a": 1e999}', "", "   "]),
)
hostile_bytes = st.one_of(st.binary(max_size=60), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")))


def _operations() -> list[str]:
    from botocore import xform_name

    from constructs_sfn.local.service_model import service_model

    names = {xform_name(name) for name in service_model().operation_names}
    return sorted(name for name in names if callable(getattr(LocalStepFunctions, name, None)))


OPERATIONS = _operations()
pytestmark = pytest.mark.filterwarnings(
    "ignore:The recursion limit will not be reset:hypothesis.errors.HypothesisWarning"
)


def _parameters(method_name: str) -> list[str]:
    method = getattr(LocalStepFunctions, method_name)
    return [name for name in inspect.signature(inspect.unwrap(method)).parameters if name != "self"]


def _client() -> tuple[LocalStepFunctions, str]:
    sfn = LocalStepFunctions()
    arn = sfn.create_state_machine(name="fuzz", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    return sfn, arn


@pytest.fixture(scope="module")
def client() -> tuple[LocalStepFunctions, str]:
    """A client the operations test may change in any way (it may delete the machine)."""
    return _client()


@pytest.fixture(scope="module")
def echo_client() -> tuple[LocalStepFunctions, str]:
    """A client with one Pass machine that nothing else touches."""
    return _client()


def test_every_operation_is_covered() -> None:
    assert {"start_execution", "send_task_success", "test_state", "create_state_machine"} <= set(OPERATIONS)
    assert len(OPERATIONS) >= 20


@BOUNDED
@given(data=st.data())
def test_client_operations_answer_with_aws_errors_only(client: tuple[LocalStepFunctions, str], data: Any) -> None:
    sfn, arn = client
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    names = _parameters(operation)
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)), label="parameters")
    kwargs: dict[str, Any] = {}
    for name in chosen:
        kwargs[name] = data.draw(
            st.one_of(hostile_text, json_values, st.just(arn), st.sampled_from(["STANDARD", "EXPRESS", 5, True])),
            label=name,
        )
    if data.draw(st.booleans(), label="unknown parameter"):
        kwargs["notAParameter"] = 1
    with contextlib.suppress(ClientError, ParamValidationError):
        getattr(sfn, operation)(**kwargs)


@BOUNDED
@given(text=hostile_text)
def test_execution_input(echo_client: tuple[LocalStepFunctions, str], text: str) -> None:
    sfn, arn = echo_client
    try:
        started = sfn.start_execution(stateMachineArn=arn, input=text)
    except ClientError as error:
        code = error.response["Error"]["Code"]
    else:
        code = None
    if code is not None:
        assert code == "InvalidExecutionInput"
        return
    described = sfn.describe_execution(executionArn=started["executionArn"])
    assert described["status"] == "SUCCEEDED", described


@BOUNDED
@given(definition=st.one_of(hostile_text, hostile_bytes, json_values))
def test_parse_definition_raises_definition_errors_only(definition: Any) -> None:
    try:
        parse_definition(definition)
    except DefinitionError:
        return
    except TypeError as error:
        message = str(error)
    else:
        return
    assert not isinstance(definition, str | bytes | dict)
    assert "definition must be" in message


@BOUNDED
@given(content=st.one_of(hostile_bytes, hostile_text))
def test_mock_config_text_raises_mock_config_errors_only(content: bytes | str) -> None:
    with contextlib.suppress(MockConfigError):
        MockConfig.from_json(content)


@BOUNDED
@given(data=json_values)
def test_mock_config_values_raise_mock_config_errors_only(data: Any) -> None:
    wrapped = {"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": data}}}}
    for value in (data, wrapped):
        with contextlib.suppress(MockConfigError):
            MockConfig.from_dict(value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(definition=hostile_bytes, input_text=hostile_text, command=st.sampled_from(["run", "validate"]))
def test_cli_answers_with_an_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], definition: bytes, input_text: str, command: str
) -> None:
    path = tmp_path / "definition.json"
    path.write_bytes(definition)
    argv = [command, str(path)] + (["--input", input_text, "--history"] if command == "run" else [])
    status = main(argv)
    captured = capsys.readouterr()
    assert status in (0, 1, 2)
    if status == 2:
        lines = captured.err.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("constructs-sfn: ")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=hostile_bytes, suffix=st.sampled_from([".yaml", ".json"]))
def test_cli_demo_answers_with_an_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, suffix: str
) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir(exist_ok=True)
    (out / "S.template.json").write_text('{"Resources": {}}')
    manifest = {
        "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / f"fuzz.scenarios{suffix}").write_bytes(content)
    status = main(["demo", "--cdk-out", str(out), "--scenarios", str(folder)])
    captured = capsys.readouterr()
    assert status == 2  # no scenario here can name a state machine of an empty template
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("constructs-sfn: ")
