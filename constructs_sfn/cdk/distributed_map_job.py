"""DistributedMapJob: a Distributed Map over S3 on an ObservableStateMachine, with least-privilege IAM.

The job reads its items from S3 (an :class:`~constructs_sfn.cdk.item_sources.ItemSource`), runs
an :class:`~constructs_sfn.cdk.map_job_options.ItemProcessor` per item (or batch) as child
executions with a required concurrency bound, tolerates a stated share of failures, writes the
results to an S3 prefix and alarms when a Map Run fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aws_cdk import Aws, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.encryption import StateMachineEncryption
from constructs_sfn.cdk.errors import ConstructPropsError
from constructs_sfn.cdk.item_sources import ItemSource, ItemSourceKind
from constructs_sfn.cdk.map_job_options import ItemBatching, ItemProcessor
from constructs_sfn.cdk.map_job_validation import check_job_props, check_map_run_label, check_result_prefix
from constructs_sfn.cdk.map_run_alarm import (
    MAP_RUN_METRIC_NAMESPACE,
    MAP_RUNS_FAILED,
    create_map_run_alarm,
    map_run_failed_metric_filter,
    resolve_map_run_alarm,
)
from constructs_sfn.cdk.map_run_permissions import (
    acknowledge_wildcard_resources,
    child_execution_statements,
    flatten_reference,
    result_writer_statements,
    state_machine_name_of,
)
from constructs_sfn.cdk.observable_state_machine import OWNER_TAG_KEY, ObservableStateMachine
from constructs_sfn.cdk.options import AlarmOptions, ExecutionAlarm, StateMachineLogging, Tracing
from constructs_sfn.cdk.schedule import ExecutionSchedule
from constructs_sfn.cdk.validation import PropsValidator
from constructs_sfn.cdk.workflow import ObservableWorkflow

__all__ = [
    "DEFAULT_RESULT_PREFIX",
    "MAP_STATE_ID",
    "DistributedMapJob",
]

#: The Map state's construct id, state name and default Map Run label.
MAP_STATE_ID = "DistributedMap"
DEFAULT_RESULT_PREFIX = "results/"

_CHILD_EXECUTIONS_REASON = (
    "A Distributed Map starts, describes, stops and redrives its own child executions, whose ARNs "
    "(execution:<this machine>/<map run label>:<id>) are only known at run time; the wildcard covers "
    "this state machine's executions only, as AWS's Distributed Map IAM policy documents."
)
_RESULTS_REASON = (
    "The ResultWriter writes one file per result batch plus a manifest under the results prefix, with "
    "names chosen by Step Functions at run time; the wildcard covers that prefix of the result bucket only."
)
_INVENTORY_REASON = (
    "An S3 Inventory report's data files are listed in its manifest and named by S3 at run time; the "
    "wildcard covers the inventory configuration's folder only."
)
_LAMBDA_VERSIONS_REASON = (
    "CDK's Lambda task grant covers the versions and aliases (<function ARN>:*) of the one item "
    "processor function, so a qualified invocation keeps working; no other function is reachable."
)
_LOGS_BUCKET_REASON = (
    "This bucket receives the result bucket's server access logs; logging it to itself would loop, "
    "and a second log bucket would only move the finding."
)


class _JobMap(sfn.DistributedMap):
    """DistributedMap whose ItemReader and ResultWriter are rendered here, with no IAM of their own.

    CDK's readers and writers grant ``s3:GetObject`` on the whole bucket and ``s3:ListBucket``
    without a prefix condition, and which ResultWriter it renders depends on a feature flag; the
    job grants exactly what it needs instead (see map_run_permissions).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        source: ItemSource,
        result_bucket: s3.IBucket,
        result_prefix: str,
        query_language: sfn.QueryLanguage | None,
        **props: Any,
    ) -> None:
        super().__init__(scope, id, query_language=query_language, **props)
        self._source = source
        self._result_bucket = result_bucket
        self._result_prefix = result_prefix
        self._own_query_language = query_language

    def to_state_json(self, state_machine_query_language: sfn.QueryLanguage | None = None) -> Mapping[Any, Any]:
        """The Map state's ASL, with the job's ItemReader and ResultWriter."""
        rendered = dict(super().to_state_json(state_machine_query_language))
        language = self._own_query_language or state_machine_query_language
        field = "Arguments" if language == sfn.QueryLanguage.JSONATA else "Parameters"
        rendered["ItemReader"] = self._source.render(language)
        rendered["ResultWriter"] = {
            "Resource": f"arn:{Aws.PARTITION}:states:::s3:putObject",
            field: {"Bucket": self._result_bucket.bucket_name, "Prefix": self._result_prefix},
        }
        return rendered


