"""Cases where the local executor knowingly differs from what AWS recorded.

Maps a corpus case ``id`` (exactly as in the ``.jsonl`` files) to the reason. Listed cases run as
``xfail(strict=True)``: when a deviation gets fixed the suite fails until the entry is removed.
Every key must be a real case id (checked by ``test_known_deviations_are_real_cases``).
"""

from __future__ import annotations

__all__ = ["KNOWN_DEVIATIONS"]

_PARALLEL_TASK_ABORTED = (
    "When a Task inside a JSONata Parallel branch fails and the Parallel's Catch handles it, AWS "
    "recorded TaskStateAborted for the branch and no ParallelStateFailed; for a branch ending in a "
    "Fail state (cases.jsonl test_parallel_state_catch) it records ParallelStateFailed, which is what "
    "the executor always does. The rule that separates the two is not understood yet."
)
_MEMORY_SIZE = (
    "TestState validated the mocked lambda:getFunction result against a MemorySize maximum of 10240 "
    "when this was recorded; the installed botocore service model (which our mock validation follows) "
    "allows 32768, so no ValidationException is raised."
)

KNOWN_DEVIATIONS: dict[str, str] = {
    "tests/aws/services/stepfunctions/v2/test_state/test_field_validation_mode.py::TestFieldValidationMode::"
    "test_strict_mode_aws_sdk_lambda_get_function_task[integer_more_than_maximum_allowed]": _MEMORY_SIZE,
    "tests/aws/services/stepfunctions/v2/test_state/test_field_validation_mode_present.py::"
    "TestFieldValidationModePresent::test_present_mode_aws_sdk_lambda_get_function_task"
    "[integer_more_than_maximum_allowed]": _MEMORY_SIZE,
    "tests/aws/services/stepfunctions/v2/test_state/test_state_mock_validation.py::TestStateMockValidation::"
    "test_map_iteration_failure_count_exceeds_mock_result_items": (
        "The recorded request has no stateConfiguration, yet AWS answered with the "
        "mapIterationFailureCount error: the corpus lost the argument AWS rejected."
    ),
    "tests/aws/services/stepfunctions/v2/states_variables/test_error_output.py::TestStateVariablesTemplate::"
    "test_parallel_catch_error[PARALLEL_CATCH_ERROR_OUTPUT]": _PARALLEL_TASK_ABORTED,
    "tests/aws/services/stepfunctions/v2/states_variables/test_error_output.py::TestStateVariablesTemplate::"
    "test_parallel_catch_error[PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY]": _PARALLEL_TASK_ABORTED,
    "tests/aws/services/stepfunctions/v2/states_variables/test_error_output.py::TestStateVariablesTemplate::"
    "test_parallel_catch_error[PARALLEL_CATCH_ERROR_VARIABLE_SAMPLING]": _PARALLEL_TASK_ABORTED,
    "tests/aws/services/stepfunctions/v2/test_state/test_test_state_mock_scenarios.py::TestStateMockScenarios::"
    "test_put_events_mock_success": (
        "The recorded mock result carries EventId 'u0003170-0000-4000-8000-000000000000', which is not a "
        "UUID, while the recorded response masks it as <uuid:1>; the executor echoes the mock unchanged, "
        "as AWS does, so the masked comparison cannot match."
    ),
}
