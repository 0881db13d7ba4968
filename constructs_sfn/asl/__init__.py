"""The local ASL executor: pure Python, stdlib plus the JSONPath/JSONata engines only.

Never imports aws_cdk, jsii or boto3 (a test proves it). Typical use::

    from constructs_sfn.asl import Execution, parse_definition

    execution = Execution(parse_definition(definition_text), {"order": 1}).run()
    execution.status, execution.output, execution.events
"""

from __future__ import annotations

from constructs_sfn.asl.errors import DefinitionError, DefinitionProblem, ErrorName, StatesError
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.asl.runtime import Execution, ExecutionContextInfo, RealClock, VirtualClock

__all__ = [
    "DefinitionError",
    "DefinitionProblem",
    "ErrorName",
    "Execution",
    "ExecutionContextInfo",
    "RealClock",
    "StatesError",
    "VirtualClock",
    "parse_definition",
]
