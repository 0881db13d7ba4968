"""Every JSONata evaluation keeps to its budget: time, memory, generated sizes, regex matching.

Each hostile expression must fail quickly as ``States.QueryEvaluationError`` with the cause
``... threw an error during evaluation: <detail>`` (AWS's wording for expressions it stops), never
hang or exhaust the host. AWS documents no numbers for these bounds; ours are in
:mod:`constructs_sfn.asl.jsonata.budget` and ``docs/local.md`` ("Limits").
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from typing import Any

import pytest

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonata import compile_expression
from constructs_sfn.asl.jsonata.bounded_regex import BACKTRACKING_SECONDS, compile_bounded_pattern
from constructs_sfn.asl.jsonata.budget import (
    DEFAULT_LIMITS,
    EvaluationLimits,
    current_limits,
    set_default_limits,
    use_limits,
)
from constructs_sfn.local import LocalStepFunctions

TIMEOUT = "Expression evaluation timeout: Check for infinite loop"
MEMORY = "Expression evaluation memory limit exceeded"
SMALL = EvaluationLimits(seconds=0.3, memory_bytes=64 * 1024 * 1024, max_items=100_000, max_string_length=100_000)
DOUBLING = "$reduce($range(1, 40, 1), function($acc, $i){ $acc & $acc }, 'x')"


def evaluate(text: str) -> Any:
    expression = compile_expression(text, location="/States/S/Output")
    return expression.evaluate({"input": {}}, {}, field="Output", rng=random.Random(0), now_millis=0)


def failure(text: str) -> tuple[str, float]:
    """The cause's last sentence and the seconds the failing evaluation took."""
    started = time.monotonic()
    with pytest.raises(StatesError) as caught:
        evaluate(text)
    elapsed = time.monotonic() - started
    assert caught.value.error == "States.QueryEvaluationError"
    cause = str(caught.value.cause)
    assert cause.startswith(f"The JSONata expression '{text}' specified for the field 'Output' threw an error")
    return cause.rsplit("threw an error during evaluation: ", 1)[1], elapsed


def test_the_documented_defaults() -> None:
    limits = DEFAULT_LIMITS
    assert (limits.seconds, limits.memory_bytes, limits.max_items, limits.max_string_length) == (
        5.0,
        256 * 1024 * 1024,
        5_000_000,
        10_000_000,
    )
    assert current_limits() == DEFAULT_LIMITS


# -- memory: sizes refused before they are built ------------------------------------------------
def test_a_string_that_doubles_in_a_loop_stops_at_the_string_limit_with_default_limits() -> None:
    assert failure(DOUBLING)[0] == MEMORY


def test_a_string_below_the_limit_is_built() -> None:
    assert evaluate("$length($reduce($range(1, 16, 1), function($acc, $i){ $acc & $acc }, 'x'))") == 2**16


@pytest.mark.parametrize(
    "text",
    [
        "$map($range(1, 1000000, 1), function($v){ $range(1, 1000000, 1) })",
        "$range(1, 1000000, 1).($range(1, 1000000, 1))",
        "[1..1000000].([1..1000000])",
        "$reduce([1..40], function($a, $i){ $append($a, $a) }, [1])",
        "$pad('x', 1000000000)",
        "$pad('x', -1000000000)",
        "$join($map([1..1000], function($i){ $pad('x', 50000) }))",
    ],
)
def test_a_runaway_generator_is_refused_on_memory(text: str) -> None:
    with use_limits(SMALL):
        detail, elapsed = failure(text)
    assert detail == MEMORY
    assert elapsed < 5


