"""constructs_sfn: AWS Step Functions with the AWS CDK, done properly.

The public names are exported lazily (PEP 562) so that ``import constructs_sfn`` and
``import constructs_sfn.asl`` never load aws_cdk, jsii or boto3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from constructs_sfn.cdk import ApprovalWorkflow, DistributedMapJob, ObservableStateMachine, SagaWorkflow
    from constructs_sfn.local import LocalStepFunctions
    from constructs_sfn.testing import SynthesizedApp

__all__ = [
    "ApprovalWorkflow",
    "DistributedMapJob",
    "LocalStepFunctions",
    "ObservableStateMachine",
    "SagaWorkflow",
    "SynthesizedApp",
]

_LAZY = {
    "ApprovalWorkflow": "constructs_sfn.cdk",
    "DistributedMapJob": "constructs_sfn.cdk",
    "ObservableStateMachine": "constructs_sfn.cdk",
    "SagaWorkflow": "constructs_sfn.cdk",
    "LocalStepFunctions": "constructs_sfn.local",
    "SynthesizedApp": "constructs_sfn.testing",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_sfn' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
