"""Find and load the AWS-recorded conformance corpus (it lives outside the repository)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "CORPUS_ENV",
    "CORPUS_FILES",
    "TAG_GROUPS",
    "corpus_dir",
    "corpus_missing_reason",
    "load_cases",
    "readable_id",
    "tag_groups",
]

CORPUS_ENV = "CONSTRUCTS_SFN_CONFORMANCE_DIR"
"""Environment variable naming the corpus directory (overrides the default location)."""

REPO_ROOT = Path(__file__).resolve().parents[3]
_DEFAULT_DIR = REPO_ROOT / ".." / "shared" / "conformance" / "aws-recorded"

CORPUS_FILES = ("cases.jsonl", "service_cases.jsonl", "test_state_cases.jsonl", "api_error_cases.jsonl")

TAG_GROUPS = ("jsonpath", "jsonata", "variables", "mixed_query_language")
"""Score groups; a case counts in every group whose tag it carries."""

_SOURCE_PREFIX = "tests/aws/services/stepfunctions/v2/"


def corpus_dir() -> Path:
    """The corpus directory: ``$CONSTRUCTS_SFN_CONFORMANCE_DIR`` or ``<repo>/../shared/conformance/aws-recorded``."""
    override = os.environ.get(CORPUS_ENV)
    return Path(override) if override else _DEFAULT_DIR.resolve()


def corpus_missing_reason() -> str | None:
    """Why the corpus cannot be used, or None when ``cases.jsonl`` is present."""
    directory = corpus_dir()
    if not (directory / "cases.jsonl").is_file():
        return (
            f"AWS-recorded conformance corpus not found at {directory} "
            f"(set {CORPUS_ENV} to the directory holding cases.jsonl)"
        )
    return None


@cache
def load_cases(file_name: str) -> tuple[Mapping[str, Any], ...]:
    """All cases of one corpus file (empty when the file is absent)."""
    path = corpus_dir() / file_name
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle if line.strip())


def readable_id(case_id: str) -> str:
    """A short pytest id: drop the common source prefix and ``.py``, use ``/`` for ``::``."""
    text = case_id.removeprefix(_SOURCE_PREFIX).replace(".py::", "/").replace("::", "/")
    return re.sub(r"\s+", "_", text)


def tag_groups(tags: Iterable[str]) -> tuple[str, ...]:
    """The score groups a case belongs to."""
    present = set(tags)
    return tuple(group for group in TAG_GROUPS if group in present)
