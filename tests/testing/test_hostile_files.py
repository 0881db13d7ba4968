"""Hostile scenario files and cloud assemblies: one ScenarioError / TemplateError naming the file,
by the same JSON rules as everywhere else (Jackson's limits, no NaN) and bounded YAML aliases;
never RecursionError, ValueError or a YAML bomb going off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from constructs_sfn.testing import ScenarioError, SynthesizedApp, TemplateError, load_scenarios

DEPTH = "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)"
LENGTH = (
    "Number value length (5000) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)"
)
# Ten times ten times ... : a million strings once expanded.
ALIAS_BOMB = "\n".join(
    ["l0: &l0 [" + ",".join(["x"] * 10) + "]"]
    + [f"l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 6)]
)


def scenario_error(tmp_path: Path, name: str, text: str) -> str:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenarios(file)
    message = str(raised.value)
    assert message.startswith(f"{file}: ")
    return message.removeprefix(f"{file}: ")


class TestScenarioFiles:
    @pytest.mark.parametrize(
        ("text", "detail"),
        [
            ('{"scenarios": ' + "[" * 3000 + "]" * 3000 + "}", f"not JSON (line 1, column 1015): {DEPTH}"),
            (
                '{"scenarios": [{"name": "a", "input": ' + "7" * 5000 + "}]}",
                f"not JSON (line 1, column 5039): {LENGTH}",
            ),
            (
                '{"scenarios": [{"name": "a", "input": NaN}]}',
                "not JSON (line 1, column 42): Unrecognized token 'NaN': was expecting ('true', 'false' or 'null')",
            ),
        ],
    )
    def test_json_refused_by_jacksons_rules(self, tmp_path: Path, text: str, detail: str) -> None:
        assert scenario_error(tmp_path, "a.scenarios.json", text) == detail

    def test_json_as_deep_as_jackson_allows_is_read(self, tmp_path: Path) -> None:
        file = tmp_path / "a.scenarios.json"
        value = "[" * 996 + "]" * 996
        file.write_text('{"scenarios": [{"name": "a", "input": {"v": ' + value + "}}]}", encoding="utf-8")
        (scenario,) = load_scenarios(file).scenarios
        assert json.dumps(scenario.input["v"], separators=(",", ":")) == value

    def test_json_numbers_beyond_the_double_range_are_held_as_jackson_writes_them(self, tmp_path: Path) -> None:
        file = tmp_path / "a.scenarios.json"
        file.write_text('{"scenarios": [{"name": "a", "input": {"n": 1e400}}]}', encoding="utf-8")
        assert load_scenarios(file).scenarios[0].input == {"n": "Infinity"}

    def test_a_yaml_alias_bomb_is_refused(self, tmp_path: Path) -> None:
        detail = scenario_error(tmp_path, "a.scenarios.yaml", ALIAS_BOMB)
        assert detail == (
            "YAML aliases expand the scenario file to 1234573 nodes, more than the 100000 allowed "
            "(the largest repeated node is the anchor at line 5, column 5, used at /l5/0)"
        )

    def test_a_yaml_node_containing_itself_is_refused(self, tmp_path: Path) -> None:
        detail = scenario_error(tmp_path, "a.scenarios.yaml", "a: &a [*a]\n")
        assert detail == (
            "The YAML alias at /a/0 refers to a node that contains it (the anchor at line 1, column 4); "
            "a scenario file cannot contain itself"
        )

    def test_yaml_nested_deeper_than_json_may_be_is_refused(self, tmp_path: Path) -> None:
        detail = scenario_error(tmp_path, "a.scenarios.yaml", "scenarios: " + "[" * 3000 + "]" * 3000 + "\n")
        assert detail == "The YAML scenario file is nested more than 1000 levels deep"

    def test_yaml_syntax_errors_keep_their_line_and_column(self, tmp_path: Path) -> None:
        detail = scenario_error(tmp_path, "a.scenarios.yaml", "scenarios: [a: b: c]\n")
        assert detail.startswith("not YAML (line 1, column 17): ")


class TestAssemblies:
    def assembly(self, tmp_path: Path, template: str, manifest: str | None = None) -> Path:
        out = tmp_path / "cdk.out"
        out.mkdir()
        (out / "Stack.template.json").write_text(template, encoding="utf-8")
        if manifest is None:
            properties = {"templateFile": "Stack.template.json"}
            manifest = json.dumps(
                {"artifacts": {"Stack": {"type": "aws:cloudformation:stack", "properties": properties}}}
            )
        (out / "manifest.json").write_text(manifest, encoding="utf-8")
        return out

    @pytest.mark.parametrize(
        ("template", "detail"),
        [
            ('{"Resources": ' + "[" * 3000 + "]" * 3000 + "}", f"not JSON (line 1, column 1015): {DEPTH}"),
            ('{"Resources": {}, "n": ' + "7" * 5000 + "}", f"not JSON (line 1, column 5024): {LENGTH}"),
            (
                '{"Resources": {}, "x": NaN}',
                "not JSON (line 1, column 27): Unrecognized token 'NaN': was expecting ('true', 'false' or 'null')",
            ),
        ],
    )
    def test_a_template_refused_by_jacksons_rules(self, tmp_path: Path, template: str, detail: str) -> None:
        out = self.assembly(tmp_path, template)
        with pytest.raises(TemplateError) as raised:
            SynthesizedApp.from_assembly(out)
        assert str(raised.value) == f"{out / 'Stack.template.json'}: {detail}"
        with pytest.raises(TemplateError) as raised:
            SynthesizedApp.from_template(out / "Stack.template.json")
        assert str(raised.value) == f"{out / 'Stack.template.json'}: {detail}"

    def test_a_hostile_manifest(self, tmp_path: Path) -> None:
        out = self.assembly(tmp_path, '{"Resources": {}}', manifest='{"artifacts": ' + "[" * 1500 + "}")
        with pytest.raises(TemplateError) as raised:
            SynthesizedApp.from_assembly(out)
        assert str(raised.value) == f"{out / 'manifest.json'}: not JSON (line 1, column 1015): {DEPTH}"

    def test_a_template_within_the_limits_is_read(self, tmp_path: Path) -> None:
        out = self.assembly(tmp_path, '{"Resources": {}, "Big": 1e400, "Deep": ' + "[" * 999 + "]" * 999 + "}")
        (stack,) = SynthesizedApp.from_assembly(out).stacks
        assert stack.template["Big"] == "Infinity"
