"""Path forms that the AWS documentation, AWS blog posts and AWS sample definitions use or rule out.

Each test names its source: the paths page
(https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html), the
intrinsics page (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html), the
AWS Compute Blog post "Using JSONPath effectively in AWS Step Functions" and its sample repository.
The rules, in short:

* a bracket may follow a single dot (``$.abc.['def ghi']``, ``$.[0]``): the engine reads whatever
  token follows the dot;
* ``name()`` is not a function: "Functions such as length() aren't supported", so ``$.a.length()``
  names a property called ``length()`` (a runtime miss, as AWS reports it), and a Reference Path
  refuses it at creation;
* a union of names (``$['a', 'b']``) merges into one object and so may only end a path;
* a bare word in a filter is a string (``[?(@.category==home)]`` in AWS's own sample);
* ``@`` in a filter only matches objects.
"""

from __future__ import annotations

from typing import Any

import pytest

from constructs_sfn.asl import Execution, VirtualClock, parse_definition
from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.jsonpath import PathNotFound, compile_path, compile_reference_path
from constructs_sfn.asl.jsonpath.evaluate import InvalidPath
from constructs_sfn.asl.parse.path_syntax import own_path_shape, path_shape


def run_pass(state: dict[str, Any], input_value: Any) -> Execution:
    """One Pass state named ``S`` run on ``input_value``."""
    definition = {"StartAt": "S", "States": {"S": {"Type": "Pass", "End": True, **state}}}
    execution = Execution(parse_definition(definition), input_value, clock=VirtualClock.fixed(), rng_seed=0)
    return execution.run()


# ---- a bracket after a single dot ----


def test_bracket_after_dot_as_the_intrinsics_page_shows() -> None:
    """``$.abc.['def ghi']`` (intrinsic-functions page, and the paths page: "you must use square
    bracket notation [...] For example, $.abc.['def ghi']")."""
    path = compile_path("$.abc.['def ghi']")
    assert path.normalized == "$['abc']['def ghi']"
    assert path.find({"abc": {"def ghi": 7}}) == 7
    assert path_shape("$.abc.['def ghi']") is not None
    assert own_path_shape("$.abc.['def ghi']") is not None


@pytest.mark.parametrize(
    ("text", "document", "expected"),
    [
        # ResultSelector forms from public CDK apps over Parallel results.
        ("$.[0].document_key", [{"document_key": "k"}], "k"),
        ("$.[2].detail.id", [{}, {}, {"detail": {"id": 9}}], 9),
        ("$.[*].error", [{"error": "a"}, {"error": "b"}], ["a", "b"]),
        ("$.[?(@.antivirus)].antivirus", [{"antivirus": 1}, {"x": 2}, {"antivirus": 3}], [1, 3]),
        ("$.['Payload._baselime', 'null']", {"Payload._baselime": 1}, {"Payload._baselime": 1}),
    ],
)
def test_bracket_after_dot_in_result_selectors(text: str, document: Any, expected: Any) -> None:
    """Definitions in public Step Functions apps write ``$.[0]``; it means ``$[0]``."""
    assert compile_path(text).find(document) == expected


def test_dot_bracket_in_a_parallel_result_selector_runs() -> None:
    """End to end: a Parallel's ResultSelector picks branch results with ``$.[n]``."""
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"v": 1}, "End": True}}},
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": {"v": 2}, "End": True}}},
                ],
                "ResultSelector": {"first.$": "$.[0].v", "second.$": "$.[1].v"},
                "End": True,
            }
        },
    }
    execution = Execution(parse_definition(definition), {}, clock=VirtualClock.fixed(), rng_seed=0).run()
    assert execution.status == "SUCCEEDED"
    assert execution.output == {"first": 1, "second": 2}


@pytest.mark.parametrize("text", ["$.", "$.a.", "$.[", "$...a"])
def test_a_dot_still_needs_a_token(text: str) -> None:
    """The engine: "Path must not end with a '.'"; a third dot is not a token either."""
    with pytest.raises(DefinitionError):
        compile_path(text)


# ---- name() is a property name ----


def test_functions_are_not_supported_in_parameters() -> None:
    """Paths page: "Functions such as length() aren't supported." A Parameters path written with
    ``.sum()`` fails at runtime with the ordinary not-found cause (as AWS answered on re:Post for
    ``$.Jobs.sum()``)."""
    execution = run_pass({"Parameters": {"Jobs.$": "$.Jobs.sum()"}}, {"Jobs": [0, 1]})
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert execution.cause == (
        "An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath "
        "'$.Jobs.sum()' specified for the field 'Jobs.$' could not be found in the input '{\"Jobs\":[0,1]}'"
    )


def test_function_syntax_in_input_path_is_a_missing_property() -> None:
    """InputPath ``$.list.length()`` fails at runtime naming the property ``['length()']`` (the case
    behind the paths page's "functions are not supported" note)."""
    execution = run_pass({"InputPath": "$.list.length()"}, {"list": [1, 2]})
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "Invalid path '$.list.length()' : " in (execution.cause or "")
    assert "['length()']" in (execution.cause or "")


def test_function_syntax_names_a_property_that_can_exist() -> None:
    """Being a property name, ``length()`` selects a key of that name when there is one."""
    assert compile_path("$.a.length()").find({"a": {"length()": 3}}) == 3
    assert compile_path("$.a[?(@.b.length() == 1)].c").find({"a": [{"b": {"length()": 1}, "c": 9}]}) == [9]


def test_reference_paths_refuse_function_syntax() -> None:
    """Paths page, Reference Paths: "Functions such as length() aren't supported." The same name in
    brackets is an ordinary property."""
    with pytest.raises(DefinitionError):
        compile_reference_path("$.a.length()")
    assert compile_reference_path("$.a['length()']").find({"a": {"length()": 1}}) == 1


