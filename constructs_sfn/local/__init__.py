"""A boto3-shaped Step Functions client over the local executor.

``LocalStepFunctions`` has the method names, parameters, responses and errors of
``boto3.client("stepfunctions")``; executions run in memory, deterministically, on a virtual clock::

    from constructs_sfn.local import LocalStepFunctions

    sfn = LocalStepFunctions()
    arn = sfn.create_state_machine(name="hello", definition=text, roleArn=role)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn, input='{"who": "world"}')
    sfn.describe_execution(executionArn=run["executionArn"])["output"]

botocore is only imported when a request is validated or an error raised.
"""

from __future__ import annotations

from constructs_sfn.local.client import LocalStepFunctions

__all__ = ["LocalStepFunctions"]
