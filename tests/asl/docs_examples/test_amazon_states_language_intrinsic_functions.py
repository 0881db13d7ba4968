"""The worked examples of the developer guide's (2023) intrinsic functions page, run inside states.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-intrinsic-functions.html
(now https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html). The functions
themselves are tested one by one in tests/asl/intrinsics/test_intrinsic_doc_examples.py; here the
page's examples run as a state machine would run them, in the fields the page's table lists.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from docs_support import LAMBDA_ARN, returns, succeeded

from constructs_sfn.asl import DefinitionError, parse_definition


def pass_with(parameters: dict[str, Any]) -> dict[str, Any]:
    """A Pass state whose Parameters hold the example."""
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": parameters, "End": True}}}


@pytest.mark.parametrize(
    "call", ["States.Format('Hello, my name is {}.', $.name)", "States.Format($.template, $.name)"]
)
def test_format_with_a_literal_or_a_path_template(call: str) -> None:
    """Both forms of the page's States.Format give ``Hello, my name is Arnav.``."""
    output = succeeded(pass_with({"greeting.$": call}), {"name": "Arnav", "template": "Hello, my name is {}."})

    assert output == {"greeting": "Hello, my name is Arnav."}


def test_string_to_json_parses_an_escaped_string() -> None:
    """``States.StringToJson($.escapedJsonString)`` turns ``"{\\"foo\\": \\"bar\\"}"`` into an object."""
    output = succeeded(
        pass_with({"parsed.$": "States.StringToJson($.escapedJsonString)"}), {"escapedJsonString": '{"foo": "bar"}'}
    )

    assert output == {"parsed": {"foo": "bar"}}


def test_json_to_string_gives_json_text_of_the_path() -> None:
    """``States.JsonToString($.unescapedJson)`` gives JSON text for the object. The page prints it with
    a space after the colon; Step Functions writes JSON text without insignificant whitespace, as the
    conformance corpus records, so the text is ``{"foo":"bar"}``.
    """
    output = succeeded(pass_with({"text.$": "States.JsonToString($.unescapedJson)"}), {"unescapedJson": {"foo": "bar"}})

    assert output == {"text": '{"foo":"bar"}'}
    assert json.loads(output["text"]) == {"foo": "bar"}


def test_array_builds_an_array_of_its_arguments() -> None:
    """``"BuildId.$": "States.Array($.Id)"`` on ``{"Id": 123456}`` gives ``"BuildId": [123456]``."""
    assert succeeded(pass_with({"BuildId.$": "States.Array($.Id)"}), {"Id": 123456}) == {"BuildId": [123456]}


@pytest.mark.parametrize(
    ("literal", "text"),
    [
        ("'it\\'s'", "it's"),
        ("'\\{braces\\}'", "{braces}"),
        ("'back\\\\slash'", "back\\slash"),
    ],
)
def test_reserved_characters_are_escaped_with_a_backslash(literal: str, text: str) -> None:
    """``\\'``, ``\\{``, ``\\}`` and ``\\\\`` stand for ``'``, ``{``, ``}`` and ``\\`` inside a literal
    (written in the Python source here, so each backslash of the definition is doubled once more).
    """
    assert succeeded(pass_with({"v.$": f"States.Format({literal})"}), {}) == {"v": text}


def test_an_open_escape_backslash_is_rejected() -> None:
    """An escape backslash followed by nothing it can escape is an error. The page calls it a runtime
    error; the executor finds it when the definition is parsed, as it does every call the intrinsic
    grammar rejects (AWS validates intrinsic calls at create time with the same message shape). No
    recorded AWS case settles which of the two AWS does, so this is the page's rule moved earlier.
    """
    with pytest.raises(DefinitionError) as raised:
        parse_definition(pass_with({"v.$": "States.Format('open \\ here')"}))

    assert "'v.$'" in str(raised.value)
    assert "/States/P/Parameters" in str(raised.value)


def test_intrinsics_work_in_a_task_result_selector() -> None:
    """The page's table allows intrinsics in a Task's ResultSelector."""
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA_ARN,
                "ResultSelector": {"summary.$": "States.Format('{} items', $.count)"},
                "End": True,
            }
        },
    }

    assert succeeded(definition, {}, worker=returns({"count": 3})) == {"summary": "3 items"}


@pytest.mark.parametrize(
    "state",
    [
        {"Type": "Pass", "InputPath": "States.Array($.a)", "End": True},
        {"Type": "Pass", "OutputPath": "States.Array($.a)", "End": True},
        {"Type": "Pass", "ResultPath": "States.Array($.a)", "End": True},
    ],
    ids=["InputPath", "OutputPath", "ResultPath"],
)
def test_intrinsics_are_not_paths(state: dict[str, Any]) -> None:
    """The table lists no intrinsic support for InputPath, ResultPath or OutputPath: a call there is
    not a path and the definition is rejected.
    """
    with pytest.raises(DefinitionError):
        parse_definition({"StartAt": "P", "States": {"P": state}})
