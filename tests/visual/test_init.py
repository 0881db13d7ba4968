"""The package's layer: constructs_sfn.visual sits on the executor and never loads the CDK or boto3."""

from __future__ import annotations

import subprocess
import sys


def test_import_loads_no_cdk_jsii_or_boto3() -> None:
    code = (
        "import sys, constructs_sfn.visual as v; "
        "print(sorted(m for m in ('aws_cdk', 'jsii', 'boto3', 'botocore', 'constructs_sfn.cdk', 'constructs_sfn.testing') "
        "if m in sys.modules)); print(sorted(v.__all__) == sorted(set(v.__all__)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True"]


def test_the_executor_does_not_import_visual() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, constructs_sfn.asl, constructs_sfn.local; print('constructs_sfn.visual' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "False"
