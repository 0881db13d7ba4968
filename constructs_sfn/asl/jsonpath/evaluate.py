"""Evaluation of parsed JSONPath segments with Jayway JsonPath's semantics (what AWS runs).

The rules that matter for fidelity:

* While every segment so far is definite ("upstream definite"), a missing property or a type
  mismatch is an error (:class:`PathNotFound` with Jayway's message); once the path has become
  indefinite, misses are silently skipped.
* A missing *last* property is not an error by itself: the path just yields nothing, and a
  definite path that yields nothing fails with ``No results for path: ...``.
* A union of names as the last segment (``$['a','b']``) merges the present members into one object;
  anywhere else AWS refuses it (:class:`InvalidPath`, "Multi properties can only be used as path leafs").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from constructs_sfn.asl.jsonpath.jsontext import to_json_text
from constructs_sfn.asl.jsonpath.nodes import (
    And,
    Comparison,
    Exists,
    FilterExpr,
    FilterSegment,
    Indexes,
    Literal,
    Names,
    Not,
    Operand,
    Or,
    RelativePath,
    Segment,
    Slice,
    Wildcard,
)
from constructs_sfn.asl.jsonpath.parser import segment_is_definite

__all__ = ["InvalidPath", "PathNotFound", "SegmentWalker", "json_equal"]


class PathNotFound(Exception):  # noqa: N818 - the name is the shared contract
    """A definite path selected nothing; ``message`` is Jayway's text, which AWS quotes."""

    def __init__(self, message: str, *, path_text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path_text = path_text


class InvalidPath(PathNotFound):
    """A path the engine refuses to apply at all; unlike a miss it is not swallowed inside filters."""


class _Undefined:
    """Marker for "the path selected nothing" inside filter expressions."""

    __slots__ = ()


_UNDEFINED: Final = _Undefined()
_JSON_PROVIDER = "com.jayway.jsonpath.spi.json.JacksonJsonProvider"


def _java_class(value: Any) -> str:
    # Jayway names the Java class of the offending value in its "not a json object" message.
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Integer" if -(2**31) <= value < 2**31 else "java.lang.Long"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, list):
        return "java.util.ArrayList"
    return "java.util.LinkedHashMap"


def _is_object(value: Any) -> bool:
    # Exact-type checks first: the ABC check for Mapping is several times slower.
    return type(value) is dict or isinstance(value, Mapping)


def _is_array(value: Any) -> bool:
    return type(value) is list or isinstance(value, list | tuple)


class SegmentWalker:
    """Evaluates a fixed sequence of segments against a node; built once per compiled path."""

    __slots__ = ("_prefixes", "_rendered", "_segments", "_upstream_definite", "is_definite")

    def __init__(self, segments: tuple[Segment, ...], root_rendering: str = "$") -> None:
        self._segments = segments
        last = len(segments) - 1
        definite_flags = [segment_is_definite(s, is_leaf=i == last) for i, s in enumerate(segments)]
        upstream = True
        self._upstream_definite: list[bool] = []
        self._prefixes: list[str] = []
        prefix = root_rendering
        for segment, definite in zip(segments, definite_flags, strict=True):
            self._upstream_definite.append(upstream)
            self._prefixes.append(prefix)
            prefix += segment.render()
            upstream = upstream and definite
        self._rendered = prefix
        self.is_definite = upstream

    @property
    def rendered(self) -> str:
        """Jayway's normalized spelling of the whole path, e.g. ``$['a'][0]``."""
        return self._rendered

    def select(self, node: Any, root: Any) -> list[Any]:
        """All nodes the segments select from ``node`` (``root`` is what ``$`` means in filters)."""
        out: list[Any] = []
        self._walk(node, 0, root, out)
        return out

    def select_one(self, node: Any, root: Any) -> Any:
        """The single node of a definite path; raises PathNotFound when nothing is selected."""
        out: list[Any] = []
        self._walk(node, 0, root, out)
        if not out:
            raise PathNotFound(f"No results for path: {self._rendered}")
        return out[0]

    # ---- the walk ----

    def _walk(self, node: Any, index: int, root: Any, out: list[Any]) -> None:
        segments = self._segments
        if index == len(segments):
            out.append(node)
            return
        segment = segments[index]
        if isinstance(segment, Names):
            self._names(segment, node, index, root, out)
        elif isinstance(segment, Indexes):
            if self._check_array(segment, node, index):
                length = len(node)
                for position in segment.indexes:
                    effective = position + length if position < 0 else position
                    if 0 <= effective < length:
                        self._walk(node[effective], index + 1, root, out)
        elif isinstance(segment, Wildcard):
            if _is_object(node):
                for value in node.values():
                    self._walk(value, index + 1, root, out)
            elif _is_array(node):
                for value in node:
                    self._walk(value, index + 1, root, out)
        elif isinstance(segment, Slice):
            if self._check_array(segment, node, index):
                for value in node[segment.start : segment.stop : segment.step]:
                    self._walk(value, index + 1, root, out)
        elif isinstance(segment, FilterSegment):
            self._filter(segment, node, index, root, out)
        else:
            self._descend(node, index, root, out)

    def _names(self, segment: Names, node: Any, index: int, root: Any, out: list[Any]) -> None:
        keys = segment.keys
        if not _is_object(node):
            if self._upstream_definite[index]:
                found = "null" if node is None else _java_class(node)
                raise PathNotFound(
                    f"Expected to find an object with property {segment.render()} in path "
                    f"{self._prefixes[index]} but found '{found}'. This is not a json object "
                    f"according to the JsonProvider: '{_JSON_PROVIDER}'."
                )
            return
        is_leaf = index == len(self._segments) - 1
        if len(keys) == 1:
            key = keys[0]
            if key in node:
                self._walk(node[key], index + 1, root, out)
            elif not is_leaf and self._upstream_definite[index]:
                raise PathNotFound(f"Missing property in path {self._prefixes[index]}['{key}']")
            return
        if not is_leaf:
            # AWS (Jayway 2.0) merges a union of names into one object, so only a leaf may hold one:
            # "Invalid path '$['a', 'b'].v' : Multi properties can only be used as path leafs: $['a', 'b']".
            quoted = ", ".join(f"'{key}'" for key in keys)
            raise InvalidPath(f"Multi properties can only be used as path leafs: {self._prefixes[index]}[{quoted}]")
        out.append({key: node[key] for key in keys if key in node})

    def _check_array(self, segment: Segment, node: Any, index: int) -> bool:
        if _is_array(node):
            return True
        if self._upstream_definite[index]:
            if node is None:
                raise PathNotFound(f"The path {self._prefixes[index]} is null")
            raise PathNotFound(
                f"Filter: {segment.render()} can only be applied to arrays. Current context is: {to_json_text(node)}"
            )
        return False

    def _filter(self, segment: FilterSegment, node: Any, index: int, root: Any, out: list[Any]) -> None:
        expression = segment.expression
        if _is_object(node):
            if _accept(expression, node, root):
                self._walk(node, index + 1, root, out)
        elif _is_array(node):
            # AWS: "The @ operator [...] does not match scalar values. It only matches objects."
            for item in node:
                if _is_object(item) and _accept(expression, item, root):
                    self._walk(item, index + 1, root, out)
        elif self._upstream_definite[index]:
            raise PathNotFound(
                f"Filter: {segment.render()} can not be applied to primitives. Current context is: {to_json_text(node)}"
            )

    def _descend(self, node: Any, index: int, root: Any, out: list[Any]) -> None:
        # ``..x``: apply the following segment to this node and every container below it, in
        # document order. Scalars are never targets (Jayway only walks objects and arrays).
        following = self._segments[index + 1]
        if _is_object(node):
            if isinstance(following, Names) and len(following.keys) == 1:
                if following.keys[0] in node:
                    self._walk(node, index + 1, root, out)
            elif isinstance(following, Names) and index + 1 == len(self._segments) - 1:
                if all(key in node for key in following.keys):
                    self._walk(node, index + 1, root, out)
            elif not isinstance(following, Indexes | Slice):
                self._walk(node, index + 1, root, out)
            for value in node.values():
                self._descend(value, index, root, out)
        elif _is_array(node):
            # A filter's @ never matches an array, so under ".." filters only test objects.
            if not isinstance(following, Names | FilterSegment):
                self._walk(node, index + 1, root, out)
            for value in node:
                self._descend(value, index, root, out)


# ---- filter expressions ----


def _accept(expression: FilterExpr, item: Any, root: Any) -> bool:
    if isinstance(expression, Comparison):
        left = _operand_value(expression.left, item, root)
        right = _operand_value(expression.right, item, root)
        return _compare(expression.operator, left, right)
    if isinstance(expression, Exists):
        return _exists(expression.path, item, root)
    if isinstance(expression, And):
        return all(_accept(operand, item, root) for operand in expression.operands)
    if isinstance(expression, Or):
        return any(_accept(operand, item, root) for operand in expression.operands)
    if isinstance(expression, Not):
        return not _accept(expression.operand, item, root)
    return expression.value is True


def _relative_walker(path: RelativePath) -> SegmentWalker:
    walker = _WALKERS.get(path)
    if walker is None:
        walker = SegmentWalker(path.segments, "$" if path.from_root else "@")
        _WALKERS[path] = walker
    return walker


# Relative paths are interned by value; the set is bounded by the paths in loaded definitions.
_WALKERS: dict[RelativePath, SegmentWalker] = {}


def _exists(path: RelativePath, item: Any, root: Any) -> bool:
    start = root if path.from_root else item
    walker = _relative_walker(path)
    if not path.segments:
        return True
    try:
        if not walker.is_definite:
            return bool(walker.select(start, root))
        # Jayway checks existence with REQUIRE_PROPERTIES: a missing last property also fails.
        return _definite_exists(path.segments, start)
    except InvalidPath:
        raise
    except PathNotFound:
        return False


def _definite_exists(segments: tuple[Segment, ...], node: Any) -> bool:
    for segment in segments:
        if isinstance(segment, Names):
            if not _is_object(node):
                return False
            if len(segment.keys) > 1:
                return all(key in node for key in segment.keys)
            if segment.keys[0] not in node:
                return False
            node = node[segment.keys[0]]
        elif isinstance(segment, Indexes):
            if not _is_array(node):
                return False
            position = segment.indexes[0]
            effective = position + len(node) if position < 0 else position
            if not 0 <= effective < len(node):
                return False
            node = node[effective]
        else:
            return True
    return True


def _operand_value(operand: Operand, item: Any, root: Any) -> Any:
    if isinstance(operand, Literal):
        return operand.value
    start = root if operand.from_root else item
    walker = _relative_walker(operand)
    try:
        if walker.is_definite:
            return walker.select_one(start, root)
        return walker.select(start, root)
    except InvalidPath:
        raise
    except PathNotFound:
        return _UNDEFINED


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_text(value: int | float) -> str:
    return to_json_text(value)


def json_equal(left: Any, right: Any) -> bool:
    """Structural JSON equality where ``true`` is not ``1`` and ``1`` equals ``1.0``."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if _is_object(left) and _is_object(right):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if _is_array(left) and _is_array(right):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    if left is None or right is None:
        return left is None and right is None
    return type(left) is type(right) and bool(left == right)


def _node_equals(left: Any, right: Any) -> bool:
    # Jayway's ValueNode.equals, asymmetric where Jayway is: a number on the left is compared with
    # a string as a number; a string on the left compares against the number's text.
    if left is _UNDEFINED or right is _UNDEFINED or isinstance(left, re.Pattern):
        return False
    if _is_number(left) and isinstance(right, str):
        try:
            return bool(float(right) == left)
        except ValueError:
            return False
    if isinstance(left, str) and _is_number(right):
        return left == _number_text(right)
    return json_equal(left, right)


def _compare(operator: str, left: Any, right: Any) -> bool:
    if operator in ("==", "==="):
        if operator == "===" and (type(left) is not type(right)):
            return False
        return _node_equals(left, right)
    if operator in ("!=", "!=="):
        if operator == "!==" and type(left) is not type(right):
            return True
        return not _node_equals(left, right)
    if operator in ("<", "<=", ">", ">="):
        return _order(operator, left, right)
    if operator == "=~":
        return _regex_match(left, right)
    return _COLLECTION_OPERATORS[operator](left, right)


def _order(operator: str, left: Any, right: Any) -> bool:
    if _is_number(left) and _is_number(right):
        pass
    elif isinstance(left, str) and isinstance(right, str):
        # Java compares strings by UTF-16 code units.
        left, right = left.encode("utf-16-be"), right.encode("utf-16-be")
    else:
        return False
    if operator == "<":
        return bool(left < right)
    if operator == "<=":
        return bool(left <= right)
    if operator == ">":
        return bool(left > right)
    return bool(left >= right)


def _regex_match(left: Any, right: Any) -> bool:
    if isinstance(left, re.Pattern) == isinstance(right, re.Pattern):
        return False
    pattern, subject = (left, right) if isinstance(left, re.Pattern) else (right, left)
    if isinstance(subject, str):
        text = subject
    elif _is_number(subject):
        text = _number_text(subject)
    elif isinstance(subject, bool):
        text = "true" if subject else "false"
    else:
        return False
    return pattern.fullmatch(text) is not None


def _contains(container: Any, value: Any) -> bool:
    return _is_array(container) and any(_node_equals(element, value) for element in container)


def _op_in(left: Any, right: Any) -> bool:
    return _contains(right, left)


def _op_contains(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return right in left
    return _contains(left, right)


def _op_size(left: Any, right: Any) -> bool:
    if not _is_number(right):
        return False
    if isinstance(left, str) or _is_array(left) or _is_object(left):
        return len(left) == int(right)
    return False


def _op_empty(left: Any, right: Any) -> bool:
    if not isinstance(right, bool):
        return False
    if isinstance(left, str) or _is_array(left) or _is_object(left):
        return (len(left) == 0) is right
    return False


def _op_subsetof(left: Any, right: Any) -> bool:
    return _is_array(left) and _is_array(right) and all(_contains(right, item) for item in left)


def _op_anyof(left: Any, right: Any) -> bool:
    return _is_array(left) and _is_array(right) and any(_contains(right, item) for item in left)


def _op_noneof(left: Any, right: Any) -> bool:
    return _is_array(left) and _is_array(right) and not any(_contains(right, item) for item in left)


_COLLECTION_OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "in": _op_in,
    "nin": lambda left, right: _is_array(right) and not _op_in(left, right),
    "contains": _op_contains,
    "size": _op_size,
    "empty": _op_empty,
    "subsetof": _op_subsetof,
    "anyof": _op_anyof,
    "noneof": _op_noneof,
}