@pytest.mark.parametrize(
    ("text", "variables"),
    [
        # the engine flattens (a block is outside the direct evaluator's subset)
        ("($a := [1..1000]; $count($a.$a.$a))", {}),
        # the direct evaluator flattens
        ("$count($a.$a.$a)", {"a": list(range(1000))}),
    ],
)
def test_a_path_that_multiplies_sizes_is_refused_on_memory(text: str, variables: dict[str, Any]) -> None:
    expression = compile_expression(text, location="/States/S/Output")
    started = time.monotonic()
    with pytest.raises(StatesError) as caught:
        expression.evaluate({"input": {}}, variables, field="Output", now_millis=0)
    assert str(caught.value.cause).endswith(MEMORY)
    assert time.monotonic() - started < 5


def test_a_path_below_the_item_limit_is_flattened() -> None:
    expression = compile_expression("$count($a.$a)", location="/States/S/Output")
    assert expression.evaluate({"input": {}}, {"a": list(range(1000))}, field="Output", now_millis=0) == 1_000_000


def test_sequence_items_are_counted_over_the_whole_evaluation() -> None:
    with use_limits(EvaluationLimits(max_items=10_000)):
        assert evaluate("$count($range(1, 6000, 1))") == 6000
        # Each evaluation has a budget of its own...
        assert evaluate("$count($range(1, 6000, 1))") == 6000
        # ...shared by all the calls it makes.
        assert failure("$count($range(1, 6000, 1)) + $count($range(1, 6000, 1))")[0] == MEMORY


