from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.integrations import MockConfig, MockConfigError, Return, Throw

# The example of the Step Functions Local documentation, in the file's format.
DOC_EXAMPLE: dict[str, Any] = {
    "StateMachines": {
        "LambdaSQSIntegration": {
            "TestCases": {
                "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
                "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
                "HybridPath": {"LambdaState": "MockedLambdaSuccess"},
            }
        }
    },
    "MockedResponses": {
        "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "hello"}}}},
        "LambdaMockedResourceNotReady": {
            "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}
        },
        "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "abc", "MessageId": "id-1"}}},
        "MockedLambdaRetry": {
            "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
            "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
            "3": {"Return": {"StatusCode": 200, "Payload": {"body": "hello"}}},
        },
    },
}


def _with(path: list[str], value: Any) -> dict[str, Any]:
    """DOC_EXAMPLE with the key at ``path`` replaced by ``value`` (deleted when value is ...)."""
    data: dict[str, Any] = json.loads(json.dumps(DOC_EXAMPLE))
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def test_documentation_example_loads() -> None:
    config = MockConfig.from_dict(DOC_EXAMPLE)
    assert config.test_case("LambdaSQSIntegration", "HybridPath") == {"LambdaState": "MockedLambdaSuccess"}
    retry = config.mocked_response("LambdaSQSIntegration", "RetryPath", "LambdaState")
    assert retry is not None
    assert retry.count == 4
    assert [retry.at(n) for n in range(5)] == [
        Throw("Lambda.ResourceNotReadyException", "Lambda resource is not ready."),
        Throw("Lambda.TimeoutException", "Lambda timed out."),
        Throw("Lambda.TimeoutException", "Lambda timed out."),
        Return({"StatusCode": 200, "Payload": {"body": "hello"}}),
        None,
    ]
    assert config.mocked_response("LambdaSQSIntegration", "HybridPath", "SQSState") is None


def test_round_trips_to_the_file_format() -> None:
    assert MockConfig.from_dict(DOC_EXAMPLE).to_dict() == DOC_EXAMPLE


def test_returned_values_are_copies() -> None:
    data = _with(["MockedResponses", "MockedSQSSuccess", "0", "Return"], {"list": [1]})
    config = MockConfig.from_dict(data)
    data["MockedResponses"]["MockedSQSSuccess"]["0"]["Return"]["list"].append(2)
    response = config.responses["MockedSQSSuccess"].at(0)
    assert response == Return({"list": [1]})


def test_from_path_and_from_env(tmp_path: Path) -> None:
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(DOC_EXAMPLE), encoding="utf-8")
    assert MockConfig.from_path(path).to_dict() == DOC_EXAMPLE
    from_env = MockConfig.from_env({"SFN_MOCK_CONFIG": str(path)})
    assert from_env is not None
    assert from_env.to_dict() == DOC_EXAMPLE
    assert MockConfig.from_env({}) is None
    assert MockConfig.from_env({"SFN_MOCK_CONFIG": ""}) is None


def test_from_env_reads_the_process_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mocks.json"
    path.write_text(json.dumps(DOC_EXAMPLE), encoding="utf-8")
    monkeypatch.setenv("SFN_MOCK_CONFIG", str(path))
    config = MockConfig.from_env()
    assert config is not None
    assert config.source == f"MockConfigFile {path}"


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(MockConfigError, match=r"^MockConfigFile .*missing\.json: cannot be read"):
        MockConfig.from_path(missing)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(MockConfigError, match=r"broken\.json: is not valid JSON"):
        MockConfig.from_path(broken)


