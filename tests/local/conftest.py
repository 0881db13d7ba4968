"""Shared fixtures for the local client tests."""

from __future__ import annotations

import pytest

from constructs_sfn.local import LocalStepFunctions

from .helpers import RecordingService


@pytest.fixture
def service() -> RecordingService:
    """A recording task service."""
    return RecordingService()


@pytest.fixture
def sfn(service: RecordingService) -> LocalStepFunctions:
    """A fresh client using the recording service."""
    return LocalStepFunctions(services=service)
