"""The test toolkit: synthesized CDK apps as runnable, snapshot-able state machines.

* :class:`SynthesizedApp` - every state machine of a ``Stack``, ``App``, cloud assembly or
  template, with CDK tokens replaced by readable placeholders (:class:`Placeholder`).
* :class:`StateMachineUnderTest` - one definition and what its placeholders stand for.
* :class:`WorkflowRunner` / :class:`ScenarioRun` - run it locally, with Lambda constructs bound
  to Python handlers, mocks and fault injection, on the virtual clock.
* :class:`Scenario` / :func:`load_scenarios` - "given this input and these task results, this
  happens", in Python or in a YAML/JSON file.
* :class:`LocalAws` - the buckets, queues, topics and tables a definition uses, on a moto server.
* :class:`CoverageRecorder`, :func:`fault_matrix`, :func:`check_at_least_once` - which paths the
  scenarios never took, where each Task's failure ends up, which Tasks are not idempotent.

The pytest plugin (``constructs_sfn.testing.plugin``, registered through the ``pytest11`` entry
point) adds fixtures, workflow coverage and snapshot extensions. Names are exported lazily so that
loading the plugin stays cheap; nothing here imports aws_cdk until a CDK object is given.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from constructs_sfn.testing.assembly import StackTemplate, SynthesizedApp, TemplateError
    from constructs_sfn.testing.at_least_once import DuplicateDelivery, check_at_least_once
    from constructs_sfn.testing.behaviour import BehaviourTrace, behaviour_trace, render_behaviour
    from constructs_sfn.testing.coverage import CoverageRecorder, CoverageReport
    from constructs_sfn.testing.definitions import StateMachineUnderTest
    from constructs_sfn.testing.fault_matrix import FaultMatrix, fault_matrix
    from constructs_sfn.testing.local_aws import LocalAws
    from constructs_sfn.testing.placeholders import PSEUDO_PARAMETERS, Placeholder, PlaceholderError
    from constructs_sfn.testing.runner import ScenarioRun, WorkflowRunner
    from constructs_sfn.testing.scenarios import (
        Expectation,
        Scenario,
        ScenarioError,
        ScenarioResult,
        TaskResult,
        load_scenarios,
        run_scenario,
        scenario_runner,
    )

__all__ = [
    "PSEUDO_PARAMETERS",
    "BehaviourTrace",
    "CoverageRecorder",
    "CoverageReport",
    "DuplicateDelivery",
    "Expectation",
    "FaultMatrix",
    "LocalAws",
    "Placeholder",
    "PlaceholderError",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "ScenarioRun",
    "StackTemplate",
    "StateMachineUnderTest",
    "SynthesizedApp",
    "TaskResult",
    "TemplateError",
    "WorkflowRunner",
    "behaviour_trace",
    "check_at_least_once",
    "fault_matrix",
    "load_scenarios",
    "render_behaviour",
    "run_scenario",
    "scenario_runner",
]

_LAZY = {
    "BehaviourTrace": "constructs_sfn.testing.behaviour",
    "behaviour_trace": "constructs_sfn.testing.behaviour",
    "render_behaviour": "constructs_sfn.testing.behaviour",
    "CoverageRecorder": "constructs_sfn.testing.coverage",
    "CoverageReport": "constructs_sfn.testing.coverage",
    "DuplicateDelivery": "constructs_sfn.testing.at_least_once",
    "check_at_least_once": "constructs_sfn.testing.at_least_once",
    "FaultMatrix": "constructs_sfn.testing.fault_matrix",
    "fault_matrix": "constructs_sfn.testing.fault_matrix",
    "LocalAws": "constructs_sfn.testing.local_aws",
    "scenario_runner": "constructs_sfn.testing.scenarios",
    "StackTemplate": "constructs_sfn.testing.assembly",
    "SynthesizedApp": "constructs_sfn.testing.assembly",
    "TemplateError": "constructs_sfn.testing.assembly",
    "StateMachineUnderTest": "constructs_sfn.testing.definitions",
    "PSEUDO_PARAMETERS": "constructs_sfn.testing.placeholders",
    "Placeholder": "constructs_sfn.testing.placeholders",
    "PlaceholderError": "constructs_sfn.testing.placeholders",
    "ScenarioRun": "constructs_sfn.testing.runner",
    "WorkflowRunner": "constructs_sfn.testing.runner",
    "Expectation": "constructs_sfn.testing.scenarios",
    "Scenario": "constructs_sfn.testing.scenarios",
    "ScenarioError": "constructs_sfn.testing.scenarios",
    "ScenarioResult": "constructs_sfn.testing.scenarios",
    "TaskResult": "constructs_sfn.testing.scenarios",
    "load_scenarios": "constructs_sfn.testing.scenarios",
    "run_scenario": "constructs_sfn.testing.scenarios",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_sfn.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
