"""A Task's ``Resource``: the service integrations Step Functions recognizes.

Only resources in Step Functions' own namespace (``arn:<partition>:states:::<service>:<action>``)
are checked; Lambda function ARNs, activity ARNs and anything else are left to the runtime.

The rules, from the developer guide:

* AWS SDK integrations (``aws-sdk:<service>:<action>``, supported-services-awssdk.html): "The API
  action will always be camel case"; they support Request Response and ``.waitForTaskToken`` but
  not ``.sync`` (integrate-optimized.html, "Run a Job - .sync: Not supported").
* Optimized integrations (connect-supported-services.html): a fixed set of services, each with its
  own integration patterns; ``.sync:2`` exists for ``states:startExecution`` only
  (connect-stepfunctions.html). For services with a single documented action (or a few), the
  action is checked too; for the services with many actions (Athena, CodeBuild, EKS, EMR,
  SageMaker, ...) only the service and the pattern are.

AWS refuses any other resource with ``SCHEMA_VALIDATION_FAILED: The resource provided <arn> is not
recognized. The value is not a valid resource ARN, or the resource is not available in this region.``
(the wording as CloudFormation relayed it in aws/aws-cdk#27635 and #19174).
"""

from __future__ import annotations

import re
from typing import Final

from constructs_sfn.asl.parse.schema_context import ProblemSink

__all__ = ["check_task_resource", "is_recognized_resource"]

_STATES_NAMESPACE: Final = re.compile(r"arn:[^:]+:states:::(?P<rest>.*)", re.DOTALL)
_SDK: Final = re.compile(r"aws-sdk:(?P<service>[a-z0-9][a-z0-9.-]*):(?P<action>[a-z][A-Za-z0-9]*)")
_OPTIMIZED: Final = re.compile(r"(?P<service>[a-z0-9-]+):(?P<action>[A-Za-z0-9]+)")

_REQUEST_RESPONSE: Final = ""
_SYNC: Final = ".sync"
_SYNC_2: Final = ".sync:2"
_CALLBACK: Final = ".waitForTaskToken"
_SUFFIXES: Final = (_SYNC_2, _SYNC, _CALLBACK)

_PATTERNS: Final[dict[str, frozenset[str]]] = {
    # connect-supported-services.html, the Standard Workflows table.
    "apigateway": frozenset({_REQUEST_RESPONSE, _CALLBACK}),
    "athena": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "batch": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "bedrock": frozenset({_REQUEST_RESPONSE, _SYNC, _CALLBACK}),
    "codebuild": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "databrew": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "dynamodb": frozenset({_REQUEST_RESPONSE}),
    "ecs": frozenset({_REQUEST_RESPONSE, _SYNC, _CALLBACK}),
    "eks": frozenset({_REQUEST_RESPONSE, _SYNC, _CALLBACK}),
    "elasticmapreduce": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "emr-containers": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "emr-serverless": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "events": frozenset({_REQUEST_RESPONSE, _CALLBACK}),
    "glue": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "http": frozenset({_REQUEST_RESPONSE}),
    "lambda": frozenset({_REQUEST_RESPONSE, _CALLBACK}),
    "mediaconvert": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "sagemaker": frozenset({_REQUEST_RESPONSE, _SYNC}),
    "sns": frozenset({_REQUEST_RESPONSE, _CALLBACK}),
    "sqs": frozenset({_REQUEST_RESPONSE, _CALLBACK}),
    "states": frozenset({_REQUEST_RESPONSE, _SYNC, _SYNC_2, _CALLBACK}),
}
"""The integration patterns each optimized service supports."""

_ACTIONS: Final[dict[str, frozenset[str]]] = {
    # The service pages under connect-supported-services.html list these APIs.
    "apigateway": frozenset({"invoke"}),
    "batch": frozenset({"submitJob"}),
    "databrew": frozenset({"startJobRun"}),
    "dynamodb": frozenset({"getItem", "putItem", "deleteItem", "updateItem"}),
    "ecs": frozenset({"runTask"}),
    "events": frozenset({"putEvents"}),
    "glue": frozenset({"startJobRun"}),
    "http": frozenset({"invoke"}),
    "lambda": frozenset({"invoke"}),
    "mediaconvert": frozenset({"createJob"}),
    "sns": frozenset({"publish"}),
    "sqs": frozenset({"sendMessage"}),
    "states": frozenset({"startExecution"}),
}
"""The actions of the optimized services whose whole API list is short; others are not checked."""


def _split_pattern(rest: str) -> tuple[str, str]:
    for suffix in _SUFFIXES:
        if rest.endswith(suffix):
            return rest[: -len(suffix)], suffix
    return rest, _REQUEST_RESPONSE


def is_recognized_resource(resource: str) -> bool:
    """Whether Step Functions recognizes ``resource`` (True for ARNs outside ``states:::``)."""
    namespaced = _STATES_NAMESPACE.fullmatch(resource)
    if namespaced is None:
        return True
    call, pattern = _split_pattern(namespaced["rest"])
    sdk = _SDK.fullmatch(call)
    if call.startswith("aws-sdk:"):
        return sdk is not None and pattern in (_REQUEST_RESPONSE, _CALLBACK)
    optimized = _OPTIMIZED.fullmatch(call)
    if optimized is None:
        return False
    service, action = optimized["service"], optimized["action"]
    patterns = _PATTERNS.get(service)
    if patterns is None or pattern not in patterns:
        return False
    actions = _ACTIONS.get(service)
    return actions is None or action in actions


def check_task_resource(sink: ProblemSink, resource: str, location: str) -> bool:
    """Report a ``Resource`` Step Functions would not recognize; True when it is recognized."""
    if is_recognized_resource(resource):
        return True
    sink.error(
        f"The resource provided {resource} is not recognized. The value is not a valid resource ARN, "
        "or the resource is not available in this region.",
        location,
    )
    return False
