"""Names Step Functions uses for services, operations and errors of integrations. Pure; no boto3.

Step Functions calls optimized integrations with the AWS SDK for Java 1.x and SDK integrations
(``aws-sdk:*``) with the AWS SDK for Java 2.x, and the error names come from those SDKs'
exception classes (the corpus shows both):

* optimized: ``DynamoDB.ResourceNotFoundException``, ``SNS.NotFoundException``, and for an error
  code the service model does not declare, the SDK's base exception: ``SQS.AmazonSQSException``,
  ``DynamoDB.AmazonDynamoDBException``. Cause: ``<message> (Service: AmazonDynamoDBv2; Status
  Code: 400; Error Code: ValidationException; Request ID: <id>; Proxy: null)``;
* SDK integrations: ``DynamoDb.ResourceNotFoundException``, ``S3.NoSuchBucketException``,
  ``Sfn.InvalidTokenException``, undeclared codes ``DynamoDb.DynamoDbException``. Cause:
  ``<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)`` (S3 adds the
  ``Extended Request ID``).

A declared error's exception name is its shape name with ``Exception`` appended unless it
already ends so (``NoSuchBucket`` -> ``NoSuchBucketException``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_sfn.asl.errors import StatesError

__all__ = [
    "OptimizedNaming",
    "exception_name",
    "operation_name",
    "optimized_boto3_service",
    "optimized_client_error",
    "optimized_naming",
    "optimized_service_error",
    "sdk_boto3_service",
    "sdk_client_error",
    "sdk_service_error",
    "sdk_service_prefix",
]


@dataclass(frozen=True, slots=True)
class OptimizedNaming:
    """How the Java 1.x SDK names a service: error prefix, ``Service:`` label, base exception."""

    prefix: str
    label: str
    base_exception: str


_OPTIMIZED: dict[str, OptimizedNaming] = {
    "lambda": OptimizedNaming("Lambda", "AWSLambda", "AWSLambdaException"),
    "dynamodb": OptimizedNaming("DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException"),
    "sqs": OptimizedNaming("SQS", "AmazonSQS", "AmazonSQSException"),
    "sns": OptimizedNaming("SNS", "AmazonSNS", "AmazonSNSException"),
    "events": OptimizedNaming("EventBridge", "AmazonEventBridge", "AmazonEventBridgeException"),
    "states": OptimizedNaming("StepFunctions", "AWSStepFunctions", "AWSStepFunctionsException"),
    "ecs": OptimizedNaming("ECS", "AmazonECS", "AmazonECSException"),
    "batch": OptimizedNaming("Batch", "AWSBatch", "AWSBatchException"),
    "glue": OptimizedNaming("Glue", "AWSGlue", "AWSGlueException"),
    "athena": OptimizedNaming("Athena", "AmazonAthena", "AmazonAthenaException"),
    "codebuild": OptimizedNaming("CodeBuild", "AWSCodeBuild", "AWSCodeBuildException"),
    "sagemaker": OptimizedNaming("SageMaker", "AmazonSageMaker", "AmazonSageMakerException"),
    "eks": OptimizedNaming("EKS", "AmazonEKS", "AmazonEKSException"),
    "bedrock": OptimizedNaming("Bedrock", "AmazonBedrockRuntime", "AmazonBedrockRuntimeException"),
    "elasticmapreduce": OptimizedNaming(
        "ElasticMapReduce", "AmazonElasticMapReduce", "AmazonElasticMapReduceException"
    ),
}

_OPTIMIZED_BOTO3 = {"states": "stepfunctions", "elasticmapreduce": "emr", "bedrock": "bedrock-runtime"}

# Step Functions' aws-sdk service names that differ from boto3's client names.
_SDK_BOTO3 = {
    "sfn": "stepfunctions",
    "eventbridge": "events",
    "cloudwatchlogs": "logs",
    "cognitoidentityprovider": "cognito-idp",
    "cognitoidentity": "cognito-identity",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "costexplorer": "ce",
    "mediastoredata": "mediastore-data",
    "iotdata": "iot-data",
    "sagemakerruntime": "sagemaker-runtime",
    "bedrockruntime": "bedrock-runtime",
    "bedrockagent": "bedrock-agent",
    "bedrockagentruntime": "bedrock-agent-runtime",
    "acmpca": "acm-pca",
    "timestreamwrite": "timestream-write",
    "timestreamquery": "timestream-query",
    "redshiftdata": "redshift-data",
    "emrcontainers": "emr-containers",
    "emrserverless": "emr-serverless",
    "apigatewaymanagementapi": "apigatewaymanagementapi",
}

# Java 2.x client names (the error prefix) for common services; others derive from serviceId.
_SDK_PREFIX = {
    "acm": "Acm",
    "apigateway": "ApiGateway",
    "athena": "Athena",
    "batch": "Batch",
    "bedrockruntime": "BedrockRuntime",
    "cloudwatch": "CloudWatch",
    "cloudwatchlogs": "CloudWatchLogs",
    "codebuild": "CodeBuild",
    "cognitoidentityprovider": "CognitoIdentityProvider",
    "dynamodb": "DynamoDb",
    "ec2": "Ec2",
    "ecr": "Ecr",
    "ecs": "Ecs",
    "eks": "Eks",
    "eventbridge": "EventBridge",
    "firehose": "Firehose",
    "glue": "Glue",
    "iam": "Iam",
    "kinesis": "Kinesis",
    "kms": "Kms",
    "lambda": "Lambda",
    "rds": "Rds",
    "s3": "S3",
    "sagemaker": "SageMaker",
    "secretsmanager": "SecretsManager",
    "ses": "Ses",
    "sesv2": "SesV2",
    "sfn": "Sfn",
    "sns": "Sns",
    "sqs": "Sqs",
    "ssm": "Ssm",
    "sts": "Sts",
    "xray": "XRay",
}

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def operation_name(action: str) -> str:
    """The API operation for a resource action (``putItem`` -> ``PutItem``)."""
    return action[:1].upper() + action[1:]


def exception_name(shape_name: str) -> str:
    """The SDK exception class of a declared error shape (``NoSuchBucket`` -> ``NoSuchBucketException``)."""
    return shape_name if shape_name.endswith("Exception") else f"{shape_name}Exception"


def optimized_naming(service: str) -> OptimizedNaming:
    """How errors of an optimized integration's service are named."""
    naming = _OPTIMIZED.get(service)
    if naming is not None:
        return naming
    title = service[:1].upper() + service[1:]
    return OptimizedNaming(title, f"Amazon{title}", f"Amazon{title}Exception")


