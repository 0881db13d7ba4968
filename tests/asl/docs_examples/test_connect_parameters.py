"""The worked examples of the developer guide's "Pass Parameters to a Service API" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html
"""

from __future__ import annotations

from docs_support import Worker, succeeded


def test_static_json_parameters_reach_the_service_unchanged() -> None:
    """The page's SNS publish: nested static objects (attribute names with spaces included) are sent
    as written.
    """
    parameters = {
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:myTopic",
        "Message": "test message",
        "MessageAttributes": {
            "my attribute no 1": {"DataType": "String", "StringValue": "value of my attribute no 1"},
            "my attribute no 2": {"DataType": "String", "StringValue": "value of my attribute no 2"},
        },
    }
    definition = {
        "StartAt": "Publish",
        "States": {
            "Publish": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": parameters,
                "End": True,
            }
        },
    }
    worker = Worker(lambda _p: {"MessageId": "m-1"})

    assert succeeded(definition, {}, worker=worker) == {"MessageId": "m-1"}
    assert worker.inputs == [parameters]


def test_a_path_parameter_takes_a_node_of_the_input() -> None:
    """``"Message.$": "$.input.message"`` passes ``foo`` from the page's input."""
    state_input = {
        "comment": "A message in the state input",
        "input": {"message": "foo", "otherInfo": "bar"},
        "data": "example",
    }
    definition = {
        "StartAt": "Publish",
        "States": {
            "Publish": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"Message.$": "$.input.message"},
                "End": True,
            }
        },
    }
    worker = Worker(lambda _p: {"MessageId": "m-1"})

    succeeded(definition, state_input, worker=worker)

    assert worker.inputs == [{"Message": "foo"}]
