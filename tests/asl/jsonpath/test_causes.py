"""The shared cause texts."""

from __future__ import annotations

from constructs_sfn.asl.jsonpath import invalid_path_cause, path_not_found_cause


def test_path_not_found_cause() -> None:
    assert path_not_found_cause("$.ErrorX", "ErrorPath", {"a": [1]}) == (
        "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{\"a\":[1]}'"
    )


def test_invalid_path_cause() -> None:
    assert invalid_path_cause("$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']") == (
        "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
    )
