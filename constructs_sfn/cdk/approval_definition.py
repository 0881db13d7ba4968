"""The states of ApprovalWorkflow: rounds of ``.waitForTaskToken`` notifications and three outcomes.

``RequestApproval`` -> ``Reminder1`` .. ``ReminderN`` -> ``Escalate``: each round sends a
notification with a new token and waits its TimeoutSeconds; ``States.Timeout`` moves to the next
round, and after the last one to ``RecordTimeout``. Success (SendTaskSuccess) goes to the approved
branch with the decision at ``$.approval``; ``Approval.Rejected`` (SendTaskFailure) to
``ReadRejection`` -> ``RecordRejection`` -> the rejected branch.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.approval_callback.handler import REJECTED_ERROR
from constructs_sfn.cdk.approval_options import ApprovalNotification, NotificationKind
from constructs_sfn.cdk.validation import PropsValidator

__all__ = [
    "APPROVAL_RESULT_PATH",
    "MAX_DEADLINE_SECONDS",
    "TIMED_OUT",
    "TIMED_OUT_ERROR",
    "build_approval_states",
    "round_seconds",
]

#: Where the decision lands in the state data: ``{"decision", "approver", "comment", "decidedAt"}``.
APPROVAL_RESULT_PATH = "$.approval"
#: The ``decision`` recorded when the deadline passed.
TIMED_OUT = "TIMED_OUT"
#: The error of the default timeout state.
TIMED_OUT_ERROR = "Approval.TimedOut"
#: A STANDARD execution lasts at most a year; a day is left for the steps around the approval.
MAX_DEADLINE_SECONDS = 365 * 86400 - 86400


def round_seconds(
    check: PropsValidator,
    deadline: Duration,
    reminders: int,
    reminder_interval: Duration | None,
    escalation: ApprovalNotification | None,
) -> list[int]:
    """TimeoutSeconds of each round (request, reminders, escalation); they add up to the deadline."""
    deadline_seconds = check.seconds("deadline", deadline)
    if deadline_seconds is None:
        check.fail("deadline", "must be a concrete duration (it becomes TimeoutSeconds), not a token")
    if deadline_seconds != int(deadline_seconds) or deadline_seconds > MAX_DEADLINE_SECONDS:
        check.fail("deadline", f"must be whole seconds up to 364 days, got {deadline.to_human_string()}")
    if not isinstance(reminders, int) or isinstance(reminders, bool) or reminders < 0:
        check.fail("reminders", f"must be a whole number >= 0, got {reminders!r}")
    later_rounds = reminders + (1 if escalation is not None else 0)
    if later_rounds == 0:
        if reminder_interval is not None:
            check.fail("reminder_interval", "has no effect without reminders or escalation; remove it")
        return [int(deadline_seconds)]
    if reminder_interval is None:
        check.fail(
            "reminder_interval",
            "is required with reminders or escalation: it is how long each round waits before the next",
        )
    interval = check.seconds("reminder_interval", reminder_interval)
    if interval is None:
        check.fail("reminder_interval", "must be a concrete duration (it becomes TimeoutSeconds), not a token")
    if interval != int(interval):
        check.fail("reminder_interval", f"must be whole seconds, got {reminder_interval.to_human_string()}")
    last = deadline_seconds - interval * later_rounds
    if last <= 0:
        check.fail(
            "reminder_interval",
            f"{later_rounds} round(s) of {interval:g} s before the last one leave no time before the "
            f"deadline ({deadline_seconds:g} s): shorten the interval, send fewer reminders or extend the deadline",
        )
    return [int(interval)] * later_rounds + [int(last)]


def build_approval_states(
    scope: Construct,
    *,
    notification: ApprovalNotification,
    escalation: ApprovalNotification | None,
    reminders: int,
    round_seconds: list[int],
    approve_url: str,
    reject_url: str,
    on_approved: sfn.IChainable | None,
    on_rejected: sfn.IChainable | None,
    on_timeout: sfn.IChainable | None,
) -> list[sfn.TaskStateBase]:
    """Create the states in ``scope``; the rounds' Task states, in order (the first is the start).

    ``round_seconds`` (from :func:`round_seconds`) has one entry per round: the request, the
    ``reminders``, then the escalation when there is one.
    """
    approved = on_approved or sfn.Succeed(scope, "Approved", comment="The request was approved")
    rejected = on_rejected or sfn.Succeed(scope, "Rejected", comment="The request was rejected")
    timed_out = on_timeout or sfn.Fail(
        scope, "TimedOut", error=TIMED_OUT_ERROR, cause="Nobody decided before the approval deadline"
    )
    read_rejection = sfn.Pass(
        scope,
        "ReadRejection",
        comment="The rejection's cause is the decision as JSON text",
        parameters={"decision.$": f"States.StringToJson({APPROVAL_RESULT_PATH}.Cause)"},
        result_path=APPROVAL_RESULT_PATH,
    )
    record_rejection = sfn.Pass(
        scope, "RecordRejection", input_path=f"{APPROVAL_RESULT_PATH}.decision", result_path=APPROVAL_RESULT_PATH
    )
    read_rejection.next(record_rejection).next(rejected)
    record_timeout = sfn.Pass(
        scope,
        "RecordTimeout",
        result=sfn.Result.from_object({"decision": TIMED_OUT}),
        result_path=APPROVAL_RESULT_PATH,
    )
    record_timeout.next(timed_out)

    rounds: list[tuple[str, ApprovalNotification, NotificationKind]] = [
        ("RequestApproval", notification, NotificationKind.REQUEST)
    ]
    rounds += [(f"Reminder{n}", notification, NotificationKind.REMINDER) for n in range(1, reminders + 1)]
    if escalation is not None:
        rounds.append(("Escalate", escalation, NotificationKind.ESCALATION))

    tasks: list[sfn.TaskStateBase] = []
    for number, ((state_id, target, kind), seconds) in enumerate(zip(rounds, round_seconds, strict=True)):
        payload: dict[str, Any] = {
            "kind": kind.value,
            "round": number,
            "respondWithinSeconds": seconds,
            "taskToken": sfn.JsonPath.task_token,
            "executionArn": sfn.JsonPath.execution_id,
            "approveUrl": approve_url,
            "rejectUrl": reject_url,
            "request": sfn.JsonPath.entire_payload,
        }
        task = target.create_task(
            scope, state_id, payload=payload, timeout=Duration.seconds(seconds), result_path=APPROVAL_RESULT_PATH
        )
        task.add_catch(read_rejection, errors=[REJECTED_ERROR], result_path=APPROVAL_RESULT_PATH)
        if tasks:
            tasks[-1].add_catch(task, errors=[sfn.Errors.TIMEOUT], result_path=sfn.JsonPath.DISCARD)
        task.next(approved)
        tasks.append(task)
    tasks[-1].add_catch(record_timeout, errors=[sfn.Errors.TIMEOUT], result_path=sfn.JsonPath.DISCARD)
    return tasks
