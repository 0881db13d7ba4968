"""Hostile mock configuration files: one MockConfigError naming the file and the problem."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.integrations.errors import MockConfigError
from constructs_sfn.integrations.mock_config import MockConfig, Return


def config_with(result: str) -> str:
    return '{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": ' + result + "}}}}"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (config_with("[" * 1001 + "]" * 1001), "Document nesting depth (1001) exceeds the maximum allowed (1000"),
        (config_with("1" * 5000), "Number value length (5000) exceeds the maximum allowed (1000"),
        (config_with("NaN"), "Unrecognized token 'NaN'"),
        ("[", "Unexpected end-of-input"),
    ],
)
def test_json_aws_would_not_read(text: str, detail: str) -> None:
    with pytest.raises(MockConfigError) as excinfo:
        MockConfig.from_json(text)
    message = str(excinfo.value)
    assert message.startswith("MockConfigFile: is not valid JSON (line 1, column ")
    assert detail in message


def test_deep_but_allowed_return_values_load() -> None:
    config = MockConfig.from_json(config_with("[" * 990 + "]" * 990))
    response = config.responses["R"].at(0)
    assert isinstance(response, Return)


def test_huge_floats_are_held_as_jackson_writes_them() -> None:
    response = MockConfig.from_json(config_with("[1e400]")).responses["R"].at(0)
    assert response == Return(["Infinity"])


@pytest.mark.parametrize("data", [b"\xff\xfe{}", '{"StateMachines": "caf\xe9"}'.encode("latin-1")])
def test_files_that_are_not_utf8(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "MockConfigFile.json"
    path.write_bytes(data)
    with pytest.raises(MockConfigError) as excinfo:
        MockConfig.from_path(path)
    assert str(excinfo.value).startswith(f"MockConfigFile {path}: is not UTF-8 text (byte ")


def test_a_directory_or_a_nul_in_the_path(tmp_path: Path) -> None:
    with pytest.raises(MockConfigError, match="cannot be read"):
        MockConfig.from_path(tmp_path)
    with pytest.raises(MockConfigError, match="cannot be read: embedded null byte"):
        MockConfig.from_path(f"{tmp_path}/a\x00b")


@pytest.mark.parametrize("value", [None, 3, ["a.json"]])
def test_from_path_names_the_expected_type(value: Any) -> None:
    with pytest.raises(TypeError, match=r"MockConfig.from_path\(path=\.\.\.\) takes a str or os.PathLike"):
        MockConfig.from_path(value)


def test_from_json_names_the_expected_type() -> None:
    with pytest.raises(TypeError, match=r"MockConfig.from_json\(text=\.\.\.\) takes JSON text \(str or bytes\)"):
        MockConfig.from_json(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "detail"),
    [(math.nan, "is not a JSON value (Out of range float values"), (object(), "is not a JSON value")],
)
def test_return_values_that_are_no_json_from_a_mapping(value: Any, detail: str) -> None:
    data = {"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": value}}}}
    with pytest.raises(MockConfigError) as excinfo:
        MockConfig.from_dict(data)
    assert str(excinfo.value).startswith(f"MockConfigFile: MockedResponses.R.0.Return {detail}")


def test_a_cyclic_return_value() -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    data = {"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": cyclic}}}}
    with pytest.raises(MockConfigError, match=r"MockedResponses\.R\.0\.Return is not a JSON value"):
        MockConfig.from_dict(data)


def test_build_refuses_values_that_are_no_json() -> None:
    with pytest.raises(MockConfigError, match=r"MockConfig.build: .*is not a JSON value"):
        MockConfig.build({"M": {"T": {"S": [Return(math.inf)]}}})


def test_a_byte_order_mark_is_no_content() -> None:
    config = MockConfig.from_json(b'\xef\xbb\xbf{"StateMachines": {}, "MockedResponses": {}}')
    assert config.responses == {}
