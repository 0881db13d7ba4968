"""The package: public name, and botocore is only loaded when a request needs it."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded(statement: str) -> list[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith(('botocore', 'boto3', 'aws_cdk', 'jsii')))))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return list(json.loads(out.stdout))


def test_import_and_construction_load_no_botocore() -> None:
    assert _loaded("from constructs_sfn.local import LocalStepFunctions\nLocalStepFunctions()") == []


def test_root_package_exports_the_client() -> None:
    import constructs_sfn
    from constructs_sfn.local import LocalStepFunctions

    assert constructs_sfn.LocalStepFunctions is LocalStepFunctions