def test_unknown_response_reference_names_the_key_path() -> None:
    data = _with(["StateMachines", "LambdaSQSIntegration", "TestCases", "HappyPath", "SQSState"], "Nope")
    with pytest.raises(MockConfigError) as info:
        MockConfig.from_dict(data)
    assert str(info.value) == (
        "MockConfigFile: StateMachines.LambdaSQSIntegration.TestCases.HappyPath.SQSState refers to unknown "
        "response 'Nope' (defined: LambdaMockedResourceNotReady, MockedLambdaRetry, MockedLambdaSuccess, "
        "MockedSQSSuccess)"
    )
    assert info.value.key_path == "StateMachines.LambdaSQSIntegration.TestCases.HappyPath.SQSState"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "MockConfigFile: must be a JSON object, got array"),
        (
            {"MockedResponse": {}},
            (
                "MockConfigFile: MockedResponse is not a known field (did you mean MockedResponses?); "
                "expected StateMachines and MockedResponses"
            ),
        ),
        (_with(["MockedResponses"], []), "MockConfigFile: MockedResponses must be an object, got array"),
        (_with(["StateMachines"], "x"), "MockConfigFile: StateMachines must be an object, got string"),
        (
            _with(["StateMachines", "LambdaSQSIntegration", "TestCases"], ...),
            "MockConfigFile: StateMachines.LambdaSQSIntegration is missing the required field TestCases",
        ),
        (
            _with(["StateMachines", "LambdaSQSIntegration", "Tests"], {}),
            "MockConfigFile: StateMachines.LambdaSQSIntegration.Tests is not a known field; expected TestCases",
        ),
        (
            _with(["StateMachines", "LambdaSQSIntegration", "TestCases", "HappyPath", "SQSState"], 1),
            (
                "MockConfigFile: StateMachines.LambdaSQSIntegration.TestCases.HappyPath.SQSState must be a "
                "response name (string), got number"
            ),
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess"], {}),
            'MockConfigFile: MockedResponses.MockedSQSSuccess has no invocation entries; add at least "0"',
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "first"], {"Return": 1}),
            (
                "MockConfigFile: MockedResponses.MockedSQSSuccess.first is not an invocation number or range "
                '(expected keys like "0" or "1-3")'
            ),
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "3-1"], {"Return": 1}),
            "MockConfigFile: MockedResponses.MockedSQSSuccess.3-1 is a range whose end 1 is before its start 3",
        ),
        (
            _with(["MockedResponses", "MockedLambdaRetry", "2"], {"Return": 1}),
            "MockConfigFile: MockedResponses.MockedLambdaRetry.2 overlaps invocations already covered (0-2)",
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "2-4"], {"Return": 1}),
            (
                "MockConfigFile: MockedResponses.MockedSQSSuccess has no response for invocation 1; keys must "
                "cover 0..N without gaps"
            ),
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {"Return": 1, "Throw": {"Error": "E"}}),
            "MockConfigFile: MockedResponses.MockedSQSSuccess.0 must have exactly one of Return or Throw",
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {}),
            "MockConfigFile: MockedResponses.MockedSQSSuccess.0 must have exactly one of Return or Throw",
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {"Returns": 1}),
            "MockConfigFile: MockedResponses.MockedSQSSuccess.0.Returns is not a known field; expected Return or Throw",
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {"Throw": {"Cause": "c"}}),
            "MockConfigFile: MockedResponses.MockedSQSSuccess.0.Throw.Error is required and must be a non-empty string",
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {"Throw": {"Error": "E", "Cause": {"a": 1}}}),
            "MockConfigFile: MockedResponses.MockedSQSSuccess.0.Throw.Cause must be a string, got object",
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {"Throw": "E"}),
            (
                "MockConfigFile: MockedResponses.MockedSQSSuccess.0.Throw must be an object with Error and Cause, "
                "got string"
            ),
        ),
        (
            _with(["MockedResponses", "MockedSQSSuccess", "0"], {"Throw": {"Error": "E", "Message": "m"}}),
            (
                "MockConfigFile: MockedResponses.MockedSQSSuccess.0.Throw.Message is not a known field; "
                "expected Error and Cause"
            ),
        ),
    ],
)
def test_malformed_files_name_the_offending_key(data: Any, message: str) -> None:
    with pytest.raises(MockConfigError) as info:
        MockConfig.from_dict(data)
    assert str(info.value) == message


def test_throw_without_cause_is_accepted() -> None:
    config = MockConfig.from_dict({"MockedResponses": {"Fail": {"0": {"Throw": {"Error": "E"}}}}, "StateMachines": {}})
    assert config.responses["Fail"].at(0) == Throw("E", None)
    assert config.to_dict()["MockedResponses"]["Fail"] == {"0": {"Throw": {"Error": "E"}}}


def test_selection_errors_name_what_is_defined() -> None:
    config = MockConfig.from_dict(DOC_EXAMPLE)
    with pytest.raises(MockConfigError) as machine:
        config.test_case("Orders", "HappyPath")
    assert str(machine.value) == (
        "MockConfigFile: StateMachines has no state machine 'Orders' (defined: LambdaSQSIntegration)"
    )
    with pytest.raises(MockConfigError) as case:
        config.test_case("LambdaSQSIntegration", "SadPath")
    assert str(case.value) == (
        "MockConfigFile: StateMachines.LambdaSQSIntegration.TestCases has no test case 'SadPath' "
        "(defined: HappyPath, HybridPath, RetryPath)"
    )


def test_build_in_python() -> None:
    config = MockConfig.build(
        {
            "Orders": {
                "Declined": {
                    "Charge": [Throw("Payments.Declined", "expired", times=2), Return({"ok": True})],
                    "Ship": Return({"shipped": True}),
                }
            }
        }
    )
    sequence = config.mocked_response("Orders", "Declined", "Charge")
    assert sequence is not None
    assert [sequence.at(n) for n in range(4)] == [
        Throw("Payments.Declined", "expired"),
        Throw("Payments.Declined", "expired"),
        Return({"ok": True}),
        None,
    ]
    exported = config.to_dict()
    assert exported["StateMachines"] == {
        "Orders": {"TestCases": {"Declined": {"Charge": "Orders.Declined.Charge", "Ship": "Orders.Declined.Ship"}}}
    }
    assert exported["MockedResponses"]["Orders.Declined.Charge"] == {
        "0-1": {"Throw": {"Error": "Payments.Declined", "Cause": "expired"}},
        "2": {"Return": {"ok": True}},
    }
    assert MockConfig.from_dict(exported).to_dict() == exported


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([], "MockConfig.build: Orders.Case.Charge has no responses"),
        ([Return(1, times=0)], "MockConfig.build: Orders.Case.Charge has times=0; it must be at least 1"),
        (["oops"], "MockConfig.build: Orders.Case.Charge must be Return(...) or Throw(...), got str"),
    ],
)
def test_build_rejects_bad_specs(spec: Any, message: str) -> None:
    with pytest.raises(MockConfigError) as info:
        MockConfig.build({"Orders": {"Case": {"Charge": spec}}})
    assert str(info.value) == message
