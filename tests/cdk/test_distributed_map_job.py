"""DistributedMapJob: every prop's effect on the template, least-privilege IAM, the Map Run alarm, validation.

All variants live in one stack, one job per variant, synthesized once: each test compares a
variant's resources (their logical ids start with the job's id) with the ``Base`` job's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Template

from constructs_sfn.cdk import AlarmOptions, ConstructPropsError, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.distributed_map_job import DistributedMapJob
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemBatching, ItemProcessor
from constructs_sfn.cdk.schedule import ExecutionSchedule

SM = "AWS::StepFunctions::StateMachine"
POLICY = "AWS::IAM::Policy"
BUCKET = "AWS::S3::Bucket"
ALARM = "AWS::CloudWatch::Alarm"


PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def resolve_tokens(value: Any) -> str:
    """A CloudFormation string expression as text: ``${Ref:Id}``, ``${GetAtt:Id.Arn}``, pseudo parameters filled in."""
    if isinstance(value, str):
        return value
    [(function, argument)] = value.items()
    if function == "Fn::Join":
        separator, parts = argument
        return str(separator).join(resolve_tokens(part) for part in parts)
    if function == "Ref":
        return PSEUDO.get(argument, f"${{Ref:{argument}}}")
    if function == "Fn::GetAtt":
        return f"${{GetAtt:{'.'.join(argument)}}}"
    return f"${{{function}:{json.dumps(argument, sort_keys=True)}}}"


class Stacked:
    """A prop value built in the test stack: ``Stacked(lambda stack: ...)``."""

    def __init__(self, build: Callable[[cdk.Stack], Any]) -> None:
        self.build = build


def _source(stack: cdk.Stack) -> s3.IBucket:
    found = stack.node.try_find_child("Source")
    return found if found is not None else s3.Bucket(stack, "Source")  # type: ignore[return-value]


def _function(stack: cdk.Stack) -> lambda_.IFunction:
    found = stack.node.try_find_child("Fn")
    if found is not None:
        return found  # type: ignore[return-value]
    return lambda_.Function(
        stack,
        "Fn",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(e, c):\n    return e\n"),
    )


def _pass(id: str) -> Stacked:
    return Stacked(lambda stack: ItemProcessor.chain(sfn.Pass(stack, id)))


def _parallel(stack: cdk.Stack) -> Callable[[sfn.DistributedMap], sfn.IChainable]:
    return lambda map_state: sfn.Parallel(stack, "Fanout").branch(map_state).next(sfn.Succeed(stack, "AllDone"))


VARIANTS: dict[str, dict[str, Any]] = {
    "Base": {},
    "ListObjects": {"items": Stacked(lambda s: ItemSource.list_objects(_source(s), prefix="in/docs/"))},
    "JsonArray": {"items": Stacked(lambda s: ItemSource.json_array(_source(s), "in/items.json", max_items=50))},
    "JsonLines": {"items": Stacked(lambda s: ItemSource.json_lines(_source(s), "in/items.jsonl"))},
    "CsvGiven": {
        "items": Stacked(
            lambda s: ItemSource.csv(_source(s), "in/t.csv", headers=["a", "b"], delimiter=sfn.CsvDelimiter.SEMICOLON)
        )
    },
    "Inventory": {
        "items": Stacked(
            lambda s: ItemSource.inventory_manifest(_source(s), "inv/src/cfg/2024-01-01T00-00Z/manifest.json")
        )
    },
    "Lambda": {"item_processor": Stacked(lambda s: ItemProcessor.function(_function(s)))},
    "Concurrency": {"max_concurrency": 250},
    "ChildStandard": {"child_execution_type": sfn.StateMachineType.STANDARD},
    "Batching": {"item_batching": ItemBatching(max_items=10, max_bytes=4096, batch_input={"k": "v"})},
    "Selector": {"item_selector": {"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}},
    "TolPct": {"tolerated_failure_percentage": 5},
    "TolCount": {"tolerated_failure_count": 3},
    "Label": {"map_run_label": "nightly-rows"},
    "GivenResults": {"result_bucket": Stacked(lambda s: s3.Bucket(s, "Results", enforce_ssl=True))},
    "Prefix": {"result_prefix": "out/rows/"},
    "GivenLogs": {"access_logs_bucket": Stacked(lambda s: s3.Bucket(s, "AccessLogs"))},
    "Removal": {"result_bucket_removal_policy": cdk.RemovalPolicy.DESTROY},
    "InParallel": {"definition": Stacked(_parallel)},
    "AlarmTuned": {"map_run_alarm": AlarmOptions(threshold=3, period=cdk.Duration.minutes(15))},
    "AlarmOff": {"map_run_alarm": AlarmOptions(enabled=False)},
    "Owner": {"owner": "team-billing"},
    "Named": {"state_machine_name": "nightly-import"},
    "Comment": {"comment": "imports the nightly file"},
    "Timeout": {"timeout": cdk.Duration.hours(3)},
    "Jsonata": {"query_language": sfn.QueryLanguage.JSONATA, "item_processor": _pass("JsonataStep")},
    "GivenRole": {
        "role": Stacked(lambda s: iam.Role(s, "JobRole", assumed_by=iam.ServicePrincipal("states.amazonaws.com")))
    },
    "ErrorsOnly": {"logging": StateMachineLogging.errors_only(reason="cost: only failures are investigated")},
    "Retention": {"log_retention": logs.RetentionDays.ONE_YEAR},
    "LogName": {"log_group_name": "/aws/vendedlogs/states/nightly-import-logs"},
    "LogKey": {"log_encryption_key": Stacked(lambda s: kms.Key(s, "LogsCmk", enable_key_rotation=True))},
    "LogRemoval": {"log_removal_policy": cdk.RemovalPolicy.DESTROY},
    "NoTracing": {"tracing": Tracing.disabled(reason="X-Ray is not available in this partition")},
    "NoAlarms": {"alarms_enabled": False},
    "Topic": {"alarm_topic": Stacked(lambda s: sns.Topic(s, "OpsTopic", enforce_ssl=True))},
    "FailedTuned": {"alarm_options": {ExecutionAlarm.FAILED: AlarmOptions(threshold=4)}},
    "Duration": {"execution_time_threshold": cdk.Duration.minutes(30)},
    "NoDashboard": {"create_dashboard": False},
    "Scheduled": {"schedule": ExecutionSchedule.rate(cdk.Duration.days(1))},
    "Encrypted": {"encryption": StateMachineEncryption.customer_managed()},
    "Kept": {"removal_policy": cdk.RemovalPolicy.RETAIN},
}


def job_props(stack: cdk.Stack, name: str, overrides: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "items": Stacked(lambda s: ItemSource.csv(_source(s), "in/rows.csv")),
        "item_processor": _pass(f"{name}Step"),
        "max_concurrency": 10,
        "owner": "team-data",
        "timeout": cdk.Duration.hours(1),
        **overrides,
    }
    return {key: (value.build(stack) if isinstance(value, Stacked) else value) for key, value in props.items()}


class Built:
    """The stack of all variants and its template."""

    def __init__(self) -> None:
        ids = sorted(VARIANTS)
        for a in ids:
            assert not any(b != a and b.startswith(a) for b in ids), f"variant id {a} is a prefix of another"
        # One job per variant makes far more than CloudFormation's 500 resources; this stack is
        # only ever synthesized, so CDK's limit check is turned off (0).
        self.app = cdk.App(context={"@aws-cdk/core:stackResourceLimit": 0})
        self.stack = cdk.Stack(self.app, "Test")
        self.jobs = {
            name: DistributedMapJob(self.stack, name, **job_props(self.stack, name, props))
            for name, props in VARIANTS.items()
        }
        self.reader = iam.Role(self.stack, "Reader", assumed_by=iam.AccountRootPrincipal())
        base = self.jobs["Base"]
        base.grant_read_results(self.reader)
        base.grant_start_execution(self.reader)
        self.dashboard_metric = base.metric_map_runs_failed()
        self.template = Template.from_stack(self.stack).to_json()

    def resources(self, job: str, resource_type: str | None = None) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.template["Resources"].items()
            if logical_id.startswith(job) and (resource_type is None or resource["Type"] == resource_type)
        }

    def one(self, job: str, resource_type: str, contains: str = "") -> dict[str, Any]:
        found = [r for lid, r in self.resources(job, resource_type).items() if contains in lid]
        assert len(found) == 1, f"{job}: expected one {resource_type} ({contains}), found {len(found)}"
        return found[0]

    def props(self, job: str, resource_type: str, contains: str = "") -> dict[str, Any]:
        props: dict[str, Any] = self.one(job, resource_type, contains).get("Properties", {})
        return props

    def definition(self, job: str) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(resolve_tokens(self.props(job, SM)["DefinitionString"]))
        return loaded

    def map_state(self, job: str) -> dict[str, Any]:
        definition = self.definition(job)
        state = definition["States"].get("DistributedMap")
        if state is None:  # wrapped: find it inside a Parallel branch
            for outer in definition["States"].values():
                for branch in outer.get("Branches", []):
                    state = branch["States"].get("DistributedMap", state)
        assert state is not None
        result: dict[str, Any] = state
        return result

    def map_run_statements(self, job: str) -> list[dict[str, Any]]:
        statements: list[dict[str, Any]] = self.props(job, POLICY, "MapRunPolicy")["PolicyDocument"]["Statement"]
        return statements


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def statement_for(statements: list[dict[str, Any]], action: str) -> dict[str, Any]:
    """The one statement granting ``action``; a statement granting only it wins over combined ones."""
    found = [s for s in statements if action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    if len(found) > 1:
        found = [s for s in found if s["Action"] in (action, [action])]
    assert len(found) == 1, (action, statements)
    return found[0]


# --- defaults ---------------------------------------------------------------------------------


def test_default_map_reads_items_writes_results_runs_express_children(built: Built) -> None:
    state = built.map_state("Base")
    assert state["Type"] == "Map"
    assert state["ItemProcessor"]["ProcessorConfig"] == {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
    assert state["MaxConcurrency"] == 10
    assert state["Label"] == "DistributedMap"
    assert state["ItemReader"]["Resource"] == "arn:aws:states:::s3:getObject"
    assert state["ItemReader"]["ReaderConfig"] == {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}
    assert state["ItemReader"]["Parameters"]["Key"] == "in/rows.csv"
    assert state["ResultWriter"]["Resource"] == "arn:aws:states:::s3:putObject"
    assert state["ResultWriter"]["Parameters"]["Prefix"] == "results/"
    assert "ToleratedFailurePercentage" not in state
    assert "ToleratedFailureCount" not in state
    assert "ItemBatcher" not in state
    assert built.props("Base", SM)["StateMachineType"] == "STANDARD"


def test_default_result_bucket_is_encrypted_tls_only_private_and_logged(built: Built) -> None:
    result = built.props("Base", BUCKET, "ResultBucket")
    assert result["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "AES256"
    }
    assert result["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    [(logs_id, _)] = [(k, v) for k, v in built.resources("Base", BUCKET).items() if "ResultAccessLogsBucket" in k]
    assert result["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_id}
    assert built.one("Base", BUCKET, "ResultBucket")["DeletionPolicy"] == "Retain"
    policy = built.props("Base", "AWS::S3::BucketPolicy", "ResultBucketPolicy")["PolicyDocument"]["Statement"]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in policy)


def test_source_access_is_get_object_on_the_one_key(built: Built) -> None:
    statements = built.map_run_statements("Base")
    get = statement_for(statements, "s3:GetObject")
    source_id = next(
        k for k, v in built.template["Resources"].items() if k.startswith("Source") and v["Type"] == BUCKET
    )
    assert get["Resource"] == {"Fn::Join": ["", [{"Fn::GetAtt": [source_id, "Arn"]}, "/in/rows.csv"]]}
    assert "s3:ListBucket" not in text(statements)


def test_result_writer_actions_on_the_results_prefix_only(built: Built) -> None:
    statements = built.map_run_statements("Base")
    put = statement_for(statements, "s3:PutObject")
    assert sorted(put["Action"]) == sorted(
        ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]
    )
    assert put["Resource"]["Fn::Join"][1][-1] == "/results/*"


def test_child_execution_permissions_follow_the_aws_documented_forms(built: Built) -> None:
    statements = built.map_run_statements("Base")
    machine_id = next(iter(built.resources("Base", SM)))
    start = statement_for(statements, "states:StartExecution")
    assert start["Resource"] == {"Ref": machine_id}
    describe = statement_for(statements, "states:DescribeExecution")
    assert sorted(describe["Action"]) == ["states:DescribeExecution", "states:StopExecution"]
    rendered = resolve_tokens(describe["Resource"])
    assert ":states:us-east-1:123456789012:execution:" in rendered
    assert rendered.endswith("/*")
    redrive = statement_for(statements, "states:RedriveExecution")
    assert resolve_tokens(redrive["Resource"]).endswith("/DistributedMap:*")
    roles = built.props("Base", POLICY, "MapRunPolicy")["Roles"]
    assert roles == [{"Ref": next(k for k in built.resources("Base", "AWS::IAM::Role") if "MachineRole" in k)}]


def test_no_whole_bucket_s3_grant_anywhere(built: Built) -> None:
    # CDK's own item readers grant s3:GetObject on bucket/* and s3:ListBucket without a prefix;
    # the job's definition carries its own reader, so none of those appear.
    for job in ("Base", "ListObjects", "JsonArray", "Lambda"):
        for logical_id, policy in built.resources(job, POLICY).items():
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                actions = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
                if any(a.startswith("s3:") for a in actions) and "s3:PutObject" not in actions:
                    assert not resolve_tokens(statement["Resource"]).endswith("/*"), (logical_id, statement)


def test_map_run_alarm_counts_map_run_failed_log_events_and_notifies_the_topic(built: Built) -> None:
    metric_filter = built.props("Base", "AWS::Logs::MetricFilter")
    assert metric_filter["FilterPattern"] == '{ $.type = "MapRunFailed" }'
    log_group_id = next(iter(built.resources("Base", "AWS::Logs::LogGroup")))
    assert metric_filter["LogGroupName"] == {"Ref": log_group_id}
    [transformation] = metric_filter["MetricTransformations"]
    alarm = built.props("Base", ALARM, "MapRunsFailedAlarm")
    assert alarm["MetricName"] == transformation["MetricName"]
    assert alarm["Namespace"] == transformation["MetricNamespace"] == "constructs-sfn/MapRuns"
    assert (alarm["Threshold"], alarm["Period"], alarm["Statistic"]) == (1, 300, "Sum")
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    topic_id = next(iter(built.resources("Base", "AWS::SNS::Topic")))
    assert alarm["AlarmActions"] == [{"Ref": topic_id}]
    assert alarm["OKActions"] == [{"Ref": topic_id}]
    failed = built.props("Base", ALARM, "ExecutionsFailedAlarm")
    assert failed["AlarmActions"] == [{"Ref": topic_id}]  # the same topic as the machine's alarms
    job = built.jobs["Base"]
    assert set(job.alarms) == {*(str(kind) for kind in ExecutionAlarm), "MapRunsFailed"}


def test_attributes_are_exposed(built: Built) -> None:
    job = built.jobs["Base"]
    assert job.state_machine is job.machine.state_machine
    assert job.role is job.machine.role
    assert job.log_group is job.machine.log_group
    assert job.alarm_topic is job.machine.alarm_topic
    assert job.map_state.node.path == "Test/Base/DistributedMap"
    assert job.result_bucket.node.path == "Test/Base/ResultBucket"
    assert job.map_run_alarm is job.alarms["MapRunsFailed"]
    assert job.owner == "team-data"


def test_owner_tag_on_the_jobs_own_resources(built: Built) -> None:
    for resource_type in (BUCKET, SM, "AWS::SNS::Topic"):
        for resource in built.resources("Base", resource_type).values():
            tags = {t["Key"]: t["Value"] for t in resource["Properties"].get("Tags", [])}
            assert tags.get("Owner") == "team-data", resource_type


# --- every prop changes the output -------------------------------------------------------------


def test_items_list_objects_lists_the_prefix_with_a_prefix_condition(built: Built) -> None:
    reader = built.map_state("ListObjects")["ItemReader"]
    assert reader["Resource"] == "arn:aws:states:::s3:listObjectsV2"
    assert reader["Parameters"]["Prefix"] == "in/docs/"
    assert "ReaderConfig" not in reader
    listing = statement_for(built.map_run_statements("ListObjects"), "s3:ListBucket")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "in/docs/*"}}
    assert "Fn::GetAtt" in listing["Resource"]  # the bucket ARN itself, no object wildcard


def test_items_json_array_and_max_items(built: Built) -> None:
    reader = built.map_state("JsonArray")["ItemReader"]
    assert reader["ReaderConfig"] == {"InputType": "JSON", "MaxItems": 50}
    assert reader["Parameters"]["Key"] == "in/items.json"


def test_items_json_lines(built: Built) -> None:
    assert built.map_state("JsonLines")["ItemReader"]["ReaderConfig"] == {"InputType": "JSONL"}


def test_items_csv_with_given_headers_and_delimiter(built: Built) -> None:
    assert built.map_state("CsvGiven")["ItemReader"]["ReaderConfig"] == {
        "InputType": "CSV",
        "CSVDelimiter": "SEMICOLON",
        "CSVHeaderLocation": "GIVEN",
        "CSVHeaders": ["a", "b"],
    }


def test_items_inventory_manifest_reads_the_manifest_and_its_data_files(built: Built) -> None:
    assert built.map_state("Inventory")["ItemReader"]["ReaderConfig"] == {"InputType": "MANIFEST"}
    get = statement_for(built.map_run_statements("Inventory"), "s3:GetObject")
    tails = sorted(resolve_tokens(r).split("}", 1)[1] for r in get["Resource"])
    assert tails == ["/inv/src/cfg/*", "/inv/src/cfg/2024-01-01T00-00Z/manifest.json"]


def test_item_processor_function_is_one_lambda_task_with_retries(built: Built) -> None:
    processor = built.map_state("Lambda")["ItemProcessor"]
    assert processor["StartAt"] == "ProcessItem"
    task = processor["States"]["ProcessItem"]
    assert task["Type"] == "Task"
    assert task["Resource"].startswith("${GetAtt:Fn")
    assert task["Retry"][0]["ErrorEquals"][0].startswith("Lambda.")
    assert built.map_state("Base")["ItemProcessor"]["StartAt"] == "BaseStep"


def test_max_concurrency(built: Built) -> None:
    assert built.map_state("Concurrency")["MaxConcurrency"] == 250


def test_child_execution_type(built: Built) -> None:
    config = built.map_state("ChildStandard")["ItemProcessor"]["ProcessorConfig"]
    assert config["ExecutionType"] == "STANDARD"


def test_item_batching(built: Built) -> None:
    assert built.map_state("Batching")["ItemBatcher"] == {
        "MaxItemsPerBatch": 10,
        "MaxInputBytesPerBatch": 4096,
        "BatchInput": {"k": "v"},
    }


def test_item_selector(built: Built) -> None:
    assert built.map_state("Selector")["ItemSelector"] == {"row.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}


def test_tolerated_failure_percentage_and_count(built: Built) -> None:
    assert built.map_state("TolPct")["ToleratedFailurePercentage"] == 5
    assert built.map_state("TolCount")["ToleratedFailureCount"] == 3


def test_map_run_label_names_the_redrive_grant(built: Built) -> None:
    assert built.map_state("Label")["Label"] == "nightly-rows"
    redrive = statement_for(built.map_run_statements("Label"), "states:RedriveExecution")
    assert resolve_tokens(redrive["Resource"]).endswith("/nightly-rows:*")


def test_result_bucket_given_is_used_and_none_is_created(built: Built) -> None:
    assert built.resources("GivenResults", BUCKET) == {}
    results_id = next(k for k in built.template["Resources"] if k.startswith("Results"))
    assert built.map_state("GivenResults")["ResultWriter"]["Parameters"]["Bucket"] == f"${{Ref:{results_id}}}"
    put = statement_for(built.map_run_statements("GivenResults"), "s3:PutObject")
    assert put["Resource"]["Fn::Join"][1][0] == {"Fn::GetAtt": [results_id, "Arn"]}


def test_result_prefix(built: Built) -> None:
    assert built.map_state("Prefix")["ResultWriter"]["Parameters"]["Prefix"] == "out/rows/"
    put = statement_for(built.map_run_statements("Prefix"), "s3:PutObject")
    assert put["Resource"]["Fn::Join"][1][-1] == "/out/rows/*"


def test_access_logs_bucket_given(built: Built) -> None:
    assert not any("ResultAccessLogsBucket" in k for k in built.resources("GivenLogs"))
    logs_id = next(k for k in built.template["Resources"] if k.startswith("AccessLogs"))
    result = built.props("GivenLogs", BUCKET, "ResultBucket")
    assert result["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_id}


def test_result_bucket_removal_policy(built: Built) -> None:
    assert built.one("Removal", BUCKET, "ResultBucket")["DeletionPolicy"] == "Delete"
    assert built.one("Removal", BUCKET, "ResultAccessLogsBucket")["DeletionPolicy"] == "Delete"


def test_definition_nests_the_map_in_a_parallel_and_the_permissions_are_still_there(built: Built) -> None:
    definition = built.definition("InParallel")
    assert definition["StartAt"] == "Fanout"
    assert definition["States"]["Fanout"]["Type"] == "Parallel"
    assert built.map_state("InParallel")["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    statements = built.map_run_statements("InParallel")
    machine_id = next(iter(built.resources("InParallel", SM)))
    assert statement_for(statements, "states:StartExecution")["Resource"] == {"Ref": machine_id}
    describe = statement_for(statements, "states:DescribeExecution")
    assert resolve_tokens(describe["Resource"]).endswith("/*")
    assert machine_id in text(describe["Resource"])
    assert statement_for(statements, "s3:GetObject")
    assert statement_for(statements, "s3:PutObject")


def test_map_run_alarm_options(built: Built) -> None:
    tuned = built.props("AlarmTuned", ALARM, "MapRunsFailedAlarm")
    assert (tuned["Threshold"], tuned["Period"]) == (3, 900)
    assert not any("MapRunsFailed" in k for k in built.resources("AlarmOff"))
    assert "MapRunsFailed" not in built.jobs["AlarmOff"].alarms
    assert built.resources("AlarmOff", "AWS::Logs::MetricFilter") == {}


def test_owner(built: Built) -> None:
    tags = {t["Key"]: t["Value"] for t in built.props("Owner", BUCKET, "ResultBucket")["Tags"]}
    assert tags["Owner"] == "team-billing"


def test_state_machine_name_is_used_literally_in_the_grants(built: Built) -> None:
    assert built.props("Named", SM)["StateMachineName"] == "nightly-import"
    describe = statement_for(built.map_run_statements("Named"), "states:DescribeExecution")
    assert resolve_tokens(describe["Resource"]).endswith(":execution:nightly-import/*")


def test_comment_and_timeout(built: Built) -> None:
    assert built.definition("Comment")["Comment"] == "imports the nightly file"
    assert built.definition("Timeout")["TimeoutSeconds"] == 3 * 3600
    assert built.definition("Base")["TimeoutSeconds"] == 3600


def test_query_language_jsonata_uses_arguments(built: Built) -> None:
    definition = built.definition("Jsonata")
    assert definition["QueryLanguage"] == "JSONata"
    state = definition["States"]["DistributedMap"]
    assert "Arguments" in state["ItemReader"]
    assert "Arguments" in state["ResultWriter"]
    assert "Parameters" not in state["ItemReader"]


def test_role_given(built: Built) -> None:
    role_id = next(k for k in built.template["Resources"] if k.startswith("JobRole"))
    assert built.props("GivenRole", SM)["RoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert built.props("GivenRole", POLICY, "MapRunPolicy")["Roles"] == [{"Ref": role_id}]


def test_logging_errors_only_keeps_the_map_run_alarm(built: Built) -> None:
    assert built.props("ErrorsOnly", SM)["LoggingConfiguration"]["Level"] == "ERROR"
    assert built.resources("ErrorsOnly", "AWS::Logs::MetricFilter")


def test_log_props(built: Built) -> None:
    assert built.props("Retention", "AWS::Logs::LogGroup")["RetentionInDays"] == 365
    assert built.props("LogName", "AWS::Logs::LogGroup")["LogGroupName"] == "/aws/vendedlogs/states/nightly-import-logs"
    assert "KmsKeyId" in built.props("LogKey", "AWS::Logs::LogGroup")
    assert built.one("LogRemoval", "AWS::Logs::LogGroup")["DeletionPolicy"] == "Delete"


def test_tracing(built: Built) -> None:
    assert built.props("NoTracing", SM)["TracingConfiguration"] == {"Enabled": False}


def test_alarms_enabled_false_removes_every_alarm(built: Built) -> None:
    assert built.resources("NoAlarms", ALARM) == {}
    assert built.resources("NoAlarms", "AWS::SNS::Topic") == {}
    assert built.jobs["NoAlarms"].alarms == {}


def test_alarm_topic_given_receives_the_map_run_alarm(built: Built) -> None:
    topic_id = next(k for k in built.template["Resources"] if k.startswith("OpsTopic"))
    assert built.props("Topic", ALARM, "MapRunsFailedAlarm")["AlarmActions"] == [{"Ref": topic_id}]
    assert built.resources("Topic", "AWS::SNS::Topic") == {}


def test_alarm_options_and_execution_time_threshold(built: Built) -> None:
    assert built.props("FailedTuned", ALARM, "ExecutionsFailedAlarm")["Threshold"] == 4
    assert built.props("Duration", ALARM, "ExecutionTimeP99Alarm")["Threshold"] == 30 * 60 * 1000


def test_create_dashboard(built: Built) -> None:
    assert built.resources("Base", "AWS::CloudWatch::Dashboard")
    assert built.resources("NoDashboard", "AWS::CloudWatch::Dashboard") == {}


# --- validation ---------------------------------------------------------------------------------


def make(**overrides: Any) -> DistributedMapJob:
    stack = cdk.Stack(cdk.App(), "V")
    return DistributedMapJob(stack, "Job", **job_props(stack, "V", overrides))


@pytest.mark.parametrize("value", [None, 0])
def test_max_concurrency_is_required(value: int | None) -> None:
    with pytest.raises(ConstructPropsError, match=r"V/Job: max_concurrency: is required and must be 1 to 10,000"):
        make(max_concurrency=value)


def test_max_concurrency_absent_is_refused() -> None:
    stack = cdk.Stack(cdk.App(), "V")
    props = job_props(stack, "V", {})
    del props["max_concurrency"]
    with pytest.raises(ConstructPropsError, match="max_concurrency: is required"):
        DistributedMapJob(stack, "Job", **props)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"max_concurrency": 10_001}, "max_concurrency: must be 1 to 10,000, got 10001"),
        ({"max_concurrency": 2.5}, "max_concurrency: must be a whole number"),
        ({"tolerated_failure_percentage": 101}, "tolerated_failure_percentage: must be 0 to 100"),
        ({"tolerated_failure_count": -1}, "tolerated_failure_count: must be a whole number of at least 0"),
        ({"map_run_label": "has space"}, "map_run_label: must not contain whitespace"),
        ({"map_run_label": "x" * 41}, "map_run_label: must be 1 to 40 characters"),
        ({"result_prefix": "/abs/"}, "result_prefix: S3 keys do not start with '/'"),
        ({"result_prefix": "a/*"}, "result_prefix: must be a literal prefix"),
        ({"item_batching": ItemBatching()}, "item_batching: set max_items, max_bytes or both"),
        ({"item_batching": ItemBatching(max_bytes=300_000)}, r"item_batching.max_bytes: must be at most 262144"),
        ({"items": "s3://bucket/key"}, "items: must be an ItemSource"),
        ({"item_processor": "fn"}, "item_processor: must be ItemProcessor"),
        (
            {"items": Stacked(lambda s: ItemSource.csv(_source(s), "t.csv", headers=["a", "a"]))},
            "items.headers: column names must be unique, repeated: a",
        ),
        ({"items": Stacked(lambda s: ItemSource.csv(_source(s), "in/"))}, "items.key: names a folder"),
        (
            {"items": Stacked(lambda s: ItemSource.json_array(_source(s), "k.json", max_items=0))},
            "items.max_items: must be a positive whole number",
        ),
        (
            {"items": Stacked(lambda s: ItemSource.inventory_manifest(_source(s), "manifest.json"))},
            "items.data_prefix: cannot be derived",
        ),
        (
            {"item_selector": {"a.$": "$"}, "query_language": sfn.QueryLanguage.JSONATA},
            "item_selector: is a JSONPath ItemSelector",
        ),
        (
            {"logging": StateMachineLogging.off(reason="sandbox machine, deleted nightly")},
            "map_run_alarm: counts MapRunFailed events",
        ),
        ({"alarms_enabled": False, "map_run_alarm": AlarmOptions()}, "map_run_alarm: has no effect"),
        ({"map_run_alarm": AlarmOptions(period=cdk.Duration.seconds(45))}, "map_run_alarm.period"),
        (
            {
                "result_bucket": Stacked(lambda s: s3.Bucket(s, "R")),
                "result_bucket_removal_policy": cdk.RemovalPolicy.DESTROY,
            },
            "result_bucket_removal_policy: applies only to the created result bucket",
        ),
    ],
)
def test_bad_props_are_refused_naming_the_prop(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConstructPropsError, match=message):
        make(**overrides)


def test_logging_off_with_the_map_run_alarm_off_is_accepted() -> None:
    job = make(
        logging=StateMachineLogging.off(reason="sandbox machine, deleted nightly"),
        map_run_alarm=AlarmOptions(enabled=False),
    )
    assert job.map_run_alarm is None
    with pytest.raises(ConstructPropsError, match="map_run_alarm: is off"):
        job.metric_map_runs_failed()


def test_tokens_are_not_checked() -> None:
    stack = cdk.Stack(cdk.App(), "V")
    limit = cdk.CfnParameter(stack, "Limit", type="Number").value_as_number
    job = DistributedMapJob(stack, "Job", **{**job_props(stack, "V", {}), "max_concurrency": limit})
    assert job.map_state is not None


def test_grants_to_a_caller(built: Built) -> None:
    [policy] = [
        r for k, r in built.template["Resources"].items() if k.startswith("ReaderDefaultPolicy") and r["Type"] == POLICY
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    start = statement_for(statements, "states:StartExecution")
    assert start["Resource"] == {"Ref": next(iter(built.resources("Base", SM)))}
    read = statement_for(statements, "s3:GetObject*")
    assert any(resolve_tokens(r).endswith("/results/*") for r in read["Resource"])


def test_metric_map_runs_failed_is_the_alarms_metric(built: Built) -> None:
    alarm = built.props("Base", ALARM, "MapRunsFailedAlarm")
    metric = built.dashboard_metric
    assert metric.namespace == alarm["Namespace"]
    assert metric.metric_name == alarm["MetricName"]
    assert metric.statistic == "Sum"


def test_schedule_encryption_and_removal_policy_pass_through(built: Built) -> None:
    assert built.resources("Scheduled", "AWS::Scheduler::Schedule")
    assert built.resources("Base", "AWS::Scheduler::Schedule") == {}
    assert built.props("Encrypted", SM)["EncryptionConfiguration"]["Type"] == "CUSTOMER_MANAGED_KMS_KEY"
    assert "EncryptionConfiguration" not in built.props("Base", SM)
    assert built.one("Kept", SM)["DeletionPolicy"] == "Retain"
    assert built.one("Base", SM).get("DeletionPolicy", "Delete") == "Delete"


ALL_EXECUTION_ALARMS_OFF = {kind: AlarmOptions(enabled=False) for kind in ExecutionAlarm}


def test_map_run_alarm_alone_gets_a_topic_of_its_own() -> None:
    job = make(alarm_options=ALL_EXECUTION_ALARMS_OFF)
    assert job.machine.alarm_topic is None
    assert job.alarm_topic is not None
    assert job.alarm_topic.node.path == "V/Job/AlarmTopic"
    assert list(job.alarms) == ["MapRunsFailed"]


def test_map_run_alarm_alone_uses_the_callers_topic() -> None:
    stack = cdk.Stack(cdk.App(), "V")
    topic = sns.Topic(stack, "Ops", enforce_ssl=True)
    job = DistributedMapJob(
        stack, "Job", **job_props(stack, "V", {"alarm_options": ALL_EXECUTION_ALARMS_OFF, "alarm_topic": topic})
    )
    assert job.alarm_topic is topic
    assert job.node.try_find_child("AlarmTopic") is None