class DistributedMapJob(ObservableWorkflow):
    """A Distributed Map over S3 items, run on an :class:`ObservableStateMachine` (STANDARD).

    Children (their ids are public contract): ``Machine`` (the ObservableStateMachine, with its
    own children), ``DistributedMap`` (the Map state; a Lambda processor's task is
    ``ProcessItem``), ``ResultBucket`` and ``ResultAccessLogsBucket`` (unless ``result_bucket``
    / ``access_logs_bucket`` are given), ``MapRunPolicy``, ``MapRunsFailedMetricFilter``,
    ``MapRunsFailedAlarm`` and, only when the machine has no alarm topic of its own, ``AlarmTopic``.

    Raises :class:`~constructs_sfn.cdk.errors.ConstructPropsError` eagerly when props are
    inconsistent; values that are tokens are not checked.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        items: ItemSource,
        item_processor: ItemProcessor,
        max_concurrency: int | None = None,
        child_execution_type: sfn.StateMachineType | None = None,
        item_batching: ItemBatching | None = None,
        item_selector: Mapping[str, Any] | None = None,
        tolerated_failure_percentage: float | None = None,
        tolerated_failure_count: int | None = None,
        map_run_label: str | None = None,
        result_bucket: s3.IBucket | None = None,
        result_prefix: str | None = None,
        access_logs_bucket: s3.IBucket | None = None,
        result_bucket_removal_policy: RemovalPolicy | None = None,
        definition: Callable[[sfn.DistributedMap], sfn.IChainable] | None = None,
        map_run_alarm: AlarmOptions | None = None,
        owner: str | None = None,
        state_machine_name: str | None = None,
        comment: str | None = None,
        timeout: Duration | None = None,
        query_language: sfn.QueryLanguage | None = None,
        role: iam.IRole | None = None,
        logging: StateMachineLogging | None = None,
        log_retention: logs.RetentionDays | None = None,
        log_group_name: str | None = None,
        log_encryption_key: kms.IKey | None = None,
        log_removal_policy: RemovalPolicy | None = None,
        tracing: Tracing | None = None,
        alarms_enabled: bool = True,
        alarm_topic: sns.ITopic | None = None,
        alarm_options: Mapping[ExecutionAlarm, AlarmOptions] | None = None,
        execution_time_threshold: Duration | None = None,
        create_dashboard: bool = True,
        schedule: ExecutionSchedule | None = None,
        encryption: StateMachineEncryption | None = None,
        removal_policy: RemovalPolicy | None = None,
    ) -> None:
        """Create the job's state machine, result bucket, IAM and alarms.

        :param items: where the items are read from, e.g. ``ItemSource.csv(bucket, "in/rows.csv")``.
        :param item_processor: ``ItemProcessor.function(fn)`` or ``ItemProcessor.chain(states)``.
        :param max_concurrency: child executions running at once, 1 to 10,000. Required: an
            unbounded fan-out (AWS's default when absent or 0 is 10,000 at once) overwhelms the
            services the items are processed with.
        :param child_execution_type: Default: EXPRESS (cheap, at most 5 minutes per item or batch;
            STANDARD for longer or exactly-once processing).
        :param item_batching: Default: one item per child execution.
        :param item_selector: JSONPath ``ItemSelector`` shaping each child's input (e.g. adding
            ``$$.Map.Item.Index``). Default: the item as read.
        :param tolerated_failure_percentage: share of items (0-100) that may fail without failing
            the Map Run. Default: no failure tolerated (unless ``tolerated_failure_count`` is set).
        :param tolerated_failure_count: number of items that may fail without failing the Map Run.
            Default: no failure tolerated (unless ``tolerated_failure_percentage`` is set).
        :param map_run_label: the Map Run label (in child execution ARNs), at most 40 characters.
            Default: ``DistributedMap``.
        :param result_bucket: where the ResultWriter writes. Default: a bucket is created: S3-managed
            encryption, TLS-only, all public access blocked, server access logs, RETAIN.
        :param result_prefix: Default: ``results/``.
        :param access_logs_bucket: receives the created result bucket's access logs (only with the
            created bucket). Default: a bucket is created for them.
        :param result_bucket_removal_policy: of the created buckets. Default: RETAIN.
        :param definition: builds the whole workflow around the Map state (e.g. a Parallel holding
            it, steps before and after). Default: the Map state is the whole workflow.
        :param map_run_alarm: overrides for the Map Run failure alarm (``enabled=False`` skips it).
            Default: an alarm when at least 1 Map Run failed in 5 minutes, sent to the alarm topic.
        :param owner: see ObservableStateMachine. Default: the ``constructs-sfn:owner`` context value.
        :param state_machine_name: Default: a name generated by CloudFormation.
        :param comment: Default: no comment.
        :param timeout: of the whole job. Default: no timeout (and ObservableStateMachine's warning).
        :param query_language: Default: JSONPath.
        :param role: Default: a role trusted only by Step Functions in this account.
        :param logging: Default: ``StateMachineLogging.all()`` (the Map Run alarm reads these logs).
        :param log_retention: Default: three months.
        :param log_group_name: Default: ``/aws/vendedlogs/states/<name>``.
        :param log_encryption_key: Default: CloudWatch Logs' own encryption.
        :param log_removal_policy: Default: RETAIN.
        :param tracing: Default: ``Tracing.active()``.
        :param alarms_enabled: False turns every alarm (and the topic) off. Default: True.
        :param alarm_topic: Default: a topic is created that only accepts TLS publishers.
        :param alarm_options: the execution alarms' overrides. Default: ObservableStateMachine's.
        :param execution_time_threshold: Default: 80% of ``timeout``; none without a timeout.
        :param create_dashboard: Default: True.
        :param schedule: start the job on a schedule (``ExecutionSchedule.cron(...)``, ``.rate(...)``),
            e.g. nightly after the export lands. Default: no schedule.
        :param encryption: ``StateMachineEncryption.customer_managed(key)`` for the definition and
            execution history. Default: Step Functions' AWS-owned key.
        :param removal_policy: of the state machine. Default: DESTROY (CDK's default).
        """
        super().__init__(scope, id)
        check = PropsValidator(self.node.path)
        check.enum("query_language", query_language, sfn.QueryLanguage)
        check.enum("child_execution_type", child_execution_type, sfn.StateMachineType)
        check.flag("alarms_enabled", alarms_enabled)
        for prop, bucket in (("result_bucket", result_bucket), ("access_logs_bucket", access_logs_bucket)):
            check.interface(prop, bucket, "an IBucket", "bucket_name", "bucket_arn", "arn_for_objects")
        check.enum("result_bucket_removal_policy", result_bucket_removal_policy, RemovalPolicy)
        if isinstance(map_run_alarm, AlarmOptions):
            check.alarm_fields("map_run_alarm", map_run_alarm)
        check_job_props(
            check,
            items=items,
            item_processor=item_processor,
            max_concurrency=max_concurrency,
            child_execution_type=child_execution_type,
            item_batching=item_batching,
            item_selector=item_selector,
            query_language=query_language,
            tolerated_failure_percentage=tolerated_failure_percentage,
            tolerated_failure_count=tolerated_failure_count,
        )
        label = MAP_STATE_ID if map_run_label is None else map_run_label
        check_map_run_label(check, label)
        prefix = DEFAULT_RESULT_PREFIX if result_prefix is None else result_prefix
        check_result_prefix(check, prefix)
        if result_bucket is not None:
            for prop, value in (
                ("access_logs_bucket", access_logs_bucket),
                ("result_bucket_removal_policy", result_bucket_removal_policy),
            ):
                if value is not None:
                    check.fail(prop, "applies only to the created result bucket; remove it or result_bucket")
        if definition is not None and not callable(definition):
            check.fail("definition", "must be a function taking the Map state and returning the whole workflow")
        logging_choice = StateMachineLogging.all() if logging is None else logging
        alarm_settings = None
        if alarms_enabled:
            alarm_settings = resolve_map_run_alarm(check, map_run_alarm)
            logging_off = isinstance(logging_choice, StateMachineLogging) and not logging_choice.enabled
            if alarm_settings is not None and logging_off:
                check.fail(
                    "map_run_alarm",
                    "counts MapRunFailed events in the state machine's logs, which StateMachineLogging.off() "
                    "removes; keep logging on or pass map_run_alarm=AlarmOptions(enabled=False)",
                )
        elif map_run_alarm is not None:
            check.fail("map_run_alarm", "has no effect when alarms_enabled=False; remove one of the two")

        # --- resources ---------------------------------------------------------------------
        self.items = items
        self.result_prefix = prefix
        self.result_bucket: s3.IBucket = result_bucket or self._create_result_bucket(
            access_logs_bucket, result_bucket_removal_policy or RemovalPolicy.RETAIN
        )
        self.map_state: sfn.DistributedMap = _JobMap(
            self,
            MAP_STATE_ID,
            source=items,
            result_bucket=self.result_bucket,
            result_prefix=prefix,
            query_language=query_language,
            max_concurrency=max_concurrency,
            map_execution_type=child_execution_type or sfn.StateMachineType.EXPRESS,
            item_batcher=item_batching.to_item_batcher() if item_batching is not None else None,
            item_selector=dict(item_selector) if item_selector is not None else None,
            tolerated_failure_percentage=tolerated_failure_percentage,
            tolerated_failure_count=tolerated_failure_count,
            label=label,
        )
        self.map_state.item_processor(item_processor.bind(self))
        body = definition(self.map_state) if definition is not None else self.map_state
        check.chainable("definition", body)

        self.machine = ObservableStateMachine(
            self,
            "Machine",
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=body,
            owner=owner,
            state_machine_name=state_machine_name,
            comment=comment,
            timeout=timeout,
            query_language=query_language,
            role=role,
            logging=logging,
            log_retention=log_retention,
            log_group_name=log_group_name,
            log_encryption_key=log_encryption_key,
            log_removal_policy=log_removal_policy,
            tracing=tracing,
            alarms_enabled=alarms_enabled,
            alarm_topic=alarm_topic,
            alarm_options=alarm_options,
            execution_time_threshold=execution_time_threshold,
            create_dashboard=create_dashboard,
            schedule=schedule,
            encryption=encryption,
            removal_policy=removal_policy,
        )

        machine_name = state_machine_name_of(self.state_machine, state_machine_name)
        self.map_run_policy = iam.Policy(
            self,
            "MapRunPolicy",
            roles=[self.role],
            statements=[
                *items.policy_statements(),
                *result_writer_statements(self.result_bucket, prefix),
                *child_execution_statements(self.state_machine, machine_name, label),
            ],
        )
        self._grant_bucket_keys()
        self._acknowledge_wildcards(item_processor)

        # The machine has no topic when every execution alarm is turned off; the Map Run alarm
        # still goes to the caller's topic, or to one of its own.
        self.alarm_topic: sns.ITopic | None = self.machine.alarm_topic or alarm_topic
        self.alarms: dict[str, cloudwatch.Alarm] = {str(kind): alarm for kind, alarm in self.machine.alarms.items()}
        self.map_runs_failed_metric_filter: logs.MetricFilter | None = None
        self.map_run_alarm: cloudwatch.Alarm | None = None
        if alarm_settings is not None and self.log_group is not None:
            self.map_runs_failed_metric_filter = map_run_failed_metric_filter(self, self.log_group)
            if self.alarm_topic is None:
                self.alarm_topic = sns.Topic(self, "AlarmTopic", enforce_ssl=True)
            subject = f"{self.node.path} (owner: {self.machine.owner})"
            self.map_run_alarm = create_map_run_alarm(
                self, self.metric_map_runs_failed(), alarm_settings, subject=subject
            )
            action = cloudwatch_actions.SnsAction(self.alarm_topic)
            self.map_run_alarm.add_alarm_action(action)
            self.map_run_alarm.add_ok_action(action)
            self.alarms[MAP_RUNS_FAILED] = self.map_run_alarm

        Tags.of(self).add(OWNER_TAG_KEY, self.machine.owner)

    # --- resource helpers ----------------------------------------------------------------

    def _create_result_bucket(self, access_logs: s3.IBucket | None, removal_policy: RemovalPolicy) -> s3.Bucket:
        if access_logs is None:
            logs_bucket = s3.Bucket(
                self,
                "ResultAccessLogsBucket",
                encryption=s3.BucketEncryption.S3_MANAGED,  # server access logging requires SSE-S3
                enforce_ssl=True,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                # Object ownership is left to CDK: log delivery by ACL (the default) needs ObjectWriter,
                # by bucket policy (@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy) any setting works.
                removal_policy=removal_policy,
            )
            acknowledge_rule(logs_bucket, "AwsSolutions-S1", _LOGS_BUCKET_REASON)
            access_logs = logs_bucket
        return s3.Bucket(
            self,
            "ResultBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="result-bucket/",
            removal_policy=removal_policy,
        )

    def _grant_bucket_keys(self) -> None:
        # SSE-KMS buckets also need the key: decrypt to read items, encrypt to write results.
        source_key = getattr(self.items.bucket, "encryption_key", None)
        if source_key is not None:
            source_key.grant_decrypt(self.role)
        result_key = getattr(self.result_bucket, "encryption_key", None)
        if result_key is not None:
            result_key.grant_encrypt_decrypt(self.role)

    def _acknowledge_wildcards(self, item_processor: ItemProcessor) -> None:
        stack = Stack.of(self)
        results = flatten_reference(stack.resolve(self.result_bucket.arn_for_objects(f"{self.result_prefix}*")))

        def ours(actions: list[str], resource: str) -> str | None:
            if resource == results:
                return _RESULTS_REASON
            if ":execution:" in resource and all(action.startswith("states:") for action in actions):
                return _CHILD_EXECUTIONS_REASON
            if actions == ["s3:GetObject"] and self.items.kind == ItemSourceKind.MANIFEST:
                return _INVENTORY_REASON
            return None

        acknowledge_wildcard_resources(self.map_run_policy, ours)
        # CDK adds its own policy for the Map's child executions; its wildcards are of the same kind.
        cdk_policy = self.state_machine.node.try_find_child("DistributedMapPolicy")
        if isinstance(cdk_policy, iam.Policy):
            acknowledge_wildcard_resources(
                cdk_policy, lambda actions, resource: ours(actions, resource) if ":execution:" in resource else None
            )
        function = item_processor.lambda_function
        default_policy = self.role.node.try_find_child("DefaultPolicy")
        if function is not None and isinstance(default_policy, iam.Policy):
            versions = flatten_reference(stack.resolve(function.function_arn)) + ":*"
            acknowledge_wildcard_resources(
                default_policy,
                lambda actions, resource: (
                    _LAMBDA_VERSIONS_REASON if resource == versions and actions == ["lambda:InvokeFunction"] else None
                ),
            )

    # --- attributes, grants and metrics ----------------------------------------------------

    def grant_read_results(self, identity: iam.IGrantable) -> iam.Grant:
        """Grant ``identity`` read access to the results prefix of the result bucket."""
        return self.result_bucket.grant_read(identity, f"{self.result_prefix}*")

    def metric_map_runs_failed(self, **options: Any) -> cloudwatch.Metric:
        """Failed Map Runs (Sum over 5 minutes unless ``options`` say otherwise), from the log metric filter.

        Only published when the Map Run alarm is on (it creates the metric filter).
        """
        if self.map_runs_failed_metric_filter is None:
            raise ConstructPropsError(
                self.node.path, "map_run_alarm", "is off, so there is no MapRunsFailed metric filter to read"
            )
        options.setdefault("statistic", "Sum")
        options.setdefault("period", Duration.minutes(5))
        return self.map_runs_failed_metric_filter.metric(**options)

    @property
    def map_runs_failed_metric_namespace(self) -> str:
        """The CloudWatch namespace of :meth:`metric_map_runs_failed`."""
        return MAP_RUN_METRIC_NAMESPACE
