"""Refund approval: the workflow a pull request changes in the walkthrough (see README.md).

A refund above :data:`REVIEW_THRESHOLD` goes to a person first; smaller ones are approved at
once. Approved refunds hold the funds, credit the customer's ledger and send the payout. When the
payout fails, the two earlier steps are undone in reverse order (the ledger credit first, then the
hold) and the execution fails with ``Refund.PayoutFailed``.

Construct ids are the walkthrough's contract: the stack ``Refunds``, the state machine
``Refunds/Workflow`` and the functions of :data:`FUNCTIONS`.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_sfn.cdk import ObservableStateMachine

__all__ = ["FUNCTIONS", "OWNER", "REVIEW_THRESHOLD", "RefundStack", "build_app"]

OWNER = "team-payments"
REVIEW_THRESHOLD = 500
"""Refunds above this amount need a person's approval."""
FUNCTIONS_DIR = Path(__file__).resolve().parent / "functions"
#: Construct id of each Lambda function -> its handler in functions/refunds.py.
FUNCTIONS = {
    "ReviewFn": "review_refund",
    "HoldFundsFn": "hold_funds",
    "CreditLedgerFn": "credit_ledger",
    "SendPayoutFn": "send_payout",
    "ReverseCreditFn": "reverse_credit",
    "ReleaseFundsFn": "release_funds",
}


class RefundStack(cdk.Stack):
    """Six Lambda functions and the refund workflow composing them."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id, description="constructs_sfn example: refund approval")
        self.functions = {name: self._function(name, handler) for name, handler in FUNCTIONS.items()}
        self.workflow = ObservableStateMachine(
            self,
            "Workflow",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_chainable(self._definition()),
            owner=OWNER,
            timeout=cdk.Duration.days(7),
            comment="Refund approval: review above the threshold, undo in reverse when the payout fails",
        )

    def _function(self, name: str, handler: str) -> lambda_.Function:
        return lambda_.Function(
            self,
            name,
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler=f"refunds.{handler}",
            code=lambda_.Code.from_asset(str(FUNCTIONS_DIR), exclude=["__pycache__"]),
            timeout=cdk.Duration.seconds(30),
        )

    def _call(self, id: str, function: str, result_path: str) -> tasks.LambdaInvoke:
        return tasks.LambdaInvoke(
            self,
            id,
            lambda_function=self.functions[function],
            payload_response_only=True,
            result_path=result_path,
        )

    def _definition(self) -> sfn.IChainable:
        fn = self._call
        declined = sfn.Fail(self, "RefundDeclined", error="Refund.Declined", cause="The reviewer declined the refund")
        failed = sfn.Fail(
            self, "RefundFailed", error="Refund.PayoutFailed", cause="The payout failed; ledger and hold were undone"
        )
        hold = fn("HoldFunds", "HoldFundsFn", "$.hold")
        credit = fn("CreditLedger", "CreditLedgerFn", "$.credit")
        payout = fn("SendPayout", "SendPayoutFn", "$.payout")
        # Compensations run in reverse order of the steps they undo: the ledger credit, then the hold.
        reverse_credit = fn("ReverseCredit", "ReverseCreditFn", "$.reversal")
        release_funds = fn("ReleaseFunds", "ReleaseFundsFn", "$.release")
        compensate = reverse_credit.next(release_funds).next(failed)
        payout.add_catch(compensate, errors=["States.ALL"], result_path="$.failure")
        issue = hold.next(credit).next(payout).next(sfn.Succeed(self, "RefundIssued"))

        review = fn("ReviewRefund", "ReviewFn", "$.review")
        decision = (
            sfn.Choice(self, "ReviewDecision")
            .when(sfn.Condition.boolean_equals("$.review.approved", True), issue)
            .otherwise(declined)
        )
        auto = sfn.Pass(
            self, "AutoApprove", result=sfn.Result.from_object({"approved": True, "by": "auto"}), result_path="$.review"
        )
        return (
            sfn.Choice(self, "CheckAmount")
            .when(sfn.Condition.number_greater_than("$.amount", REVIEW_THRESHOLD), review.next(decision))
            .otherwise(auto.next(issue))
        )


def build_app() -> cdk.App:
    """The example app: one stack, ``Refunds``."""
    app = cdk.App()
    RefundStack(app, "Refunds")
    return app
