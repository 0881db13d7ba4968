"""TestState, in one home: request checks, mock validation, context, inspection data and the run.

Why here (``local``) and not in ``asl/runtime``: everything that makes TestState *TestState* is API
behaviour, not ASL semantics: AWS's request checks and messages, the ``mock`` and its validation
against botocore's service models, the context object of the throw-away express execution, which
inspection fields the API reports, the response's JSON text. The runtime already has the building
blocks it needs to run one state (its :class:`~constructs_sfn.asl.runtime.execution.Execution`,
:class:`~constructs_sfn.asl.runtime.frame.Frame`, the ``state_*`` handlers, the Retry/Catch policy
and :func:`~constructs_sfn.asl.parse.parser.parse_state`); this package composes them, and the ASL
layer stays free of API concerns and of botocore.

Modules, in the order a call goes through them:

* :mod:`.request`: :func:`run_request`, the one entry point (``LocalStepFunctions.test_state``);
* :mod:`.locate`: the state ``stateName`` names, also inside a Map or Parallel;
* :mod:`.checks` and :mod:`.mock_validation`: what AWS refuses, with its codes and messages;
* :mod:`.run`: one attempt of the state and the status it ends in (:func:`run_test_state`);
* :mod:`.context`, :mod:`.mocked`, :mod:`.inspection`: the execution it runs in, what a mock
  stands in for, and the ``inspectionData`` AWS reports.
"""

from __future__ import annotations

from constructs_sfn.local.teststate.context import TestStateScope
from constructs_sfn.local.teststate.errors import TestStateRejectedError
from constructs_sfn.local.teststate.request import RunTestState, TestStateRequest, run_request
from constructs_sfn.local.teststate.run import run_test_state

__all__ = [
    "RunTestState",
    "TestStateRejectedError",
    "TestStateRequest",
    "TestStateScope",
    "run_request",
    "run_test_state",
]
