"""The shared tail of every state that produces a result: result -> output, Assign, exit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.runtime.dataflow import (
    apply_input_path,
    apply_output_path,
    apply_result_path,
    evaluate_assignment,
)

if TYPE_CHECKING:
    from constructs_sfn.asl.model.states import State
    from constructs_sfn.asl.runtime.execution import Execution
    from constructs_sfn.asl.runtime.frame import Frame

__all__ = ["effective_input", "finish_with_result", "finish_without_result"]


def effective_input(ex: Execution, frame: Frame, state: State, raw_input: Any, context: Any) -> Any:
    """JSONPath InputPath then Parameters, recording both for TestState."""
    value = apply_input_path(state, raw_input, context, frame.variables)
    ex.inspect("afterInputPath", value)
    if state.parameters is not None:
        value = state.parameters.evaluate(value, context, frame.variables, ex.rng)
        ex.inspect("afterParameters", value)
    return value


def finish_with_result(ex: Execution, frame: Frame, state: State, raw_input: Any, result: Any, context: Any) -> Any:
    """Task/Map/Parallel/Pass: ResultSelector, ResultPath, OutputPath (or JSONata Output)."""
    variables = frame.variables
    if state.is_jsonata:
        states = {"input": raw_input, "result": result, "context": context}
        output = (
            state.output.evaluate(states, variables, field="Output", rng=ex.rng, now_millis=ex.now_millis())
            if state.output is not None
            else result
        )
        assigned = (
            evaluate_assignment(
                state.assign, states=states, variables=variables, rng=ex.rng, now_millis=ex.now_millis()
            )
            if state.assign is not None
            else None
        )
    else:
        if state.result_selector is not None:
            result = state.result_selector.evaluate(result, context, variables, ex.rng)
        ex.inspect("afterResultSelector", result)
        assigned = (
            evaluate_assignment(state.assign, jsonpath_value=result, context=context, variables=variables, rng=ex.rng)
            if state.assign is not None
            else None
        )
        output = apply_result_path(state.result_path, state.result_path_null, raw_input, result)
        ex.inspect("afterResultPath", output)
        output = apply_output_path(state, output, context, variables)
    ex.exit_state(frame, state, output, assigned)
    return output


def finish_without_result(
    ex: Execution,
    frame: Frame,
    state: State,
    raw_input: Any,
    effective_input: Any,
    context: Any,
    *,
    assign: Any = None,
    jsonata_output: Any = None,
) -> Any:
    """Choice/Wait/Succeed: the output is the (path-filtered) input; Assign sees that input."""
    variables = frame.variables
    assignment = assign if assign is not None else state.assign
    if state.is_jsonata:
        states = {"input": raw_input, "context": context}
        expression = jsonata_output if jsonata_output is not None else state.output
        output = (
            expression.evaluate(states, variables, field="Output", rng=ex.rng, now_millis=ex.now_millis())
            if expression is not None
            else raw_input
        )
        assigned = (
            evaluate_assignment(assignment, states=states, variables=variables, rng=ex.rng, now_millis=ex.now_millis())
            if assignment is not None
            else None
        )
    else:
        assigned = (
            evaluate_assignment(
                assignment, jsonpath_value=effective_input, context=context, variables=variables, rng=ex.rng
            )
            if assignment is not None
            else None
        )
        output = apply_output_path(state, effective_input, context, variables)
    ex.exit_state(frame, state, output, assigned)
    return output
