"""A tiny CDK app for the toolkit's own tests: a Lambda scores a loan, a Choice routes it.

Run directly (``python loan_app.py``) it synthesizes into ``$CDK_OUTDIR`` (or ``cdk.out``), as
``cdk synth`` would run it, so the tests can read both kinds of assembly.
"""

from __future__ import annotations

import os

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

#: The approval threshold the Choice state compares the score with.
THRESHOLD = 700


class LoanStack(cdk.Stack):
    """One state machine calling one function and one queue."""

    def __init__(self, scope: Construct, construct_id: str, *, threshold: int = THRESHOLD) -> None:
        super().__init__(scope, construct_id)
        self.score_fn = lambda_.Function(
            self,
            "ScoreFn",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return {'score': 0}\n"),
        )
        self.review_queue = sqs.Queue(self, "ReviewQueue", enforce_ssl=True)
        score = tasks.LambdaInvoke(
            self, "Score", lambda_function=self.score_fn, payload_response_only=True, result_path="$.result"
        )
        review = tasks.SqsSendMessage(
            self, "SendToReview", queue=self.review_queue, message_body=sfn.TaskInput.from_json_path_at("$")
        )
        route = (
            sfn.Choice(self, "Route")
            .when(sfn.Condition.number_greater_than_equals("$.result.score", threshold), sfn.Succeed(self, "Approved"))
            .otherwise(review)
        )
        self.machine = sfn.StateMachine(
            self, "Decide", definition_body=sfn.DefinitionBody.from_chainable(score.next(route))
        )


def build_app(outdir: str | None = None) -> cdk.App:
    """The app with its one stack."""
    app = cdk.App(outdir=outdir) if outdir else cdk.App()
    LoanStack(app, "Loans")
    return app


if __name__ == "__main__":
    build_app(os.environ.get("CDK_OUTDIR")).synth()
