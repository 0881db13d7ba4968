"""Task integrations for the local ASL executor.

* :class:`TaskServices` - the dispatcher to hand to the executor: mocks, fault injection,
  Python handlers for Lambda functions, nested executions and SDK calls, composed.
* :class:`LambdaHandlers` - Python ``handler(event, context)`` functions as Lambda functions.
* :class:`Boto3Integrations` - SDK and optimized integrations through boto3 (lazy import).
* :class:`MockConfig`, :class:`MockedTaskService` - Step Functions Local mock configuration files.
* :class:`Faults` - make a state throw, time out, stop heartbeating or slow down.
* :class:`ScriptedResults` - replay recorded task results per state (conformance runs).
* :class:`NestedExecutions` - ``states:startExecution`` children on the same executor.

Nothing here imports boto3 until an SDK call needs a client.
"""

from __future__ import annotations

from constructs_sfn.integrations.aws import Boto3Integrations
from constructs_sfn.integrations.dispatch import MockConfigSource, TaskServices
from constructs_sfn.integrations.errors import IntegrationConfigError, MockConfigError
from constructs_sfn.integrations.faults import Faults
from constructs_sfn.integrations.lambda_handlers import LambdaContext, LambdaHandler, LambdaHandlers
from constructs_sfn.integrations.mock_config import (
    MOCK_CONFIG_ENV_VAR,
    MockConfig,
    MockedResponse,
    MockedResponseSequence,
    Return,
    Throw,
)
from constructs_sfn.integrations.mocked import MockedTaskService, state_machine_name
from constructs_sfn.integrations.nested import NestedExecutions
from constructs_sfn.integrations.resources import FunctionRef, ResourceRef, parse_resource
from constructs_sfn.integrations.routing import TaskRoute, unbound_outcome
from constructs_sfn.integrations.scripted import ScriptedResult, ScriptedResults

__all__ = [
    "MOCK_CONFIG_ENV_VAR",
    "Boto3Integrations",
    "Faults",
    "FunctionRef",
    "IntegrationConfigError",
    "LambdaContext",
    "LambdaHandler",
    "LambdaHandlers",
    "MockConfig",
    "MockConfigError",
    "MockConfigSource",
    "MockedResponse",
    "MockedResponseSequence",
    "MockedTaskService",
    "NestedExecutions",
    "ResourceRef",
    "Return",
    "ScriptedResult",
    "ScriptedResults",
    "TaskRoute",
    "TaskServices",
    "Throw",
    "parse_resource",
    "state_machine_name",
    "unbound_outcome",
]
