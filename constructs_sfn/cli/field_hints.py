""" "Did you mean ...?" for a misspelled ASL field behind a validation error.

The validator says what AWS says: ``Field 'Nxt' is not supported``, or for a misspelled ``Type``
only ``These fields are required: [Type]``. When the object at the error's JSON pointer has a key
that is not an ASL field but is close to one, the commands add a note naming both. Keys inside
payload fields (``Parameters``, ``Arguments``, ``Result`` ...) are the user's own and never
hinted.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from constructs_sfn.asl.runtime.trace import pointer_steps

__all__ = ["ASL_FIELDS", "field_hints"]

_COMPARISONS = [
    f"{kind}{test}{suffix}"
    for kind in ("String", "Numeric", "Timestamp")
    for test in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
    for suffix in ("", "Path")
]
ASL_FIELDS = frozenset(
    {
        # top level, states and their processors
        "StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage", "Type", "Next",
        "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Arguments",
        "Output", "Assign", "Retry", "Catch", "Resource", "Credentials", "TimeoutSecondsPath",
        "HeartbeatSeconds", "HeartbeatSecondsPath", "Choices", "Default", "Seconds", "SecondsPath",
        "Timestamp", "TimestampPath", "Branches", "ItemsPath", "Items", "ItemSelector", "ItemProcessor",
        "Iterator", "ItemReader", "ResultWriter", "ItemBatcher", "MaxConcurrency", "MaxConcurrencyPath",
        "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount",
        "ToleratedFailureCountPath", "Label", "ProcessorConfig", "Mode", "ExecutionType", "Error",
        "ErrorPath", "Cause", "CausePath", "Result",
        # Retry and Catch
        "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy",
        # Choice rules
        "Condition", "Variable", "And", "Or", "Not", "StringMatches", "BooleanEquals", "BooleanEqualsPath",
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp", *_COMPARISONS,
    }
)  # fmt: skip
"""The field names of the States Language (https://states-language.net/spec.html)."""

# Fields whose contents are the user's data, not ASL: their keys are never hinted.
_PAYLOADS = frozenset(
    {"Parameters", "Arguments", "Result", "ResultSelector", "ItemSelector", "Assign", "Output", "Credentials"}
)
_PAYLOADS |= {f"{name}.$" for name in _PAYLOADS}


def field_hints(document: Any, location: str) -> tuple[str, ...]:
    """Notes for the keys of the object at ``location`` (a JSON pointer) that look like misspelled
    ASL fields: ``/States/A: 'Nxt' is not an ASL field; did you mean 'Next'?``."""
    steps = pointer_steps(location)
    if any(step in _PAYLOADS for step in steps):
        return ()
    node = document
    for step in steps:
        if isinstance(node, Mapping):
            node = node.get(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return ()
    if not isinstance(node, Mapping) or (steps and steps[-1] == "States"):
        return ()  # the keys of States are state names
    notes = []
    for key in node:
        if not isinstance(key, str) or key in ASL_FIELDS or key.removesuffix(".$") in ASL_FIELDS:
            continue
        close = difflib.get_close_matches(key.removesuffix(".$"), ASL_FIELDS, n=1, cutoff=0.75)
        if close:
            notes.append(f"{location or '/'}: '{key}' is not an ASL field; did you mean '{close[0]}'?")
    return tuple(notes)
