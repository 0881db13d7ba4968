"""CSV transform job: every row of a CSV file in S3 priced by a Lambda function, results to S3.

``CsvTransformJobStack`` holds the input bucket (the CSV lands at ``incoming/orders.csv``), the
transform function (``handler/transform.py``) and a :class:`DistributedMapJob` reading the file
row by row, 20 rows at a time at most, tolerating 5% bad rows, writing the results under
``priced/`` of the job's result bucket and alarming when a Map Run fails.

Synthesize with ``cdk synth`` from this directory (see README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from constructs_sfn.cdk import acknowledge_rule
from constructs_sfn.cdk.distributed_map_job import DistributedMapJob
from constructs_sfn.cdk.item_sources import ItemSource
from constructs_sfn.cdk.map_job_options import ItemProcessor

__all__ = [
    "INPUT_KEY",
    "MAX_CONCURRENCY",
    "OWNER",
    "RESULT_PREFIX",
    "TOLERATED_BAD_ROWS_PERCENT",
    "CsvTransformJobStack",
    "build_app",
]

OWNER = "data-platform"
INPUT_KEY = "incoming/orders.csv"
RESULT_PREFIX = "priced/"
#: The pricing service behind the function takes about 20 concurrent calls.
MAX_CONCURRENCY = 20
#: A few malformed rows are expected from the upstream export; more means the export is broken.
TOLERATED_BAD_ROWS_PERCENT = 5
HANDLER_DIR = Path(__file__).resolve().parent / "handler"


class CsvTransformJobStack(cdk.Stack):
    """Input bucket, transform function and the Distributed Map job between them."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        )
        acknowledge_rule(
            self.access_logs,
            "AwsSolutions-S1",
            "This bucket receives the other buckets' server access logs; logging it to itself would loop.",
        )
        self.input_bucket = s3.Bucket(
            self,
            "Input",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="input/",
        )
        self.transform = self._transform_function()
        self.job = DistributedMapJob(
            self,
            "PriceOrders",
            items=ItemSource.csv(self.input_bucket, INPUT_KEY),
            item_processor=ItemProcessor.function(self.transform),
            max_concurrency=MAX_CONCURRENCY,
            tolerated_failure_percentage=TOLERATED_BAD_ROWS_PERCENT,
            result_prefix=RESULT_PREFIX,
            access_logs_bucket=self.access_logs,
            owner=OWNER,
            timeout=cdk.Duration.hours(2),
        )
        cdk.CfnOutput(self, "InputBucketName", value=self.input_bucket.bucket_name)
        cdk.CfnOutput(self, "ResultBucketName", value=self.job.result_bucket.bucket_name)
        cdk.CfnOutput(self, "StateMachineArn", value=self.job.state_machine_arn)

    def _transform_function(self) -> lambda_.Function:
        # An own role and log group instead of AWSLambdaBasicExecutionRole: the function may write
        # to its one log group and nothing else.
        log_group = logs.LogGroup(
            self, "TransformLogs", retention=logs.RetentionDays.ONE_MONTH, removal_policy=cdk.RemovalPolicy.DESTROY
        )
        role = iam.Role(self, "TransformRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        function = lambda_.Function(
            self,
            "Transform",
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler="transform.handler",
            code=lambda_.Code.from_asset(str(HANDLER_DIR)),
            memory_size=256,
            timeout=cdk.Duration.seconds(30),
            role=role,
            log_group=log_group,
        )
        log_group.grant_write(role)
        return function


def build_app() -> cdk.App:
    """The example app: one environment-agnostic stack, synthesized offline."""
    app = cdk.App()
    CsvTransformJobStack(app, "CsvTransformJob")
    return app


if __name__ == "__main__":
    build_app().synth()