_RESIDENT_MEMORY_PROBE = """
from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonata import EvaluationLimits, compile_expression, use_limits

text = "$count($map([1..300000], function($x){ {'k': $x, 's': 'abc' & $x} }))"
expression = compile_expression(text, location="/States/S/Output")
with use_limits(EvaluationLimits(memory_bytes=4 * 1024 * 1024, max_items=10_000_000)):
    try:
        expression.evaluate({}, {}, field="Output", now_millis=0)
    except StatesError as error:
        print(error.cause)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="resident memory is read from /proc/self/statm")
def test_resident_memory_growth_is_bounded() -> None:
    # A fresh interpreter: memory an earlier test freed would be reused without the process growing.
    probe = subprocess.run(
        [sys.executable, "-c", _RESIDENT_MEMORY_PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert probe.stdout.strip().endswith(MEMORY), probe.stdout + probe.stderr


# -- time ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # the engine's evaluator
        "$reduce([1..3000000], function($a, $b){ $a + $b })",
        "($loop := function($i){ $i > 0 ? ($loop($i - 1); $loop($i - 1)) : 0 }; $loop(40))",
        # the direct evaluator's $map loop
        "$count($map([1..3000000], function($x){ $x * 2 }))",
    ],
)
def test_a_long_evaluation_stops_on_the_time_limit(text: str) -> None:
    with use_limits(EvaluationLimits(seconds=0.2)):
        detail, elapsed = failure(text)
    assert detail == TIMEOUT
    assert elapsed < 3


def test_nested_short_loops_of_the_direct_evaluator_stop_on_the_time_limit() -> None:
    # 300 members each, 27 million applications: every loop is short, their product is not.
    text = "$map($a, function($i){ $map($a, function($j){ $map($a, function($k){ $k }) }) })"
    expression = compile_expression(text, location="/States/S/Output")
    started = time.monotonic()
    with use_limits(EvaluationLimits(seconds=0.2)), pytest.raises(StatesError) as caught:
        expression.evaluate({"input": {}}, {"a": list(range(300))}, field="Output", now_millis=0)
    assert str(caught.value.cause).endswith(TIMEOUT)
    assert time.monotonic() - started < 3


# -- regular expressions --------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(a|a)+$", "^(\\w+\\s?)*$"])
def test_a_catastrophic_pattern_matches_in_linear_time(pattern: str) -> None:
    subject = "a" * 30 + "!"
    assert compile_bounded_pattern(pattern).linear
    started = time.monotonic()
    assert evaluate(f'$contains("{subject}", /{pattern}/)') is False
    assert evaluate(f'$count($match("{subject}", /{pattern}/))') == 0
    assert time.monotonic() - started < 1


def test_a_linear_match_is_the_regex_match() -> None:
    assert evaluate('$match("ab12cd345", /[0-9]+/).match') == ["12", "345"]
    assert evaluate('$replace("a-b-c", /-/, "+")') == "a+b+c"
    assert evaluate('$split("a1b22c", /[0-9]+/)') == ["a", "b", "c"]
    assert evaluate('$contains("HELLO", /hello/i)') is True
    assert evaluate('$replace("abc", /(b)/, "[$1]")') == "a[b]c"


def test_javascript_classes_are_ascii_and_dollar_is_the_end() -> None:
    # As in JavaScript (and so AWS): \\d is [0-9], and $ does not match before a final newline.
    assert evaluate('$contains("\\u0663", /\\d/)') is False
    assert evaluate('$contains("a\\n", /a$/)') is False
    assert evaluate('$contains("a\\nb", /a$/m)') is True


def test_a_pattern_outside_re2_still_works_with_backreferences_and_lookarounds() -> None:
    assert not compile_bounded_pattern("(ab)\\1").linear
    assert evaluate('$match("xababy", /(ab)\\1/).match') == "abab"
    assert evaluate('$contains("price: 10", /(?<=: )10/)') is True


def test_a_catastrophic_pattern_outside_re2_stops_on_the_time_limit() -> None:
    pattern = "^(a|aa)+\\1$"
    assert not compile_bounded_pattern(pattern).linear
    with use_limits(EvaluationLimits(seconds=0.3)):
        detail, elapsed = failure(f'$contains("{"a" * 34}!", /{pattern}/)')
    assert detail == TIMEOUT
    # the regex module looks at its timer now and then: allow its overrun
    assert elapsed < 4 * BACKTRACKING_SECONDS


def test_an_invalid_pattern_is_still_a_definition_error() -> None:
    from constructs_sfn.asl.errors import DefinitionError

    with pytest.raises(DefinitionError) as refused:
        compile_expression("$match('a', /(a/)", location="/States/S/Output")
    assert refused.value.code == "INVALID_JSONATA_EXPRESSION"


# -- configuration ------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["seconds", "memory_bytes", "max_items", "max_string_length"])
def test_limits_must_be_positive(field: str) -> None:
    with pytest.raises(ValueError, match=f"EvaluationLimits.{field} must be a positive number"):
        EvaluationLimits(**{field: 0})


@pytest.mark.parametrize("field", ["max_items", "max_string_length"])
def test_size_limits_must_be_above_the_sizes_never_checked(field: str) -> None:
    with pytest.raises(ValueError, match=f"EvaluationLimits.{field} must be more than 4096, got 4096"):
        EvaluationLimits(**{field: 4096})


def test_default_limits_can_be_replaced_and_restored() -> None:
    try:
        set_default_limits(EvaluationLimits(max_string_length=5000))
        assert failure("$pad('x', 3000) & $pad('y', 3000)")[0] == MEMORY
    finally:
        set_default_limits(DEFAULT_LIMITS)
    assert evaluate("$length($pad('x', 3000) & $pad('y', 3000))") == 6000
    with pytest.raises(TypeError, match="limits must be an EvaluationLimits"):
        set_default_limits(10)  # type: ignore[arg-type]


# -- in a workflow ------------------------------------------------------------------------------
def test_a_state_whose_expression_exceeds_the_budget_fails_the_execution() -> None:
    client = LocalStepFunctions()
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "S",
        "States": {"S": {"Type": "Pass", "Output": "{% " + DOUBLING + " %}", "End": True}},
    }
    arn = client.create_state_machine(
        name="hostile", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]
    described = client.describe_execution(executionArn=client.start_execution(stateMachineArn=arn)["executionArn"])
    assert (described["status"], described["error"]) == ("FAILED", "States.QueryEvaluationError")
    assert described["cause"] == (
        "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression "
        f"'{DOUBLING}' specified for the field 'Output' threw an error during evaluation: {MEMORY}"
    )
