"""The syrupy extensions, driven by an inner pytest run as a user's suite would use them."""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
from pathlib import Path

import pytest
import yaml

from constructs_sfn.testing.snapshot_normalize import (
    SnapshotDataError,
    definition_json,
    definition_yaml,
    normalize_template,
    template_json,
)
from constructs_sfn.testing.snapshots import (
    BehaviourSnapshotExtension,
    DefinitionSnapshotExtension,
    DefinitionYamlSnapshotExtension,
    TemplateSnapshotExtension,
    snapshot_extensions,
)

pytest_plugins = ["pytester"]

HASH_A = hashlib.sha256(b"a").hexdigest()
HASH_B = hashlib.sha256(b"b").hexdigest()


def churned_template(code_hash: str) -> dict[str, object]:
    """A template as CDK writes it, with the asset hash ``code_hash`` in every place CDK puts one."""
    return {
        "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap"}},
        "Rules": {"CheckBootstrapVersion": {"Assertions": []}},
        "Conditions": {"CDKMetadataAvailable": {"Fn::Equals": ["a", "a"]}},
        "Resources": {
            "ChargeFn1234ABCD": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Code": {
                        "S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                        "S3Key": f"{code_hash}.zip",
                    },
                    "Handler": "index.handler",
                },
                "Metadata": {
                    "aws:cdk:path": "Orders/ChargeFn/Resource",
                    "aws:asset:path": f"asset.{code_hash}",
                    "aws:asset:property": "Code",
                },
            },
            f"ChargeFnCurrentVersion1A2B3C4D{code_hash[:32]}": {
                "Type": "AWS::Lambda::Version",
                "Properties": {"FunctionName": {"Ref": "ChargeFn1234ABCD"}},
            },
            "Alias": {
                "Type": "AWS::Lambda::Alias",
                "Properties": {
                    "FunctionVersion": {"Fn::GetAtt": [f"ChargeFnCurrentVersion1A2B3C4D{code_hash[:32]}", "Version"]},
                },
            },
            "ImageFn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Code": {
                        "ImageUri": {
                            "Fn::Sub": "123456789012.dkr.ecr.us-east-1.${AWS::URLSuffix}/"
                            f"cdk-hnb659fds-container-assets-123456789012-us-east-1:{code_hash}"
                        }
                    }
                },
            },
            "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:H4sI"}},
        },
    }


def test_template_churn_is_removed_and_hash_independent() -> None:
    normalized = normalize_template(churned_template(HASH_A))
    assert set(normalized) == {"Resources"}
    resources = normalized["Resources"]
    assert "CDKMetadata" not in resources
    assert resources["ChargeFn1234ABCD"]["Metadata"] == {"aws:cdk:path": "Orders/ChargeFn/Resource"}
    assert resources["ChargeFn1234ABCD"]["Properties"]["Code"] == {
        "S3Bucket": {"Fn::Sub": "<asset>"},
        "S3Key": "<asset>.zip",
    }
    assert "ChargeFnCurrentVersion1A2B3C4D<hash>" in resources
    assert resources["Alias"]["Properties"]["FunctionVersion"] == {
        "Fn::GetAtt": ["ChargeFnCurrentVersion1A2B3C4D<hash>", "Version"]
    }
    assert resources["ImageFn"]["Properties"]["Code"]["ImageUri"]["Fn::Sub"].endswith("/<asset>")
    assert template_json(churned_template(HASH_A)) == template_json(churned_template(HASH_B))
    assert template_json(json.dumps(churned_template(HASH_A))) == template_json(churned_template(HASH_A))


def test_template_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "Orders.template.json"
    path.write_text(json.dumps(churned_template(HASH_A)), encoding="utf-8")
    assert template_json(path) == template_json(str(path)) == template_json(churned_template(HASH_B))
    with pytest.raises(SnapshotDataError, match=r"template snapshot: cannot read .*missing.json"):
        template_json(tmp_path / "missing.json")


def test_definition_is_sorted_pretty_and_asset_free() -> None:
    definition = {
        "StartAt": "Load",
        "States": {
            "Load": {
                "Type": "Task",
                "Resource": "arn:aws:states:::s3:getObject",
                "Parameters": {"Bucket": "cdk-hnb659fds-assets-123456789012-us-east-1", "Key": f"{HASH_A}.json"},
                "End": True,
            }
        },
        "Comment": "orders",
    }
    text = definition_json(definition)
    assert text == definition_json(json.dumps(definition).replace(HASH_A, HASH_B))
    assert text.startswith('{\n  "Comment": "orders",\n  "StartAt": "Load",\n')
    assert '"Bucket": "<asset>"' in text
    assert '"Key": "<asset>.json"' in text
    assert text.endswith("}\n")
    assert yaml.safe_load(definition_yaml(definition)) == json.loads(text)


