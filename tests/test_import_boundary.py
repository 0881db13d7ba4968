"""The executor is pure Python: importing it must not load the CDK, jsii or boto3."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("aws_cdk", "jsii", "boto3", "botocore", "constructs")


def _loaded_after(statement: str) -> list[str]:
    code = (
        "import json, sys\n"
        f"{statement}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return list(json.loads(out.stdout))


def test_importing_the_executor_loads_no_cdk_jsii_or_boto3() -> None:
    assert _loaded_after("import constructs_sfn.asl") == []


def test_importing_the_package_root_loads_no_cdk() -> None:
    assert _loaded_after("import constructs_sfn") == []


def test_running_a_definition_loads_no_cdk_jsii_or_boto3() -> None:
    statement = (
        "from constructs_sfn.asl import Execution, parse_definition\n"
        "d = parse_definition({'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'Parameters': {'x.$': '$.a'}, 'End': True}}})\n"
        "assert Execution(d, {'a': 1}).run().output == {'x': 1}"
    )
    assert _loaded_after(statement) == []


def test_the_lazy_root_export_resolves_to_the_cdk_construct() -> None:
    code = "import constructs_sfn; print(constructs_sfn.ObservableStateMachine.__module__)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip().startswith("constructs_sfn.cdk")