# ---- unions of names ----


def test_a_union_of_names_merges_at_the_leaf() -> None:
    """``$['a', 'b']`` as InputPath keeps the present members as one object (AWS console output in
    "AWS Step Functions StateMachine Language JSONPath Gotchas")."""
    document = {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}
    execution = run_pass({"InputPath": "$['a', 'b']", "ResultPath": "$.out"}, document)
    assert execution.status == "SUCCEEDED"
    assert execution.output == {**document, "out": {"a": {"v": 1}, "b": {"v": 2}}}


def test_a_union_of_names_before_another_segment_fails() -> None:
    """AWS answers ``$['a', 'b'].v`` with "Invalid path '$['a', 'b'].v' : Multi properties can only be
    used as path leafs: $['a', 'b']" (same source)."""
    document = {"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}}
    execution = run_pass({"InputPath": "$['a', 'b'].v"}, document)
    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert execution.cause == (
        "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path "
        "'$['a', 'b'].v' : Multi properties can only be used as path leafs: $['a', 'b']"
    )


def test_a_non_leaf_union_fails_even_inside_a_filter() -> None:
    """The refusal is not a miss: a filter does not swallow it."""
    with pytest.raises(InvalidPath):
        compile_path("$.x[?(@['a','b'].c == 1)]").find({"x": [{"a": {"c": 1}}]})
    assert issubclass(InvalidPath, PathNotFound)


# ---- filters ----


def test_unquoted_words_in_filters_are_strings() -> None:
    """AWS's "Using JSONPath effectively in AWS Step Functions" post and its sample
    (aws-samples/serverless-account-signup-service) filter with ``$..interests[?(@.category==home)]``
    as an InputPath and get the home interests."""
    document = {
        "data": {
            "interests": [
                {"category": "home", "type": "own", "yearBuilt": 2004},
                {"category": "auto", "type": "car"},
                {"category": "boat", "type": "snowmobile"},
            ]
        }
    }
    execution = run_pass({"InputPath": "$..interests[?(@.category==home)]"}, document)
    assert execution.status == "SUCCEEDED"
    assert execution.output == [{"category": "home", "type": "own", "yearBuilt": 2004}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$.p[?(@.status==subject_completed)].id", [1]),
        ("$.p[?(@.status != subject_completed)].id", [2]),
        ("$.p[?(@.name==/eggs/cooked/like)].id", [2]),
        ("$.p[?(@.name =~ /.*eggs.*/)].id", [2]),
        ("$.p[?(@.flag == true)].id", [1]),
        ("$.p[?(@.flag == trueish)].id", [2]),
    ],
)
def test_bare_words_and_regexes(text: str, expected: list[int]) -> None:
    """A bare word is read up to a blank, an operator or ``)``; ``/.../`` is a regex only when it ends
    the operand, otherwise the text itself (``==/eggs/cooked/like``, reported from AWS usage)."""
    document = {
        "p": [
            {"id": 1, "status": "subject_completed", "name": "x", "flag": True},
            {"id": 2, "status": "subject_added", "name": "/eggs/cooked/like", "flag": "trueish"},
        ]
    }
    assert compile_path(text).find(document) == expected


def test_the_paths_page_filter_example() -> None:
    """Paths page: ``$.jar[?(@.a >= 5)] => [{"a": 5}, {"a": 7}]``."""
    jar = [{"a": 1}, {"a": 5}, {"a": 2}, {"a": 7}, {"a": 3}]
    assert compile_path("$.jar[?(@.a >= 5)]").find({"jar": jar}) == [{"a": 5}, {"a": 7}]


def test_current_node_matches_objects_only() -> None:
    """Paths page: "The @ operator [...] does not match scalar values. It only matches objects." """
    assert compile_path("$.a[?(@ == 1)]").find({"a": [1, 2, {"b": 1}]}) == []
    assert compile_path("$.a[?(@.b == 1)]").find({"a": [1, 2, {"b": 1}]}) == [{"b": 1}]


@pytest.mark.parametrize(
    "text",
    [
        "$.a[?(@.x == 'y' && @.z != 2)]",
        "$.a[?(@.x < 1 || @.x >= 3)]",
        "$.a[?(!(@.x))]",
        "$.a[?( @.x == 'y' )]",
        "$.a[?(@['x y'] == 1)]",
        "$.a[?(@.x in ['a', 'b'])]",
        "$.a[?(@.x nin [1])]",
    ],
)
def test_filter_operators_parse(text: str) -> None:
    """Jayway's filter grammar: comparisons, ``&&``, ``||``, ``!``, blanks and brackets."""
    assert not compile_path(text).is_definite


@pytest.mark.parametrize(
    ("text", "document", "expected"),
    [
        (
            "$.list[?(@.keep)]",
            {"list": [{"keep": True}, {"keep": False}, {"other": 1}]},
            [{"keep": True}, {"keep": False}],
        ),
        ("$.list[?(@.keep == true)]", {"list": [{"keep": True}, {"keep": False}]}, [{"keep": True}]),
        ("$.d..a", {"d": {"x": {"a": [1, 2]}}}, [[1, 2]]),
        ("$.d..a[*]", {"d": {"x": {"a": [1, 2]}}}, [1, 2]),
    ],
)
def test_what_step_functions_local_answers(text: str, document: Any, expected: Any) -> None:
    """AWS's own emulator (amazon/aws-stepfunctions-local), as reported in floci-io/floci#3260: an
    existence filter keeps every object that has the key, whatever its value; ``..`` collects each
    match once, and a following ``[*]`` flattens the arrays it found."""
    assert compile_path(text).find(document) == expected
