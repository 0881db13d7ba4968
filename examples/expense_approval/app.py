"""Expense approval with ApprovalWorkflow: a person approves or rejects through a signed API call.

An expense request (the execution input) is published to the approvers' topic with a task token
and two callback URLs. Nobody answering for a day sends a reminder (twice), then the request is
escalated to the finance managers' topic; after five days in all it times out. The approver's
identity (the IAM caller the API authorized) and comment land in the output under ``approval``, and
the requester is told the outcome on a third topic.

Synthesize with ``cdk synth`` from this directory (see README.md).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from constructs_sfn.cdk.approval import ApprovalWorkflow
from constructs_sfn.cdk.approval_options import ApprovalNotification

__all__ = ["DEADLINE", "OWNER", "REMINDER_INTERVAL", "REMINDERS", "ExpenseApprovalStack", "build_app"]

OWNER = "finance-platform"
DEADLINE = cdk.Duration.days(5)
REMINDER_INTERVAL = cdk.Duration.days(1)
REMINDERS = 2


class ExpenseApprovalStack(cdk.Stack):
    """Three topics, the approval workflow and a role approvers assume to answer."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description="constructs_sfn example: expense approval workflow")
        self.approvers = sns.Topic(self, "Approvers", enforce_ssl=True)
        self.managers = sns.Topic(self, "FinanceManagers", enforce_ssl=True)
        self.requester_notices = sns.Topic(self, "RequesterNotices", enforce_ssl=True)

        def tell_requester(state_id: str, outcome: str) -> sfn.IChainable:
            return tasks.SnsPublish(
                self,
                state_id,
                topic=self.requester_notices,
                subject=f"Expense {outcome.lower()}",
                message=sfn.TaskInput.from_object(
                    {
                        "expenseId": sfn.JsonPath.string_at("$.expenseId"),
                        "outcome": outcome,
                        "approver": sfn.JsonPath.string_at("$.approval.approver"),
                        "comment": sfn.JsonPath.string_at("$.approval.comment"),
                    }
                ),
                result_path=sfn.JsonPath.DISCARD,
            )

        self.approval = ApprovalWorkflow(
            self,
            "ExpenseApproval",
            notification=ApprovalNotification.topic(self.approvers, subject="An expense awaits your approval"),
            escalation=ApprovalNotification.topic(self.managers, subject="Overdue expense approval"),
            deadline=DEADLINE,
            reminders=REMINDERS,
            reminder_interval=REMINDER_INTERVAL,
            on_approved=tell_requester("NotifyApproved", "APPROVED"),
            on_rejected=tell_requester("NotifyRejected", "REJECTED"),
            owner=OWNER,
            comment="Expense approval: request, two daily reminders, escalation, five-day deadline",
        )
        # Approvers sign their POSTs with this role's credentials (IAM authorization).
        self.approver_role = iam.Role(
            self,
            "ApproverRole",
            assumed_by=iam.AccountRootPrincipal(),
            description="Approvers of expense requests: may call the approve/reject endpoint",
        )
        self.approval.grant_decide(self.approver_role)
        cdk.CfnOutput(self, "ApproveUrl", value=self.approval.approve_url)
        cdk.CfnOutput(self, "RejectUrl", value=self.approval.reject_url)


def build_app() -> cdk.App:
    """The example app: one environment-agnostic stack, synthesized offline."""
    app = cdk.App()
    ExpenseApprovalStack(app, "ExpenseApproval")
    return app


if __name__ == "__main__":
    build_app().synth()
