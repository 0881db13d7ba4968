"""The worked example of the developer guide's Pass state page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-pass-state.html
"""

from __future__ import annotations

import json

from docs_support import run, succeeded


def test_result_is_placed_at_result_path() -> None:
    """The page's ``No-op`` state injects fixed ``coords`` at ``$.coords`` beside the input's field.
    (The page's ``"Next": "End"`` names a state called ``End``, added here.)
    """
    definition = {
        "StartAt": "No-op",
        "States": {
            "No-op": {
                "Type": "Pass",
                "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
                "ResultPath": "$.coords",
                "Next": "End",
            },
            "End": {"Type": "Succeed"},
        },
    }

    execution = run(definition, {"georefOf": "Home"})

    assert execution.output == {"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}}
    # The numbers reach the output text unchanged (no float rounding on the way).
    assert "622.2269926397355" in (execution.output_text or "")
    assert json.loads(execution.output_text or "") == execution.output


def test_without_result_the_input_passes_through() -> None:
    """A Pass state with no Result passes its input to its output."""
    assert succeeded({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, {"a": [1, {"b": None}]}) == {
        "a": [1, {"b": None}]
    }
