"""The ``constructs-sfn`` command: run, validate and demo state machines on the local executor."""

from __future__ import annotations

from constructs_sfn.cli.main import main

__all__ = ["main"]
