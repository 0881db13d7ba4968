"""Test toolkit: template -> definition extraction with stable placeholders for CDK tokens.

This package is also registered as a pytest plugin (entry point ``pytest11``); importing it must
stay cheap, so it never imports aws_cdk at module level. The fixtures and syrupy extensions arrive
with the test-toolkit issue.
"""

from __future__ import annotations

from constructs_sfn.testing.template import (
    PSEUDO_PARAMETERS,
    StateMachineInTemplate,
    TemplateError,
    extract_state_machines,
    resolve_tokens,
)

__all__ = ["PSEUDO_PARAMETERS", "StateMachineInTemplate", "TemplateError", "extract_state_machines", "resolve_tokens"]
