"""The tutorial "Use a Map State to Call Lambda Multiple Times" of the developer guide, with the
tutorial's ``HelloFunction`` written as a Python Lambda handler.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-creating-map-state-machine.html
"""

from __future__ import annotations

from typing import Any

from docs_support import succeeded

from constructs_sfn.integrations import LambdaHandlers

MAP_LAMBDA = {
    "StartAt": "ExampleMapState",
    "States": {
        "ExampleMapState": {
            "Type": "Map",
            "Iterator": {
                "StartAt": "CallLambda",
                "States": {
                    "CallLambda": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
                        "End": True,
                    }
                },
            },
            "End": True,
        }
    },
}


def hello(event: Any, context: Any) -> str:
    """The tutorial's function: ``"Hello, " + event.who + "!"``."""
    return "Hello, " + event["who"] + "!"


def test_each_name_is_greeted_and_the_greetings_combine_in_order() -> None:
    """The tutorial's input of three names gives the three greetings, in input order."""
    output = succeeded(
        MAP_LAMBDA, [{"who": "bob"}, {"who": "meg"}, {"who": "joe"}], worker=LambdaHandlers({"HelloFunction": hello})
    )

    assert output == ["Hello, bob!", "Hello, meg!", "Hello, joe!"]


def test_the_function_test_event_alone() -> None:
    """The tutorial's test event ``{"who": "AWS Step Functions"}`` run through the Map as one item."""
    output = succeeded(MAP_LAMBDA, [{"who": "AWS Step Functions"}], worker=LambdaHandlers({"HelloFunction": hello}))

    assert output == ["Hello, AWS Step Functions!"]
