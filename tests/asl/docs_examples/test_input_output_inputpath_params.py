"""The worked examples of the developer guide's ``InputPath`` and ``Parameters`` page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
"""

from __future__ import annotations

from docs_support import one_state, succeeded


def test_input_path_selects_one_node_of_the_input() -> None:
    """The page's InputPath example: ``$.dataset2`` hands the state only that object.

    (The page's input has a trailing comma after ``"val3": 3``; JSON does not allow it, so the input
    here is the page's without that comma.)
    """
    state_input = {
        "comment": "Example for InputPath.",
        "dataset1": {"val1": 1, "val2": 2, "val3": 3},
        "dataset2": {"val1": "a", "val2": "b", "val3": "c"},
    }

    output = succeeded(one_state({"Type": "Pass", "InputPath": "$.dataset2"}), state_input)

    assert output == {"val1": "a", "val2": "b", "val3": "c"}


def test_parameters_mix_static_values_and_values_selected_by_path() -> None:
    """The page's Parameters example: keys ending in ``.$`` take the value their path selects (and lose
    the suffix), the others are copied as written, nested objects included.
    """
    state_input = {
        "comment": "Example for Parameters.",
        "product": {
            "details": {"color": "blue", "size": "small", "material": "cotton"},
            "availability": "in stock",
            "sku": "2317",
            "cost": "$23",
        },
    }
    parameters = {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"},
    }

    output = succeeded(one_state({"Type": "Pass", "Parameters": parameters}), state_input)

    assert output == {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"},
    }
