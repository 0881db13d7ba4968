"""The local ASL executor: pure Python, stdlib plus the JSONPath/JSONata engines only.

Never imports aws_cdk, jsii or boto3 (a test proves it).
"""

from __future__ import annotations

from constructs_sfn.asl.errors import DefinitionError, DefinitionProblem, ErrorName, StatesError

__all__ = ["DefinitionError", "DefinitionProblem", "ErrorName", "StatesError"]
