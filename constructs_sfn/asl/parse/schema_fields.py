"""Which fields each state type accepts, and which of them belong to one query language only.

AWS reports a field a state type never accepts as ``Field 'X' is not supported`` and a field of
the other query language as ``The QueryLanguage is set to 'L', but field 'X' is only supported
for the 'M' QueryLanguage``, both located at the state. ``FIELD_ORDER`` fixes the order in which
several such fields of one state are reported (AWS reports ``TimeoutSeconds`` before ``Catch``
before ``Retry`` whatever order the definition uses); unknown names follow in document order.
"""

from __future__ import annotations

__all__ = [
    "CONTAINER_FIELDS",
    "FIELD_ORDER",
    "JSONATA_ONLY",
    "JSONPATH_ONLY",
    "PROCESSOR_FIELDS",
    "STATE_TYPES",
    "TERMINAL_TYPES",
    "TOP_LEVEL_FIELDS",
    "TYPE_FIELDS",
]

STATE_TYPES = ("Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map")
TERMINAL_TYPES = frozenset({"Succeed", "Fail"})

TOP_LEVEL_FIELDS = ("Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage")
CONTAINER_FIELDS = ("Comment", "StartAt", "States")
PROCESSOR_FIELDS = ("Comment", "StartAt", "States", "ProcessorConfig")

# Reported in this order; the first three are AWS's measured order, the rest follow the spec.
JSONPATH_ONLY = (
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
    "ErrorPath",
    "CausePath",
)
JSONATA_ONLY = ("Output", "Arguments", "Items")

_COMMON = ("Type", "Comment", "QueryLanguage")
_FLOW = ("Next", "End")
_IO = ("InputPath", "OutputPath")

TYPE_FIELDS: dict[str, frozenset[str]] = {
    "Pass": frozenset((*_COMMON, *_FLOW, *_IO, "Parameters", "ResultPath", "Result", "Assign", "Output")),
    "Task": frozenset(
        (
            *_COMMON,
            *_FLOW,
            *_IO,
            "Resource",
            "Credentials",
            "Parameters",
            "Arguments",
            "ResultSelector",
            "ResultPath",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Retry",
            "Catch",
            "Assign",
            "Output",
        )
    ),
    "Choice": frozenset((*_COMMON, *_IO, "Choices", "Default", "Assign", "Output")),
    "Wait": frozenset(
        (
            *_COMMON,
            *_FLOW,
            *_IO,
            "Seconds",
            "SecondsPath",
            "Timestamp",
            "TimestampPath",
            "Assign",
            "Output",
        )
    ),
    "Succeed": frozenset((*_COMMON, *_IO, "Output")),
    "Fail": frozenset((*_COMMON, "Error", "ErrorPath", "Cause", "CausePath")),
    "Parallel": frozenset(
        (
            *_COMMON,
            *_FLOW,
            *_IO,
            "Branches",
            "Parameters",
            "Arguments",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Assign",
            "Output",
        )
    ),
    "Map": frozenset(
        (
            *_COMMON,
            *_FLOW,
            *_IO,
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "Items",
            "ItemSelector",
            "Parameters",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "Label",
            "ResultSelector",
            "ResultPath",
            "Retry",
            "Catch",
            "Assign",
            "Output",
        )
    ),
}

FIELD_ORDER = (
    "Type",
    "Comment",
    "QueryLanguage",
    "Resource",
    "Credentials",
    "Choices",
    "Default",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "Seconds",
    "Timestamp",
    "Error",
    "Cause",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "MaxConcurrency",
    "ToleratedFailureCount",
    "ToleratedFailurePercentage",
    "Label",
    "ItemSelector",
    *JSONATA_ONLY,
    *JSONPATH_ONLY,
    "Assign",
    "Catch",
    "Retry",
    "Next",
    "End",
)
