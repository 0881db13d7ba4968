"""AWS's cause texts for JSONPath failures, shared by payload templates and the runtime.

The runtime prefixes each with ``An error occurred while executing the state '<name>' (entered
at the event id #<id>). `` as AWS does.
"""

from __future__ import annotations

from typing import Any, Final

from constructs_sfn.asl.jsonpath.jsontext import to_json_text

__all__ = ["NULL_INPUT_CAUSE", "invalid_path_cause", "path_not_found_cause"]

#: The cause when a path is applied to a ``null`` state input.
NULL_INPUT_CAUSE: Final = "Unable to apply Path transformation to null or empty input."


def path_not_found_cause(path_text: str, field: str, input: Any) -> str:
    """For a payload-template field (``'x.$'``), ``ErrorPath`` or ``CausePath`` that found nothing."""
    return (
        f"The JSONPath '{path_text}' specified for the field '{field}' could not be found in the "
        f"input '{to_json_text(input)}'"
    )


def invalid_path_cause(path_text: str, message: str) -> str:
    """For ``InputPath``/``OutputPath``/``*SecondsPath``: ``message`` is PathNotFound.message."""
    return f"Invalid path '{path_text}' : {message}"
