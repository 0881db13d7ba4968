"""The worked example of the developer guide's ItemsPath page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html
"""

from __future__ import annotations

from docs_support import succeeded

PIRATES = [{"say": "Avast!"}, {"say": "Yar!"}, {"say": "Walk the Plank!"}]
GIANTS = [{"say": "Fee!"}, {"say": "Fi!"}, {"say": "Fo!"}, {"say": "Fum!"}]
SAY_WORD = {"StartAt": "SayWord", "States": {"SayWord": {"Type": "Pass", "End": True}}}


def test_items_path_picks_one_of_two_arrays() -> None:
    """``$.ThingsPiratesSay`` runs ``SayWord`` once per pirate phrase, none for the giants."""
    definition = {
        "StartAt": "PiratesSay",
        "States": {"PiratesSay": {"Type": "Map", "ItemsPath": "$.ThingsPiratesSay", "Iterator": SAY_WORD, "End": True}},
    }

    assert succeeded(definition, {"ThingsPiratesSay": PIRATES, "ThingsGiantsSay": GIANTS}) == PIRATES


def test_items_path_applies_to_the_input_after_input_path() -> None:
    """ItemsPath is applied after InputPath, to the effective input."""
    definition = {
        "StartAt": "GiantsSay",
        "States": {
            "GiantsSay": {
                "Type": "Map",
                "InputPath": "$.talk",
                "ItemsPath": "$.ThingsGiantsSay",
                "Iterator": SAY_WORD,
                "End": True,
            }
        },
    }

    assert succeeded(definition, {"talk": {"ThingsPiratesSay": PIRATES, "ThingsGiantsSay": GIANTS}}) == GIANTS
