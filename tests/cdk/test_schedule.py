"""ObservableStateMachine's ``schedule``: EventBridge Scheduler, its role, DLQ, options and validation.

Also covers ``constructs_sfn.cdk.schedule_expressions`` (the expression checks the prop relies on).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sqs as sqs

from cdk.compliance import cfn_lint_errors, nag_violations, untagged_resources
from cdk.synthesis import MACHINE_PATH, Built, build
from constructs_sfn.cdk import ConstructPropsError
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.schedule import SCHEDULED_TIME, ExecutionSchedule
from constructs_sfn.cdk.schedule_expressions import cron_problem, expression_problem, rate_expression

SCHEDULE = "AWS::Scheduler::Schedule"
SM = "AWS::StepFunctions::StateMachine"
HOURLY = ExecutionSchedule.rate(cdk.Duration.hours(1))


@pytest.fixture(scope="module")
def hourly() -> Built:
    return build(schedule=HOURLY)


def target(built: Built) -> dict[str, Any]:
    result: dict[str, Any] = built.props(SCHEDULE)["Target"]
    return result


def logical_id(built: Built, resource_type: str) -> str:
    [found] = built.resources(resource_type)
    return found


def role_statements(built: Built) -> list[dict[str, Any]]:
    """Statements of the policies attached to the schedule role."""
    role_id = next(k for k in built.resources("AWS::IAM::Role") if k.startswith("MachineScheduleRole"))
    statements = []
    for policy in built.resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


# --- what a schedule creates ----------------------------------------------------------------


def test_baseline_has_no_scheduler_resources(baseline: Built) -> None:
    assert baseline.resources(SCHEDULE) == {}
    assert baseline.resources("AWS::SQS::Queue") == {}
    assert baseline.machine.schedule is None
    assert baseline.machine.schedule_role is None
    assert baseline.machine.schedule_dead_letter_queue is None


def test_defaults_start_the_machine_with_the_scheduled_time(hourly: Built) -> None:
    props = hourly.props(SCHEDULE)
    assert props["ScheduleExpression"] == "rate(1 hour)"
    assert props["State"] == "ENABLED"
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert props["Description"] == "Starts executions of Test/Machine"
    assert "GroupName" not in props
    assert target(hourly)["Arn"] == {"Ref": logical_id(hourly, SM)}
    assert json.loads(target(hourly)["Input"]) == {"scheduledTime": "<aws.scheduler.scheduled-time>"}
    assert target(hourly)["RetryPolicy"] == {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185}


def test_default_dead_letter_queue_is_created_encrypted_and_tls_only(hourly: Built) -> None:
    queue_id = logical_id(hourly, "AWS::SQS::Queue")
    assert queue_id.startswith("MachineScheduleDeadLetterQueue")
    assert target(hourly)["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue_id, "Arn"]}}
    queue = hourly.props("AWS::SQS::Queue")
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 14 * 86400
    [statement] = hourly.props("AWS::SQS::QueuePolicy")["PolicyDocument"]["Statement"]
    assert (statement["Effect"], statement["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})


def test_role_is_trusted_only_by_scheduler_for_this_account_and_group(hourly: Built) -> None:
    role = next(r for k, r in hourly.resources("AWS::IAM::Role").items() if k.startswith("MachineScheduleRole"))
    [statement] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert json.dumps(statement["Condition"]["ArnLike"]["aws:SourceArn"]).endswith(':schedule-group/default"]]}')
    assert target(hourly)["RoleArn"] == {"Fn::GetAtt": [logical_id_of_role(hourly), "Arn"]}


def logical_id_of_role(built: Built) -> str:
    return next(k for k in built.resources("AWS::IAM::Role") if k.startswith("MachineScheduleRole"))


def test_role_may_only_start_this_machine_and_dead_letter(hourly: Built) -> None:
    statements = role_statements(hourly)
    assert sorted((s["Action"], json.dumps(s["Resource"])) for s in statements) == sorted(
        [
            ("states:StartExecution", json.dumps({"Ref": logical_id(hourly, SM)})),
            ("sqs:SendMessage", json.dumps({"Fn::GetAtt": [logical_id(hourly, "AWS::SQS::Queue"), "Arn"]})),
        ]
    )


def test_children_ids_and_attributes(hourly: Built) -> None:
    machine = hourly.machine
    assert machine.node.find_child("Schedule") is machine.schedule
    assert machine.node.find_child("ScheduleRole") is machine.schedule_role
    assert machine.node.find_child("ScheduleDeadLetterQueue") is machine.schedule_dead_letter_queue
    assert isinstance(machine.schedule, scheduler.Schedule)


def test_dead_letters_raise_an_alarm_on_the_alarm_topic(hourly: Built) -> None:
    [topic_id] = hourly.resources("AWS::SNS::Topic")
    [(alarm_id, alarm)] = [
        (k, a["Properties"])
        for k, a in hourly.resources("AWS::CloudWatch::Alarm").items()
        if a["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    ]
    assert alarm_id.startswith("MachineScheduleDeadLetterAlarm")
    assert alarm["Namespace"] == "AWS/SQS"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": [logical_id(hourly, "AWS::SQS::Queue"), "QueueName"]}}
    ]
    assert (alarm["Threshold"], alarm["Statistic"], alarm["ComparisonOperator"]) == (
        1,
        "Maximum",
        "GreaterThanOrEqualToThreshold",
    )
    assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": topic_id}]
    assert alarm["AlarmDescription"].startswith("Test/Machine (owner: team-orders): scheduled invocations")
    assert hourly.machine.node.find_child("ScheduleDeadLetterAlarm") is hourly.machine.schedule_dead_letter_alarm
    # shown in the dashboard's alarm status widget next to the execution alarms
    assert alarm_id in json.dumps(hourly.props("AWS::CloudWatch::Dashboard"))


def test_no_dead_letter_alarm_without_alarms() -> None:
    built = build(schedule=HOURLY, alarms_enabled=False)
    assert built.resources("AWS::CloudWatch::Alarm") == {}
    assert built.machine.schedule_dead_letter_alarm is None
    assert built.resources(SCHEDULE) != {}


def test_dead_letter_alarm_alone_still_gets_a_topic() -> None:
    from constructs_sfn.cdk import AlarmOptions, ExecutionAlarm

    built = build(schedule=HOURLY, alarm_options={kind: AlarmOptions(enabled=False) for kind in ExecutionAlarm})
    [alarm] = built.resources("AWS::CloudWatch::Alarm").values()
    assert alarm["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Properties"]["AlarmActions"] == [{"Ref": logical_id(built, "AWS::SNS::Topic")}]


def test_schedule_resources_carry_the_owner_tag(hourly: Built) -> None:
    assert untagged_resources(hourly.template, "Owner", "team-orders", logical_prefix="MachineSchedule") == []


# --- every option changes the template ----------------------------------------------------


def _imported_queue(stack: cdk.Stack) -> sqs.IQueue:
    return sqs.Queue.from_queue_arn(stack, "GivenDlq", "arn:aws:sqs:eu-west-1:111111111111:given-dlq")


def _group(stack: cdk.Stack) -> scheduler.IScheduleGroup:
    return scheduler.ScheduleGroup(stack, "Group", schedule_group_name="nightly")


def _check_cron(b: Built) -> None:
    props = b.props(SCHEDULE)
    assert props["ScheduleExpression"] == "cron(30 6 ? * MON-FRI *)"
    assert props["ScheduleExpressionTimezone"] == "Europe/Paris"


def _check_input(b: Built) -> None:
    assert json.loads(target(b)["Input"]) == {"report": "daily", "scheduledTime": SCHEDULED_TIME}


def _check_no_time_key(b: Built) -> None:
    assert json.loads(target(b)["Input"]) == {"report": "daily"}


def _check_time_key(b: Built) -> None:
    assert json.loads(target(b)["Input"]) == {"dueAt": SCHEDULED_TIME}


def _check_disabled(b: Built) -> None:
    assert b.props(SCHEDULE)["State"] == "DISABLED"


def _check_window(b: Built) -> None:
    assert b.props(SCHEDULE)["FlexibleTimeWindow"] == {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 20}


def _check_retries(b: Built) -> None:
    assert target(b)["RetryPolicy"]["MaximumRetryAttempts"] == 0


def _check_age(b: Built) -> None:
    assert target(b)["RetryPolicy"]["MaximumEventAgeInSeconds"] == 600


def _check_given_queue(b: Built) -> None:
    assert b.resources("AWS::SQS::Queue") == {}
    arn = "arn:aws:sqs:eu-west-1:111111111111:given-dlq"
    assert target(b)["DeadLetterConfig"] == {"Arn": arn}
    assert ("sqs:SendMessage", arn) in [(s["Action"], s["Resource"]) for s in role_statements(b)]
    assert b.machine.node.try_find_child("ScheduleDeadLetterQueue") is None


def _check_group(b: Built) -> None:
    assert b.props(SCHEDULE)["GroupName"] == "nightly"
    role = b.resources("AWS::IAM::Role")[logical_id_of_role(b)]
    [statement] = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Condition"]["ArnLike"]["aws:SourceArn"] == {
        "Fn::GetAtt": [logical_id(b, "AWS::Scheduler::ScheduleGroup"), "Arn"]
    }


def _check_description(b: Built) -> None:
    assert b.props(SCHEDULE)["Description"] == "month-end close"


def _check_at(b: Built) -> None:
    assert b.props(SCHEDULE)["ScheduleExpression"] == "at(2026-12-24T18:00:00)"
    assert b.props(SCHEDULE)["ScheduleExpressionTimezone"] == "America/New_York"


def _check_rate_minutes(b: Built) -> None:
    assert b.props(SCHEDULE)["ScheduleExpression"] == "rate(90 minutes)"


OPTION_CASES: list[tuple[str, Callable[[], ExecutionSchedule], Callable[[Built], None]]] = [
    (
        "cron+time_zone",
        lambda: ExecutionSchedule.cron(minute="30", hour="6", week_day="MON-FRI", time_zone="Europe/Paris"),
        _check_cron,
    ),
    ("input", lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), input={"report": "daily"}), _check_input),
    (
        "scheduled_time_key=None",
        lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), input={"report": "daily"}, scheduled_time_key=None),
        _check_no_time_key,
    ),
    (
        "scheduled_time_key",
        lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), scheduled_time_key="dueAt"),
        _check_time_key,
    ),
    ("enabled", lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), enabled=False), _check_disabled),
    (
        "flexible_window",
        lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), flexible_window=cdk.Duration.minutes(20)),
        _check_window,
    ),
    ("max_retry_attempts", lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), max_retry_attempts=0), _check_retries),
    (
        "max_event_age",
        lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), max_event_age=cdk.Duration.minutes(10)),
        _check_age,
    ),
    (
        "description",
        lambda: ExecutionSchedule.rate(cdk.Duration.hours(1), description="month-end close"),
        _check_description,
    ),
    (
        "expression=at",
        lambda: ExecutionSchedule.expression("at(2026-12-24T18:00:00)", time_zone="America/New_York"),
        _check_at,
    ),
    ("rate=minutes", lambda: ExecutionSchedule.rate(cdk.Duration.minutes(90)), _check_rate_minutes),
]


@pytest.mark.parametrize(
    ("make", "check"), [(m, c) for _, m, c in OPTION_CASES], ids=[case[0] for case in OPTION_CASES]
)
def test_option_changes_the_template(
    hourly: Built, make: Callable[[], ExecutionSchedule], check: Callable[[Built], None]
) -> None:
    built = build(schedule=make())
    assert built.props(SCHEDULE) != hourly.props(SCHEDULE)
    check(built)


@pytest.mark.parametrize(
    ("option", "check"), [("dead_letter_queue", _check_given_queue), ("schedule_group", _check_group)]
)
def test_construct_options_change_the_template(hourly: Built, option: str, check: Callable[[Built], None]) -> None:
    make = {"dead_letter_queue": _imported_queue, "schedule_group": _group}[option]
    built = build(schedule=lambda s: ExecutionSchedule.rate(cdk.Duration.hours(1), **{option: make(s)}))
    assert built.template != hourly.template
    check(built)


def test_an_encrypted_machine_lets_the_schedule_role_use_the_key_for_this_machine_only() -> None:
    built = build(schedule=HOURLY, encryption=StateMachineEncryption.customer_managed())
    [kms_statement] = [s for s in role_statements(built) if "kms:GenerateDataKey" in s["Action"]]
    assert sorted(kms_statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert kms_statement["Resource"] == {"Fn::GetAtt": [logical_id(built, "AWS::KMS::Key"), "Arn"]}
    assert kms_statement["Condition"] == {
        "StringEquals": {"kms:EncryptionContext:aws:states:stateMachineArn": {"Ref": logical_id(built, SM)}}
    }


# --- compliance ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def everything_on() -> Built:
    return build(
        schedule=ExecutionSchedule.cron(
            hour="2",
            time_zone="Europe/Berlin",
            input={"mode": "full"},
            flexible_window=cdk.Duration.minutes(30),
            max_retry_attempts=5,
            max_event_age=cdk.Duration.hours(2),
        ),
        encryption=StateMachineEncryption.customer_managed(data_key_reuse_period=cdk.Duration.minutes(10)),
    )


def test_schedule_and_encryption_pass_cdk_nag(everything_on: Built) -> None:
    assert nag_violations(everything_on.stack) == []


def test_schedule_and_encryption_pass_cfn_lint(everything_on: Built) -> None:
    assert cfn_lint_errors(everything_on.template) == []


def test_given_queue_and_group_pass_cdk_nag_and_cfn_lint() -> None:
    built = build(
        schedule=lambda s: ExecutionSchedule.rate(
            cdk.Duration.days(1), dead_letter_queue=_imported_queue(s), schedule_group=_group(s)
        )
    )
    assert nag_violations(built.stack) == []
    assert cfn_lint_errors(built.template) == []


def test_tokens_are_accepted_unchecked() -> None:
    def schedule(stack: cdk.Stack) -> ExecutionSchedule:
        return ExecutionSchedule.expression(
            cdk.CfnParameter(stack, "Expression").value_as_string,
            time_zone=cdk.CfnParameter(stack, "Zone").value_as_string,
        )

    built = build(schedule=schedule)
    props = built.props(SCHEDULE)
    assert props["ScheduleExpression"] == {"Ref": "Expression"}
    assert props["ScheduleExpressionTimezone"] == {"Ref": "Zone"}


@pytest.mark.parametrize("option", ["flexible_window", "max_retry_attempts", "max_event_age"])
def test_options_aws_cdk_lib_checks_refuse_tokens_clearly(option: str) -> None:
    def schedule(stack: cdk.Stack) -> ExecutionSchedule:
        number = cdk.CfnParameter(stack, "Number", type="Number").value_as_number
        value = number if option == "max_retry_attempts" else cdk.Duration.minutes(number)
        return ExecutionSchedule.rate(HOUR, **{option: value})

    with pytest.raises(ConstructPropsError, match=f"schedule.{option}: must be known at synth time"):
        build(schedule=schedule)


# --- validation ------------------------------------------------------------------------------

HOUR = cdk.Duration.hours(1)
INVALID: list[tuple[str, Callable[[], Any], str]] = [
    ("not-a-schedule", lambda: "rate(1 hour)", "schedule: must be an ExecutionSchedule"),
    (
        "cron-minute",
        lambda: ExecutionSchedule.cron(minute="60"),
        "schedule.expression: minutes field: 60 is outside 0-59",
    ),
    ("cron-hour", lambda: ExecutionSchedule.cron(hour="24"), "schedule.expression: hours field: 24 is outside 0-23"),
    ("cron-month-name", lambda: ExecutionSchedule.cron(month="FOO"), "schedule.expression: month field: 'FOO' is not"),
    ("cron-both-days", lambda: ExecutionSchedule.cron(day="1", week_day="MON"), "schedule.expression: exactly one of"),
    (
        "cron-fields",
        lambda: ExecutionSchedule.expression("cron(0 8 * * ?)"),
        "schedule.expression: a cron expression has 6 fields",
    ),
    ("cron-garbage", lambda: ExecutionSchedule.expression("cron(0 8 ? * M*N *)"), "schedule.expression: day-of-week"),
    ("rate-plural", lambda: ExecutionSchedule.expression("rate(1 hours)"), "schedule.expression: a rate of 1 takes"),
    ("rate-singular", lambda: ExecutionSchedule.expression("rate(5 minute)"), "schedule.expression: a rate of 1 takes"),
    (
        "rate-zero",
        lambda: ExecutionSchedule.expression("rate(0 minutes)"),
        "schedule.expression: a rate must be at least",
    ),
    ("at-bad-date", lambda: ExecutionSchedule.expression("at(2026-02-30T10:00:00)"), "schedule.expression: at() must"),
    ("unknown-form", lambda: ExecutionSchedule.expression("every day"), "schedule.expression: must be cron("),
    (
        "rate-seconds",
        lambda: ExecutionSchedule.rate(cdk.Duration.seconds(90)),
        "schedule.interval: must be whole minutes",
    ),
    (
        "rate-zero-duration",
        lambda: ExecutionSchedule.rate(cdk.Duration.minutes(0)),
        "schedule.interval: must be a positive",
    ),
    (
        "time-zone",
        lambda: ExecutionSchedule.cron(time_zone="Mars/Olympus"),
        "schedule.time_zone: must be an IANA time zone",
    ),
    (
        "window-zero",
        lambda: ExecutionSchedule.rate(HOUR, flexible_window=cdk.Duration.minutes(0)),
        "flexible_window: must be a",
    ),
    (
        "window-long",
        lambda: ExecutionSchedule.rate(HOUR, flexible_window=cdk.Duration.hours(25)),
        "flexible_window: must be whole",
    ),
    (
        "window-seconds",
        lambda: ExecutionSchedule.rate(HOUR, flexible_window=cdk.Duration.seconds(90)),
        "schedule.flexible_window: must be whole minutes from 1 to 1440",
    ),
    (
        "retries-high",
        lambda: ExecutionSchedule.rate(HOUR, max_retry_attempts=186),
        "schedule.max_retry_attempts: must be",
    ),
    ("retries-negative", lambda: ExecutionSchedule.rate(HOUR, max_retry_attempts=-1), "schedule.max_retry_attempts"),
    ("retries-fraction", lambda: ExecutionSchedule.rate(HOUR, max_retry_attempts=1.5), "schedule.max_retry_attempts"),
    (
        "age-short",
        lambda: ExecutionSchedule.rate(HOUR, max_event_age=cdk.Duration.seconds(59)),
        "schedule.max_event_age",
    ),
    ("age-long", lambda: ExecutionSchedule.rate(HOUR, max_event_age=cdk.Duration.hours(25)), "schedule.max_event_age"),
    ("input-not-object", lambda: ExecutionSchedule.rate(HOUR, input=[1, 2]), "schedule.input: must be a JSON object"),
    ("input-not-json", lambda: ExecutionSchedule.rate(HOUR, input={"at": object()}), "schedule.input: must be JSON"),
    (
        "time-key-clash",
        lambda: ExecutionSchedule.rate(HOUR, input={"scheduledTime": "x"}),
        "schedule.scheduled_time_key: 'scheduledTime' is already a key of input",
    ),
    (
        "time-key-empty",
        lambda: ExecutionSchedule.rate(HOUR, scheduled_time_key=""),
        "schedule.scheduled_time_key: must",
    ),
    (
        "queue-not-queue",
        lambda: ExecutionSchedule.rate(HOUR, dead_letter_queue="arn:aws:sqs:x"),
        "dead_letter_queue: must",
    ),
    ("group-not-group", lambda: ExecutionSchedule.rate(HOUR, schedule_group="nightly"), "schedule_group: must be"),
]


@pytest.mark.parametrize(("make", "message"), [(m, msg) for _, m, msg in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_schedules_fail_eagerly_naming_the_prop(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ConstructPropsError) as raised:
        build(schedule=make())
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{MACHINE_PATH}: schedule")
    assert raised.value.prop.startswith("schedule")


def test_validation_happens_before_any_resource_is_created() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Test")
    from aws_cdk import aws_stepfunctions as sfn

    from constructs_sfn.cdk import ObservableStateMachine

    with pytest.raises(ConstructPropsError):
        ObservableStateMachine(
            stack,
            "Machine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.Pass(stack, "Start"),
            owner="team",
            schedule=ExecutionSchedule.cron(hour="25"),
        )
    assert stack.node.find_child("Machine").node.children == []


# --- expressions (no synth) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        (cdk.Duration.minutes(1), "rate(1 minute)"),
        (cdk.Duration.minutes(5), "rate(5 minutes)"),
        (cdk.Duration.minutes(60), "rate(1 hour)"),
        (cdk.Duration.hours(36), "rate(36 hours)"),
        (cdk.Duration.days(2), "rate(2 days)"),
        (cdk.Duration.hours(24), "rate(1 day)"),
    ],
)
def test_rates_render_in_the_largest_whole_unit(interval: cdk.Duration, expected: str) -> None:
    assert rate_expression(interval) == (expected, None)
    assert ExecutionSchedule.rate(interval).expression_string == expected


def test_cron_factory_defaults_fire_on_the_hour_and_fill_the_other_day_field() -> None:
    assert ExecutionSchedule.cron().expression_string == "cron(0 * * * ? *)"
    assert ExecutionSchedule.cron(hour="8").expression_string == "cron(0 8 * * ? *)"
    assert ExecutionSchedule.cron(week_day="MON-FRI").expression_string == "cron(0 * ? * MON-FRI *)"
    assert ExecutionSchedule.cron(day="L").expression_string == "cron(0 * L * ? *)"


@pytest.mark.parametrize(
    "fields",
    [
        "0 8 * * ? *",
        "0/15 8-17 ? * MON-FRI *",
        "0 10 ? * 6L 2026",
        "0 10 ? * 3#2 *",
        "0 0 L * ? *",
        "0 0 LW * ? *",
        "0 0 15W * ? *",
        "5,35 14 ? JAN,JUL WED 2026-2030",
        "0 12 1 */2 ? *",
    ],
)
def test_valid_cron_fields(fields: str) -> None:
    assert cron_problem(fields) is None
    assert expression_problem(f"cron({fields})") is None


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ("0 8 * * * *", "exactly one of day-of-month and day-of-week must be '?'"),
        ("0 8 ? * ? *", "exactly one of day-of-month and day-of-week must be '?'"),
        ("? 8 * * ? *", "minutes field: '?' is only for the day fields"),
        ("0 8 32 * ? *", "day-of-month field: 32 is outside 1-31"),
        ("0 8 ? * 8 *", "day-of-week field: 8 is outside 1-7"),
        ("0 8 ? 13 MON *", "month field: 13 is outside 1-12"),
        ("0 8 * * ? 1969", "year field: 1969 is outside 1970-2199"),
        ("0/0 8 * * ? *", "minutes field: a step must be at least 1"),
        ("0 8 * * ? * *", "a cron expression has 6 fields"),
    ],
)
def test_invalid_cron_fields(fields: str, problem: str) -> None:
    found = cron_problem(fields)
    assert found is not None
    assert found.startswith(problem)


@pytest.mark.parametrize(
    ("expression", "ok"),
    [
        ("rate(1 minute)", True),
        ("rate(2 days)", True),
        ("rate(1 days)", False),
        ("rate(3 weeks)", False),
        ("at(2026-01-01T00:00:00)", True),
        ("at(2026-01-01 00:00)", False),
        ("cron(0 8 * * ? *)", True),
    ],
)
def test_expression_shapes(expression: str, ok: bool) -> None:
    assert (expression_problem(expression) is None) is ok
