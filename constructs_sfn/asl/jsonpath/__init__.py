"""JSONPath for the ASL executor: paths, ResultPath, payload templates and AWS's JSON text.

Semantics follow Jayway JsonPath, the library AWS Step Functions evaluates paths with, as far as AWS
documents it: no path functions (``.length()`` is a property name), unions of names only as leaves,
bare words in filters compare as strings.
"""

from __future__ import annotations

from constructs_sfn.asl.jsonpath.causes import NULL_INPUT_CAUSE, invalid_path_cause, path_not_found_cause
from constructs_sfn.asl.jsonpath.evaluate import InvalidPath, PathNotFound, json_equal
from constructs_sfn.asl.jsonpath.javaorder import java_hash_order
from constructs_sfn.asl.jsonpath.jsontext import json_type_name, to_json_text
from constructs_sfn.asl.jsonpath.path import Path, compile_path, compile_reference_path
from constructs_sfn.asl.jsonpath.result_path import RESULT_PATH_ERROR, set_result_path
from constructs_sfn.asl.jsonpath.template import PayloadTemplate, compile_payload_template

__all__ = [
    "NULL_INPUT_CAUSE",
    "InvalidPath",
    "RESULT_PATH_ERROR",
    "Path",
    "PathNotFound",
    "PayloadTemplate",
    "compile_path",
    "compile_payload_template",
    "compile_reference_path",
    "invalid_path_cause",
    "java_hash_order",
    "json_equal",
    "json_type_name",
    "path_not_found_cause",
    "set_result_path",
    "to_json_text",
]
