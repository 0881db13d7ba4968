"""Definition text -> typed model, with AWS-shaped static validation."""

from __future__ import annotations

from constructs_sfn.asl.parse.parser import load_definition_document, parse_definition

__all__ = ["load_definition_document", "parse_definition"]
