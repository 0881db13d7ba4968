"""YAML definitions with hostile aliases: refused at parse time, located, in bounded time."""

from __future__ import annotations

import time

import pytest

from constructs_sfn.asl import DefinitionError
from constructs_sfn.asl.parse import parse_definition
from constructs_sfn.asl.parse.yaml_text import MAX_EXPANDED_NODES, NotYamlMappingError, load_yaml_definition

MACHINE = "StartAt: P\nStates:\n  P: {Type: Pass, End: true, Result: *top}\n"


def laughs(levels: int, width: int = 10) -> str:
    """Each level repeats the previous one ``width`` times: ``width ** levels`` strings in all."""
    lines = [f"x0: &l0 [{', '.join(['lol'] * width)}]"]
    lines.extend(f"x{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]" for level in range(1, levels))
    lines.append(f"top: &top [*l{levels - 1}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly_and_located() -> None:
    started = time.perf_counter()
    with pytest.raises(DefinitionError) as excinfo:
        load_yaml_definition(laughs(9) + MACHINE)  # 10**9 strings once expanded
    assert time.perf_counter() - started < 2
    error = excinfo.value
    assert error.code == "INVALID_JSON_DESCRIPTION"
    assert f"more than the {MAX_EXPANDED_NODES} allowed" in error.message
    assert "to 3456790145 nodes" in error.message  # keys, lists and strings, every alias expanded
    assert "the anchor at line 10, column 6, used at /States/P/Result" in error.message  # top
    assert error.location == "/States/P/Result"


def test_parse_definition_refuses_the_bomb_too() -> None:
    with pytest.raises(DefinitionError, match="YAML aliases expand the definition"):
        parse_definition(laughs(7) + MACHINE)


def test_modest_aliases_are_fine() -> None:
    loaded = load_yaml_definition(laughs(3) + MACHINE)  # 1,000 strings
    assert len(loaded["States"]["P"]["Result"][0]) == 10


def test_merge_keys_and_shared_retry_policies_work() -> None:
    text = (
        "retry: &retry [{ErrorEquals: [States.ALL], MaxAttempts: 2}]\n"
        "StartAt: A\n"
        "States:\n"
        "  A: {Type: Pass, Next: B}\n"
        "  B: {Type: Task, Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Retry: *retry, End: true}\n"
    )
    document = load_yaml_definition(text)
    assert document["States"]["B"]["Retry"] == [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}]


def test_a_node_containing_itself_is_refused() -> None:
    text = "StartAt: P\nStates: &states\n  P: {Type: Pass, End: true, Result: *states}\n"
    with pytest.raises(DefinitionError) as excinfo:
        parse_definition(text)
    assert excinfo.value.location == "/States/P/Result"
    assert "refers to a node that contains it (the anchor at line 2, column 9)" in excinfo.value.message


def test_a_list_containing_itself_is_refused() -> None:
    with pytest.raises(DefinitionError) as excinfo:
        load_yaml_definition("StartAt: P\nLoop: &loop [1, *loop]\n")
    assert excinfo.value.location == "/Loop/1"


def test_yaml_nested_deeper_than_json_may_be_is_refused() -> None:
    text = "StartAt: P\nStates: {P: {Type: Pass, End: true, Result: " + "[" * 1200 + "]" * 1200 + "}}\n"
    with pytest.raises(DefinitionError, match="nested more than 1000 levels"):
        parse_definition(text)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just words", "a: [unclosed", "\x1f"])
def test_text_that_is_no_yaml_mapping_is_said_so(text: str) -> None:
    with pytest.raises(NotYamlMappingError):
        load_yaml_definition(text)
