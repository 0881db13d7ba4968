"""Hostile files and arguments for ``constructs-sfn``: one clear line on stderr and exit status 2,
never a traceback; output the terminal cannot show is escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_sfn.cli import main

MACHINE = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
# Ten times ten times ... : a million strings once expanded.
ALIAS_BOMB = "\n".join(
    ["l0: &l0 [" + ",".join(["x"] * 10) + "]"]
    + [f"l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 6)]
).encode()


def refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``argv``; assert exit status 2 and a single ``constructs-sfn:`` line; return that line."""
    status = main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert status == 2, captured
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("constructs-sfn: ")
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.fixture
def machine(tmp_path: Path) -> Path:
    path = tmp_path / "machine.json"
    path.write_text(json.dumps(MACHINE))
    return path


class TestDefinitionFiles:
    @pytest.mark.parametrize(
        ("data", "detail"),
        [
            (b"\x00\xff\xfe\x01binary", "not UTF-8 text (byte 1: invalid start byte)"),
            ('{"StartAt": "Caf\xe9"}'.encode("latin-1"), "not UTF-8 text (byte 16: invalid continuation byte)"),
            (b'{"StartAt": NaN}', "Unrecognized token 'NaN'"),
            (b"[" * 1001 + b"]" * 1001, "Document nesting depth (1001)"),
            (b"StartAt: P\nStates: &s {P: {Type: Pass, End: true, Result: *s}}\n", "cannot contain itself"),
        ],
    )
    @pytest.mark.parametrize("command", ["run", "validate"])
    def test_refused_with_the_file_named(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, data: bytes, detail: str
    ) -> None:
        path = tmp_path / "definition.json"
        path.write_bytes(data)
        line = refused(capsys, [command, str(path)])
        assert line.startswith(f"constructs-sfn: {path}: ")
        assert detail in line

    def test_json_that_is_no_object(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "definition.json"
        path.write_bytes(b"[1, 2]")
        line = refused(capsys, ["run", str(path)])
        assert line == f"constructs-sfn: {path}: Definition must be a valid JSON object"
        assert main(["validate", str(path)]) == 1  # validate reports it as a problem of the definition
        out = capsys.readouterr().out
        assert f"{path}: /: SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object" in out

    def test_a_directory_or_a_nul_in_the_path(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert "not a cloud assembly (no manifest.json)" in refused(capsys, ["validate", str(tmp_path)])
        assert "contains a NUL character" in refused(capsys, ["validate", f"{tmp_path}/a\x00b.json"])


class TestInput:
    @pytest.mark.parametrize(
        ("text", "detail"),
        [
            ("NaN", "--input: not JSON (line 1, column 4): Non-standard token 'NaN'"),
            ("[" * 1001, "--input: not JSON (line 1, column 1002): Document nesting depth (1001)"),
            ("1" * 5000, "Number value length (5000)"),
            ("", "--input: not JSON (line 1, column 1): no JSON value"),
            ("{'a': 1}", "was expecting double-quote to start field name"),
        ],
    )
    def test_refused(self, machine: Path, capsys: pytest.CaptureFixture[str], text: str, detail: str) -> None:
        assert detail in refused(capsys, ["run", str(machine), "--input", text])

    def test_an_endless_input_file_is_read_bounded(self, machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
        line = refused(capsys, ["run", str(machine), "--input", "@/dev/zero"])
        assert line == "constructs-sfn: /dev/zero: larger than 64 MiB; not a file this command reads"
        assert "larger than 64 MiB" in refused(capsys, ["validate", "/dev/zero"])

    def test_an_input_file_that_is_not_utf8(
        self, machine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = tmp_path / "input.json"
        bad.write_bytes(b'{"name": "\xe9"}')
        assert f"{bad}: not UTF-8 text" in refused(capsys, ["run", str(machine), "--input", f"@{bad}"])

    @pytest.mark.parametrize("text", ['"\\ud800"', f'"{chr(0xD800)}"', f'"{chr(0xDCFF)}"'])
    def test_lone_surrogates_are_printed_as_escapes(
        self, machine: Path, capsys: pytest.CaptureFixture[str], text: str
    ) -> None:
        assert main(["run", str(machine), "--input", text, "--history"]) == 0
        out = capsys.readouterr().out
        assert "SUCCEEDED" in out
        assert "\\ud" in out or "\\udc" in out
        out.encode("utf-8")  # everything printed is encodable

    def test_numbers_beyond_the_double_range(self, machine: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["run", str(machine), "--input", "[1e400]"]) == 0
        assert 'output: ["Infinity"]' in capsys.readouterr().out


class TestDemoFiles:
    @pytest.fixture
    def scenarios(self, tmp_path: Path) -> Path:
        folder = tmp_path / "scenarios"
        folder.mkdir()
        (folder / "a.scenarios.yaml").write_text("scenarios:\n  - name: x\n    state_machine: S/M\n")
        return folder

    def assembly(self, tmp_path: Path, template: bytes) -> Path:
        out = tmp_path / "cdk.out"
        out.mkdir(exist_ok=True)
        (out / "Stack.template.json").write_bytes(template)
        manifest = {
            "artifacts": {
                "Stack": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Stack.template.json"}}
            }
        }
        (out / "manifest.json").write_text(json.dumps(manifest))
        return out

    @pytest.mark.parametrize(
        ("template", "detail"),
        [
            (b"[1]", "expected a CloudFormation template (a JSON object), got an array"),
            (b'{"Resources": [1]}', "Resources: expected an object of resources, got an array"),
            (b'{"Resources": {"X": "y"}}', "Resources.X: expected an object, got a string"),
            (b'{"Resources": {}, "x": NaN}', "Non-standard token 'NaN'"),
            (b"\xff", "not UTF-8 text"),
            (b"[" * 2000, "Document nesting depth (1001)"),
        ],
    )
    def test_templates_of_the_wrong_shape(
        self, tmp_path: Path, scenarios: Path, capsys: pytest.CaptureFixture[str], template: bytes, detail: str
    ) -> None:
        out = self.assembly(tmp_path, template)
        line = refused(capsys, ["demo", "--cdk-out", str(out), "--scenarios", str(scenarios)])
        assert f"{out / 'Stack.template.json'}: " in line
        assert detail in line

    @pytest.mark.parametrize(
        ("name", "data", "detail"),
        [
            ("b.scenarios.json", b"[1]", "scenarios[0]"),
            ("b.scenarios.json", b"\xfe\xff", "not UTF-8 text"),
            ("b.scenarios.json", b'{"scenarios": [' + b"[" * 1001 + b"]" * 1001 + b"]}", "Document nesting depth"),
            ("b.scenarios.json", b'{"scenarios": ' + b"1" * 5000 + b"}", "Number value length (5000)"),
            ("b.scenarios.yaml", b"- 1\n- 2\n", "scenarios[0]"),
            ("b.scenarios.yaml", b"a: &a [*a]\n", "a scenario file cannot contain itself"),
            ("b.scenarios.yaml", b"a: [unclosed\n", "not YAML"),
            ("b.scenarios.yaml", ALIAS_BOMB, "YAML aliases expand the scenario file to"),
        ],
    )
    def test_scenario_files_of_the_wrong_shape(
        self, tmp_path: Path, scenarios: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, detail: str
    ) -> None:
        out = self.assembly(tmp_path, b'{"Resources": {}}')
        (scenarios / name).write_bytes(data)
        line = refused(capsys, ["demo", "--cdk-out", str(out), "--scenarios", str(scenarios)])
        assert detail in line


def test_a_hostile_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "Stack.template.json").write_text('{"Resources": {}}')
    (out / "manifest.json").write_bytes(b'{"artifacts": ' + b"[" * 1500 + b"}")
    scenarios = tmp_path / "s"
    scenarios.mkdir()
    (scenarios / "a.scenarios.yaml").write_text("scenarios: []\n")
    line = refused(capsys, ["demo", "--cdk-out", str(out), "--scenarios", str(scenarios)])
    assert f"{out / 'manifest.json'}: not JSON (line 1, column " in line
    assert "Document nesting depth (1001)" in line


def test_a_byte_order_mark_is_no_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = tmp_path / "machine.json"
    definition.write_bytes(b"\xef\xbb\xbf" + json.dumps(MACHINE).encode())
    data = tmp_path / "input.json"
    data.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert main(["run", str(definition), "--input", f"@{data}"]) == 0
    assert 'output: {"a":1}' in capsys.readouterr().out