def optimized_boto3_service(service: str) -> str:
    """The boto3 client name for an optimized integration's service (``states`` -> ``stepfunctions``)."""
    return _OPTIMIZED_BOTO3.get(service, service)


def sdk_boto3_service(service: str, available: frozenset[str] = frozenset()) -> str:
    """The boto3 client name for an ``aws-sdk:<service>`` name (``sfn`` -> ``stepfunctions``).

    ``available``: boto3's service names, used to match names that only differ by dashes.
    """
    if service in _SDK_BOTO3:
        return _SDK_BOTO3[service]
    if service in available or not available:
        return service
    for name in available:
        if name.replace("-", "") == service:
            return name
    return service


def sdk_service_prefix(service: str, service_id: str | None = None) -> str:
    """The error prefix of an ``aws-sdk:<service>`` integration (``dynamodb`` -> ``DynamoDb``).

    ``service_id``: the botocore model's ``serviceId`` (``Secrets Manager``), from which the Java
    2.x client name is derived when the service is not in the table.
    """
    if service in _SDK_PREFIX:
        return _SDK_PREFIX[service]
    if service_id:
        words = _WORD.findall(service_id)
        if words:
            return "".join(word[:1].upper() + word[1:].lower() for word in words)
    return service[:1].upper() + service[1:]


def optimized_service_error(
    service: str, *, code: str, message: str, status: int, request_id: str, declared_shape: str | None
) -> StatesError:
    """The error of an optimized integration whose service answered with an error response."""
    naming = optimized_naming(service)
    name = exception_name(declared_shape) if declared_shape else naming.base_exception
    cause = (
        f"{message} (Service: {naming.label}; Status Code: {status}; Error Code: {code}; "
        f"Request ID: {request_id}; Proxy: null)"
    )
    return StatesError(f"{naming.prefix}.{name}", cause)


def optimized_client_error(service: str, message: str, *, validation: bool = False) -> StatesError:
    """An optimized integration's call that never got a service answer.

    ``validation``: the request was rejected before sending (a missing or ill-typed parameter),
    which AWS reports as the service's base exception; otherwise the SDK's ``SdkClientException``.
    """
    naming = optimized_naming(service)
    if validation:
        return StatesError(f"{naming.prefix}.{naming.base_exception}", f"{message} (Service: {naming.label})")
    return StatesError(f"{naming.prefix}.SdkClientException", f"Unable to execute HTTP request: {message}")


def sdk_service_error(
    prefix: str,
    *,
    message: str,
    status: int,
    request_id: str,
    declared_shape: str | None,
    extended_request_id: str | None = None,
) -> StatesError:
    """The error of an SDK integration whose service answered with an error response."""
    name = exception_name(declared_shape) if declared_shape else f"{prefix}Exception"
    extended = f", Extended Request ID: {extended_request_id}" if extended_request_id else ""
    cause = f"{message} (Service: {prefix}, Status Code: {status}, Request ID: {request_id}{extended})"
    return StatesError(f"{prefix}.{name}", cause)


def sdk_client_error(prefix: str, message: str, *, validation: bool = False) -> StatesError:
    """An SDK integration's call that never got a service answer (see :func:`optimized_client_error`)."""
    if validation:
        return StatesError(f"{prefix}.{prefix}Exception", f"{message} (Service: {prefix})")
    return StatesError(f"{prefix}.SdkClientException", f"Unable to execute HTTP request: {message}")
