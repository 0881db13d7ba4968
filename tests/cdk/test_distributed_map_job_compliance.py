"""DistributedMapJob passes cdk-nag AwsSolutions and cfn-lint in every variant; acknowledgements are narrow.

cdk-nag runs on the job's subtree (the test's own source bucket and function are not the job's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from aws_cdk.assertions import Template

from cdk.compliance import acknowledgements, cfn_lint_errors, nag_violations, untagged_resources
from constructs_sfn.cdk.acknowledgements import MIN_REASON_LENGTH
from constructs_sfn.cdk.distributed_map_job import DistributedMapJob
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemBatching, ItemProcessor
from constructs_sfn.cdk.schedule import ExecutionSchedule

REPO = Path(__file__).resolve().parents[2]
#: The feature flags every app of this repository synthesizes with (cdk.json).
APP_FLAGS = json.loads((REPO / "cdk.json").read_text())["context"]


def _function(stack: cdk.Stack) -> lambda_.Function:
    return lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c):\n    return e\n"),
    )


VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "lambda-with-app-feature-flags": {
        "context": APP_FLAGS,
        "item_processor": lambda s, b: ItemProcessor.function(_function(s)),
    },
    "lambda": {"item_processor": lambda s, b: ItemProcessor.function(_function(s))},
    "in-parallel": {
        "definition": lambda s, b: lambda m: sfn.Parallel(s, "Fanout").branch(m).next(sfn.Succeed(s, "Done"))
    },
    "list-objects-batched": {
        "items": lambda s, b: ItemSource.list_objects(b, prefix="in/"),
        "item_batching": ItemBatching(max_items=50),
    },
    "inventory": {
        "items": lambda s, b: ItemSource.inventory_manifest(b, "inv/src/cfg/2024-01-01T00-00Z/manifest.json")
    },
    "given-result-bucket": {"result_bucket": lambda s, b: b, "result_prefix": "out/"},
    "named-standard-children": {
        "state_machine_name": "nightly-import",
        "child_execution_type": sfn.StateMachineType.STANDARD,
        "map_run_label": "nightly",
    },
    "encrypted-scheduled": {
        "encryption": StateMachineEncryption.customer_managed(),
        "schedule": ExecutionSchedule.cron(minute="30", hour="2"),
    },
    "jsonata": {
        "query_language": sfn.QueryLanguage.JSONATA,
        "item_processor": lambda s, b: ItemProcessor.chain(sfn.Pass.jsonata(s, "Step", outputs="{% $states.input %}")),
    },
}


class Built:
    def __init__(self, props: dict[str, Any]) -> None:
        props = dict(props)
        self.app = cdk.App(context=props.pop("context", None))
        self.stack = cdk.Stack(self.app, "Test")
        source = s3.Bucket(self.stack, "Source", enforce_ssl=True)
        merged: dict[str, Any] = {
            "items": lambda s, b: ItemSource.csv(b, "in/rows.csv"),
            "item_processor": lambda s, b: ItemProcessor.chain(sfn.Pass(s, "Step")),
            "max_concurrency": 20,
            "owner": "team-data",
            "timeout": cdk.Duration.hours(1),
            **props,
        }
        resolved = {
            key: value(self.stack, source)
            if key in {"items", "item_processor", "result_bucket", "definition"}
            else value
            for key, value in merged.items()
        }
        self.job = DistributedMapJob(self.stack, "Job", **resolved)
        self.template = Template.from_stack(self.stack).to_json()


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def variant(request: pytest.FixtureRequest) -> Built:
    return Built(VARIANTS[request.param])


def test_no_unacknowledged_cdk_nag_finding(variant: Built) -> None:
    assert nag_violations(variant.job) == []


def test_no_cfn_lint_error(variant: Built) -> None:
    assert cfn_lint_errors(variant.template) == []


def test_owner_tag_on_every_taggable_resource(variant: Built) -> None:
    assert untagged_resources(variant.template, "Owner", "team-data", logical_prefix="Job") == []


def test_every_acknowledgement_has_a_written_reason(variant: Built) -> None:
    found = acknowledgements(variant.job)
    assert found
    for path, rules in found.items():
        for rule_id, reason in rules.items():
            assert len(reason.strip()) >= MIN_REASON_LENGTH, (path, rule_id)


def test_default_acknowledgements_are_each_one_finding() -> None:
    built = Built({})
    found = acknowledgements(built.job)
    flat = {(path, rule_id.removeprefix("Annotation::")) for path, rules in found.items() for rule_id in rules}
    paths = {path for path, _ in flat}
    assert paths == {
        "Test/Job/ResultAccessLogsBucket",
        "Test/Job/MapRunPolicy",
        "Test/Job/Machine/ObservabilityPolicy",
        "Test/Job/Machine/StateMachine/DistributedMapPolicy",
    }
    rules = sorted(rule for path, rule in flat if path == "Test/Job/MapRunPolicy")
    # Exactly the wildcards the job needs: the results prefix, the child executions, their redrive.
    assert len(rules) == 3
    assert all(rule.startswith("AwsSolutions-IAM5[Resource::") for rule in rules)
    assert any(rule.endswith("/results/*]") for rule in rules)


def test_a_wildcard_from_the_callers_own_processor_is_still_reported() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Test")
    source = s3.Bucket(stack, "Source", enforce_ssl=True)
    # The caller's chain writes anywhere in the bucket: that is theirs to justify, not the job's.
    put = tasks.CallAwsService(
        stack,
        "Copy",
        service="s3",
        action="putObject",
        parameters={"Bucket": source.bucket_name, "Key.$": "$.Key", "Body": "x"},
        iam_resources=[source.arn_for_objects("*")],
    )
    job = DistributedMapJob(
        stack,
        "Job",
        items=ItemSource.list_objects(source, prefix="in/"),
        item_processor=ItemProcessor.chain(put),
        max_concurrency=5,
        owner="team-data",
        timeout=cdk.Duration.hours(1),
    )
    rules = [rule for rule, _, _ in nag_violations(job)]
    assert rules == [
        "AwsSolutions-IAM5[Resource::<SourceBucketXXXX.Arn>/*]".replace("SourceBucketXXXX", _logical_id(stack, source))
    ]


def _logical_id(stack: cdk.Stack, bucket: s3.Bucket) -> str:
    cfn = bucket.node.default_child
    assert isinstance(cfn, cdk.CfnElement)
    return stack.resolve(cfn.logical_id)  # type: ignore[no-any-return]
