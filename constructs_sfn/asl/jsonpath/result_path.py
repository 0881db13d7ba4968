"""ResultPath: put a state's result into (a copy of) its input.

Only the spine from the root to the target is copied; everything else is shared with the
input, which is never mutated. When the target cannot be reached, AWS fails the state with
``States.ReferencePathConflict`` (the error real executions report, although the States
Language spec names ``States.ResultPathMatchFailure`` for this) and one of two causes:

* ``Unable to apply ReferencePath $.x to input "text"`` - the input itself is not an object;
* ``Unable to apply step "b" to input {...}`` - a value on the way (``$.a`` of ``$.a.b``) is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from constructs_sfn.asl.errors import StatesError
from constructs_sfn.asl.jsonpath.jsontext import to_json_text
from constructs_sfn.asl.jsonpath.nodes import Indexes
from constructs_sfn.asl.jsonpath.path import Path

__all__ = ["RESULT_PATH_ERROR", "set_result_path"]

#: The error name AWS reports when a ResultPath cannot be applied to the state input.
RESULT_PATH_ERROR: Final = "States.ReferencePathConflict"


def set_result_path(document: Any, path: Path | None, value: Any) -> Any:
    """Return ``document`` with ``value`` placed at ``path`` (a definite input path).

    ``None`` (``"ResultPath": null``) keeps the document; ``$`` replaces it. Missing objects on
    the way are created; raises StatesError(RESULT_PATH_ERROR, cause) when a value on the way
    is not an object (or an index is not inside an existing array).
    """
    if path is None:
        return document
    if not path.segments:
        return value
    if not _is_object(document) and not (isinstance(document, list) and isinstance(path.segments[0], Indexes)):
        raise StatesError(
            RESULT_PATH_ERROR,
            f"Unable to apply ReferencePath {path.text} to input {to_json_text(document)}",
        )
    steps = path.steps
    if steps is None:
        # Reference paths are checked at parse time; anything else is a caller's bug.
        raise StatesError(RESULT_PATH_ERROR, f"Unable to apply ReferencePath {path.text}: not a reference path")
    return _put(document, steps, 0, value, document)


def _is_object(value: Any) -> bool:
    # dict first: the ABC check for Mapping is several times slower and rarely needed.
    return type(value) is dict or isinstance(value, Mapping)


def _put(node: Any, steps: tuple[str | int, ...], index: int, value: Any, document: Any) -> Any:
    step = steps[index]
    last = index == len(steps) - 1
    if isinstance(step, str):
        if not _is_object(node):
            raise _step_failure(step, document)
        copy = dict(node)
        if last:
            copy[step] = value
        else:
            child = node.get(step)
            copy[step] = _put({} if child is None else child, steps, index + 1, value, document)
        return copy
    if not isinstance(node, list):
        raise _step_failure(step, document)
    position = step + len(node) if step < 0 else step
    if not 0 <= position < len(node):
        raise _step_failure(step, document)
    items = list(node)
    items[position] = value if last else _put(node[position], steps, index + 1, value, document)
    return items


def _step_failure(step: str | int, document: Any) -> StatesError:
    return StatesError(RESULT_PATH_ERROR, f'Unable to apply step "{step}" to input {to_json_text(document)}')
