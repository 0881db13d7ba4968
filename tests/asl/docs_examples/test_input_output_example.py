"""The worked example of the developer guide's "InputPath, ResultPath and OutputPath Example" page.

Page: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html
"""

from __future__ import annotations

from docs_support import LAMBDA_ARN, Worker, succeeded


def test_input_path_result_path_and_output_path_together() -> None:
    """The function sees only ``$.lambda``; its result lands in ``data.lambdaresult`` of the *raw*
    input; OutputPath then keeps only ``data``.
    """
    definition = {
        "Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function",
        "StartAt": "HelloWorld",
        "States": {
            "HelloWorld": {
                "Type": "Task",
                "Resource": LAMBDA_ARN,
                "InputPath": "$.lambda",
                "ResultPath": "$.data.lambdaresult",
                "OutputPath": "$.data",
                "End": True,
            }
        },
    }
    state_input = {
        "comment": "An input comment.",
        "data": {"val1": 23, "val2": 17},
        "extra": "foo",
        "lambda": {"who": "AWS Step Functions"},
    }
    worker = Worker(lambda event: f"Hello, {event['who']}!")

    output = succeeded(definition, state_input, worker=worker)

    assert worker.inputs == [{"who": "AWS Step Functions"}]
    assert output == {"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}
