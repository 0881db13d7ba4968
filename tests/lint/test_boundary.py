"""The linter is usable without the CDK: linting a definition, a template or cdk.out loads no aws_cdk/jsii."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("aws_cdk", "jsii", "constructs", "boto3")


def _loaded_after(statement: str) -> list[str]:
    code = (
        "import json, sys\n"
        f"{statement}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return list(json.loads(out.stdout.splitlines()[-1]))


def test_linting_a_definition_loads_no_cdk() -> None:
    statement = (
        "from constructs_sfn.lint import lint_definition\n"
        "assert lint_definition({'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}) == []"
    )
    assert _loaded_after(statement) == []


def test_linting_a_template_loads_no_cdk(tmp_path: Path) -> None:
    template = tmp_path / "t.json"
    definition = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    resources = {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": definition}}}
    template.write_text(json.dumps({"Resources": resources}))
    statement = f"from constructs_sfn.lint import lint_path\nprint(len(lint_path({str(template)!r})))"
    assert _loaded_after(statement) == []


def test_the_cli_module_loads_no_cdk() -> None:
    assert _loaded_after("import constructs_sfn.cli.main") == []
