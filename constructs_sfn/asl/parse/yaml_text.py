"""YAML definitions, read without letting aliases multiply the document.

YAML aliases (``*name``) repeat an anchored node (``&name``) by reference. A few lines can repeat
a node exponentially often ("billion laughs"), or make a node contain itself; either one would
later cost gigabytes or never finish once the definition is walked or written as JSON. So the
node graph is measured before anything is built:

- a node that contains itself through an alias is refused (JSON has no cycles);
- with every alias expanded, the document may hold at most :data:`MAX_EXPANDED_NODES` nodes
  (scalars, sequences, mappings, keys included). A document without aliases is not limited here:
  its size is bounded by its text;
- the document may nest at most :data:`~constructs_sfn.asl.parse.json_text.MAX_NESTING_DEPTH`
  levels, as JSON text may.

Each refusal is a :class:`~constructs_sfn.asl.errors.DefinitionError` with the JSON pointer of
the offending place and the YAML line and column of the anchor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from constructs_sfn.asl.errors import DefinitionError
from constructs_sfn.asl.parse.json_text import MAX_NESTING_DEPTH

if TYPE_CHECKING:
    from yaml.nodes import Node

__all__ = ["MAX_EXPANDED_NODES", "NotYamlMappingError", "load_yaml_definition", "load_yaml_document"]

MAX_EXPANDED_NODES = 100_000
"""How many nodes a YAML definition may hold once every alias is expanded."""

_INVALID_YAML = "INVALID_JSON_DESCRIPTION"


class NotYamlMappingError(Exception):
    """The text is not YAML, or (for a definition) its document is not a mapping."""


def load_yaml_definition(text: str) -> dict[str, Any]:
    """The mapping a YAML definition holds; :class:`NotYamlMappingError` when the text is none.

    Raises :class:`DefinitionError` for recursive or exploding aliases and too-deep nesting.
    """
    loaded = load_yaml_document(text, mapping_only=True)
    if not isinstance(loaded, dict):  # pragma: no cover - a MappingNode constructs a dict
        raise NotYamlMappingError("the YAML document is not a mapping")
    return loaded


def load_yaml_document(text: str, *, what: str = "definition", mapping_only: bool = False) -> Any:
    """The value of one YAML document (any YAML file: ``what`` names it in messages), by the rules
    above; :class:`NotYamlMappingError` for text that is not YAML (or, with ``mapping_only``, whose
    document is not a mapping). An empty document is None.
    """
    import yaml  # PyYAML: only needed for YAML definitions

    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:  # the reader refuses some characters at once
        raise NotYamlMappingError(str(error)) from error
    try:
        try:
            root = loader.get_single_node()
        except RecursionError:
            raise _too_deep("", what) from None
        except yaml.YAMLError as error:
            raise NotYamlMappingError(str(error)) from error
        if mapping_only and not isinstance(root, yaml.MappingNode):
            raise NotYamlMappingError("the YAML document is not a mapping")
        if root is None:
            return None
        _check_aliases(root, what)
        try:
            loaded = loader.construct_document(root)
        except yaml.YAMLError as error:
            raise NotYamlMappingError(str(error)) from error
        except RecursionError:
            raise _too_deep("", what) from None
    finally:
        loader.dispose()
    return loaded


def _mark(node: Node) -> str:
    return f"line {node.start_mark.line + 1}, column {node.start_mark.column + 1}"


def _too_deep(pointer: str, what: str) -> DefinitionError:
    return DefinitionError(
        f"The YAML {what} is nested more than {MAX_NESTING_DEPTH} levels deep",
        location=pointer,
        code=_INVALID_YAML,
    )


def _children(node: Node, pointer: str) -> Iterator[tuple[Node, str]]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield item, f"{pointer}/{index}"
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            yield key, pointer
            yield value, f"{pointer}/{str(name).replace('~', '~0').replace('/', '~1')}"


def _check_aliases(root: Node, what: str) -> None:
    """Measure the expanded size without expanding: each distinct node is visited once."""
    sizes: dict[int, int] = {}
    on_path = {id(root)}
    stack: list[tuple[Node, Iterator[tuple[Node, str]]]] = [(root, _children(root, ""))]
    totals = [1]
    largest_alias: tuple[int, str, Node] | None = None
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            size = totals.pop()
            sizes[id(node)] = size
            if totals:
                totals[-1] += size
            continue
        child_node, pointer = child
        key = id(child_node)
        if key in on_path:
            raise DefinitionError(
                f"The YAML alias at {pointer or '/'} refers to a node that contains it "
                f"(the anchor at {_mark(child_node)}); a {what} cannot contain itself",
                location=pointer,
                code=_INVALID_YAML,
            )
        if key in sizes:  # seen before: an alias (or a key repeated by the same node)
            totals[-1] += sizes[key]
            if largest_alias is None or sizes[key] > largest_alias[0]:
                largest_alias = (sizes[key], pointer, child_node)
            continue
        if len(stack) >= MAX_NESTING_DEPTH:
            raise _too_deep(pointer, what)
        on_path.add(key)
        stack.append((child_node, _children(child_node, pointer)))
        totals.append(1)
    expanded = sizes[id(root)]
    if largest_alias is not None and expanded > MAX_EXPANDED_NODES:
        _, pointer, anchor = largest_alias
        raise DefinitionError(
            f"YAML aliases expand the {what} to {expanded} nodes, more than the {MAX_EXPANDED_NODES} "
            f"allowed (the largest repeated node is the anchor at {_mark(anchor)}, used at {pointer or '/'})",
            location=pointer,
            code=_INVALID_YAML,
        )
