"""JSONPath for the ASL executor: paths, ResultPath, payload templates and AWS's JSON text.

Semantics follow Jayway JsonPath, the library AWS Step Functions evaluates paths with.
"""

from __future__ import annotations

from constructs_sfn.asl.jsonpath.evaluate import PathNotFound
from constructs_sfn.asl.jsonpath.jsontext import to_json_text
from constructs_sfn.asl.jsonpath.path import Path, compile_path, compile_reference_path

__all__ = [
    "Path",
    "PathNotFound",
    "compile_path",
    "compile_reference_path",
    "to_json_text",
]