def test_definition_timestamps_are_part_of_the_workflow() -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "End": True}}}
    assert '"Timestamp": "2030-01-01T00:00:00Z"' in definition_json(definition)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "definition snapshot: expected a definition (dict or JSON text), got int"),
        ("{not json", "definition snapshot: the text is not JSON (line 1, column 2)"),
        ({"StartAt": "A"}, "definition snapshot: expected a state machine definition with 'States', got keys"),
    ],
)
def test_bad_definitions_say_what_was_expected(value: object, message: str) -> None:
    with pytest.raises(SnapshotDataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        definition_json(value)


def test_behaviour_extension_refuses_other_values() -> None:
    with pytest.raises(SnapshotDataError, match="behaviour snapshot: expected a BehaviourTrace, an Execution"):
        BehaviourSnapshotExtension().serialize(42)


def test_snapshot_extensions_names_every_fixture() -> None:
    assert snapshot_extensions() == {
        "definition_snapshot": DefinitionSnapshotExtension,
        "definition_yaml_snapshot": DefinitionYamlSnapshotExtension,
        "behaviour_snapshot": BehaviourSnapshotExtension,
        "template_snapshot": TemplateSnapshotExtension,
    }


# --- an inner test suite, as a user writes it -------------------------------------------------

USER_TESTS = """
import hashlib
import inspect
import json
import os

import pytest

from constructs_sfn.asl import Execution, parse_definition
from constructs_sfn.integrations import TaskServices
from constructs_sfn.testing.snapshots import (
    BehaviourSnapshotExtension,
    DefinitionSnapshotExtension,
    DefinitionYamlSnapshotExtension,
    TemplateSnapshotExtension,
)
from churn import churned_template

THRESHOLD = __THRESHOLD__
# A fresh asset hash on every run, as a code change or another machine would give.
ASSET = hashlib.sha256(os.urandom(16)).hexdigest()


def orders():
    return {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.amount", "NumericGreaterThan": THRESHOLD, "Next": "Review"}],
                "Default": "Charge",
            },
            "Review": {"Type": "Pass", "Result": "manual", "ResultPath": "$.review", "Next": "Charge"},
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:<Orders/ChargeFn>",
                "Parameters": {"Bucket": "cdk-hnb659fds-assets-123456789012-us-east-1", "Key": ASSET + ".zip",
                               "amount.$": "$.amount", "at.$": "$$.Execution.StartTime"},
                "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
                "End": True,
            },
        },
    }


@pytest.fixture
def definition_snapshot(snapshot):
    return snapshot.use_extension(DefinitionSnapshotExtension)


@pytest.fixture
def behaviour_snapshot(snapshot):
    return snapshot.use_extension(BehaviourSnapshotExtension)


@pytest.fixture
def template_snapshot(snapshot):
    return snapshot.use_extension(TemplateSnapshotExtension)


def test_orders(snapshot, definition_snapshot, template_snapshot):
    assert definition_snapshot(name="orders") == orders()
    assert snapshot(extension_class=DefinitionYamlSnapshotExtension, name="orders") == orders()
    assert template_snapshot == churned_template(ASSET)


@pytest.mark.parametrize("amount", [50, 150])
def test_checkout(behaviour_snapshot, amount):
    attempts = []

    def charge(event, context):
        attempts.append(event)
        return {"charged": event["amount"], "request": context.aws_request_id}

    services = TaskServices()
    services.bind_lambda("<Orders/ChargeFn>", charge)
    services.faults.throw("Charge", "Lambda.TooManyRequestsException", "slow down", on_attempts=[0])
    execution = Execution(parse_definition(json.dumps(orders())), {"amount": amount}, services=services).run()
    assert behaviour_snapshot == execution
__EXTRA__
"""

EXTRA_TEST = """

def test_extra(definition_snapshot):
    assert definition_snapshot == {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
"""


def write_suite(pytester: pytest.Pytester, *, threshold: int = 100, extra: bool = False) -> None:
    source = USER_TESTS.replace("__THRESHOLD__", str(threshold)).replace("__EXTRA__", EXTRA_TEST if extra else "")
    pytester.makepyfile(test_orders=source)
    # The inner suite builds the same template as this module's churned_template.
    (pytester.path / "churn.py").write_text(inspect.getsource(churned_template), encoding="utf-8")


def run_suite(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # The inner run imports the user's module fresh each time (same name, new content).
    sys.modules.pop("test_orders", None)
    sys.modules.pop("churn", None)
    # Under pytest-xdist the outer worker's PYTEST_XDIST_WORKER makes syrupy think the inner run is
    # a worker too, and it then keeps its report to itself; the inner run is a plain session.
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTEST_XDIST_WORKER", raising=False)
        patch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
        # A fresh interpreter: in-process runs forget the modules they imported, which reloads
        # library modules under earlier tests' feet (and theirs under ours).
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-W", "error", *args)


def snapshot_files(root: Path) -> dict[str, bytes]:
    directory = root / "__snapshots__"
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


EXPECTED_FILES = {
    "test_orders/test_orders[orders].json",
    "test_orders/test_orders[orders].yaml",
    "test_orders/test_orders[template].json",
    "test_orders/test_checkout[50].txt",
    "test_orders/test_checkout[150].txt",
}


def test_update_then_pass_then_fail_with_a_readable_diff(pytester: pytest.Pytester) -> None:
    write_suite(pytester)
    created = run_suite(pytester, "--snapshot-update")
    created.assert_outcomes(passed=3)
    created.stdout.fnmatch_lines(["*5 snapshots generated*"])
    files = snapshot_files(pytester.path)
    assert set(files) == EXPECTED_FILES
    behaviour = files["test_orders/test_checkout[150].txt"].decode()
    assert "- Check (Choice) -> Review out: (unchanged)" in behaviour
    assert "    attempt 1: Lambda.TooManyRequestsException: slow down" in behaviour
    assert "    attempt 2: ok" in behaviour
    assert '"request":"<uuid>"' in behaviour
    # What the Task sent its Lambda: Parameters applied, asset key and start time scrubbed.
    assert '    sent: {"Bucket":"<asset>","Key":"<asset>.zip","amount":150,"at":"<timestamp>"}' in behaviour
    definition = files["test_orders/test_orders[orders].json"].decode()
    assert '"Key": "<asset>.zip"' in definition
    assert '"Resource": "arn:aws:lambda:us-east-1:123456789012:function:<Orders/ChargeFn>"' in definition

    passed = run_suite(pytester)
    passed.assert_outcomes(passed=3)
    passed.stdout.fnmatch_lines(["*5 snapshots passed*"])
    assert snapshot_files(pytester.path) == files

    write_suite(pytester, threshold=200)
    failed = run_suite(pytester)
    failed.assert_outcomes(passed=1, failed=2)
    # The diffs name exactly what changed: the threshold, and the path a 150 order takes.
    failed.stdout.fnmatch_lines(
        [
            '*-           "NumericGreaterThan": 100,',
            '*+           "NumericGreaterThan": 200,',
            "*- - Check (Choice) -> Review out: (unchanged)",
            "*+ - Check (Choice) -> Charge out: (unchanged)",
            '*- - Review (Pass) out: {"amount":150,"review":"manual"}',
            "*2 snapshots failed*",
        ]
    )
    assert snapshot_files(pytester.path) == files

    updated = run_suite(pytester, "--snapshot-update")
    updated.assert_outcomes(passed=3)
    updated.stdout.fnmatch_lines(["*3 snapshots updated*"])
    assert '"NumericGreaterThan": 200' in snapshot_files(pytester.path)["test_orders/test_orders[orders].json"].decode()


def test_unused_snapshot_is_reported_then_deleted(pytester: pytest.Pytester) -> None:
    write_suite(pytester, extra=True)
    run_suite(pytester, "--snapshot-update").assert_outcomes(passed=4)
    assert "test_orders/test_extra.json" in snapshot_files(pytester.path)

    write_suite(pytester)
    stale = run_suite(pytester, "--snapshot-details")
    stale.stdout.fnmatch_lines(["*1 snapshot unused*", "*test_extra*"])
    assert stale.ret != 0
    assert "test_orders/test_extra.json" in snapshot_files(pytester.path)

    cleaned = run_suite(pytester, "--snapshot-update")
    cleaned.stdout.fnmatch_lines(["*1 unused snapshot deleted*"])
    assert set(snapshot_files(pytester.path)) == EXPECTED_FILES


def test_independent_runs_write_identical_bytes(pytester: pytest.Pytester) -> None:
    # Two runs from scratch, each with its own random asset hash and execution start time.
    write_suite(pytester)
    runs = []
    for name in ("first", "second"):
        run_suite(pytester, "--snapshot-update").assert_outcomes(passed=3)
        runs.append(pytester.path / name)
        (pytester.path / "__snapshots__").rename(runs[-1])
    first, second = (
        {str(p.relative_to(run)): p.read_bytes() for p in sorted(run.rglob("*")) if p.is_file()} for run in runs
    )
    assert first == second
    assert set(first) == EXPECTED_FILES
