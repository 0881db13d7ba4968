"""The callback endpoint of ApprovalWorkflow: a REST API, its handler function and the used-token table.

Children of :class:`ApprovalCallback` (ids are public contract): ``TokenTable``, ``FunctionLogGroup``,
``FunctionRole``, ``Function``, ``TaskResponsePolicy`` (once :meth:`ApprovalCallback.grant_task_response`
ran), ``AccessLogGroup``, ``Api`` (with ``DecisionModel``, ``BodyValidator``, ``Authorizer`` for
Cognito, resources ``approve`` and ``reject``).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_sfn.cdk.acknowledgements import acknowledge_rule
from constructs_sfn.cdk.approval_callback import ASSET_DIRECTORY, HANDLER
from constructs_sfn.cdk.approval_callback.handler import MAX_COMMENT_LENGTH, MAX_TOKEN_LENGTH
from constructs_sfn.cdk.approval_options import CallbackAuthorization

__all__ = ["CALLBACK_RUNTIME", "DECISION_PATHS", "ApprovalCallback"]

#: The runtime of the callback function.
CALLBACK_RUNTIME = lambda_.Runtime.PYTHON_3_14
#: The two POST resources of the API.
DECISION_PATHS = ("approve", "reject")

_COG4_REASON = (
    "The approval callback is authorized with AWS IAM (SigV4): only principals granted "
    "execute-api:Invoke on these two methods can answer. A Cognito user pool authorizer is the "
    "alternative, chosen with CallbackAuthorization.cognito(pool)."
)
_APIG3_REASON = (
    "The callback API only accepts authorized POSTs whose body passes a strict JSON schema, and is "
    "throttled per stage; attach an AWS WAF web ACL at the account or stage level where policy requires it."
)
_APIG4_COGNITO_REASON = (
    "Methods are authorized by the Cognito user pool authorizer (AuthorizationType COGNITO_USER_POOLS)."
)


class ApprovalCallback(Construct):
    """A REST API (``POST /approve``, ``POST /reject``) calling the approval handler function.

    The handler records each token's hash in ``TokenTable`` with a conditional write, then calls
    SendTaskSuccess / SendTaskFailure. Its role may write its log group, put and delete items of
    the table and (after :meth:`grant_task_response`) send task results for one state machine.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        authorization: CallbackAuthorization,
        token_ttl: Duration,
        throttling_rate_limit: float,
        throttling_burst_limit: int,
        log_retention: logs.RetentionDays,
        stage_name: str,
    ) -> None:
        """Create the table, the function and the API (see the module docstring for the children)."""
        super().__init__(scope, id)
        self.table = dynamodb.Table(
            self,
            "TokenTable",
            partition_key=dynamodb.Attribute(name="tokenHash", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute="expiresAt",
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            # Only hashes of tokens that are dead at Step Functions once the deadline passed.
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.function_log_group = logs.LogGroup(
            self, "FunctionLogGroup", retention=log_retention, removal_policy=RemovalPolicy.RETAIN
        )
        self.role = iam.Role(
            self,
            "FunctionRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Approval callback of {scope.node.path}: writes its logs and token table, answers tasks",
        )
        # Explicit statements, not grant_write_data: the handler needs exactly these two calls.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["dynamodb:PutItem", "dynamodb:DeleteItem"],
                resources=[self.table.table_arn],
            )
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.function_log_group.log_group_arn],
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=CALLBACK_RUNTIME,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(ASSET_DIRECTORY), exclude=["__pycache__", "*.pyc", "__init__.py"]),
            role=self.role,
            log_group=self.function_log_group,
            timeout=Duration.seconds(15),
            memory_size=256,
            environment={
                "TOKEN_TABLE_NAME": self.table.table_name,
                "TOKEN_TTL_SECONDS": str(int(token_ttl.to_seconds())),
            },
            description="Approval callback: records the token once, then SendTaskSuccess/SendTaskFailure",
        )

        self.access_log_group = logs.LogGroup(
            self, "AccessLogGroup", retention=log_retention, removal_policy=RemovalPolicy.RETAIN
        )
        self.api = apigateway.RestApi(
            self,
            "Api",
            description=f"Approve or reject the approval requests of {scope.node.path}",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            # The account-level CloudWatch role is a singleton the account owns; never create it here.
            cloud_watch_role=False,
            deploy_options=apigateway.StageOptions(
                stage_name=stage_name,
                access_log_destination=apigateway.LogGroupLogDestination(self.access_log_group),
                # Standard fields only: no request body, so the task token never reaches the access log.
                access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                    caller=True,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
                # Errors only and no data trace: INFO with data trace would log bodies (the token).
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                throttling_rate_limit=throttling_rate_limit,
                throttling_burst_limit=throttling_burst_limit,
            ),
        )
        model = self.api.add_model(
            "DecisionModel",
            content_type="application/json",
            schema=apigateway.JsonSchema(
                schema=apigateway.JsonSchemaVersion.DRAFT4,
                title="ApprovalDecision",
                type=apigateway.JsonSchemaType.OBJECT,
                required=["taskToken"],
                additional_properties=False,
                properties={
                    "taskToken": apigateway.JsonSchema(
                        type=apigateway.JsonSchemaType.STRING, min_length=1, max_length=MAX_TOKEN_LENGTH
                    ),
                    "comment": apigateway.JsonSchema(
                        type=apigateway.JsonSchemaType.STRING, max_length=MAX_COMMENT_LENGTH
                    ),
                },
            ),
        )
        validator = self.api.add_request_validator(
            "BodyValidator", validate_request_body=True, validate_request_parameters=True
        )
        authorizer: apigateway.IAuthorizer | None = None
        if authorization.kind == "cognito" and authorization.user_pool is not None:
            authorizer = apigateway.CognitoUserPoolsAuthorizer(
                self, "Authorizer", cognito_user_pools=[authorization.user_pool]
            )
        integration = apigateway.LambdaIntegration(self.function, proxy=True)
        self.methods: dict[str, apigateway.Method] = {}
        for path in DECISION_PATHS:
            method = self.api.root.add_resource(path).add_method(
                "POST",
                integration,
                authorization_type=(
                    apigateway.AuthorizationType.COGNITO if authorizer else apigateway.AuthorizationType.IAM
                ),
                authorizer=authorizer,
                authorization_scopes=list(authorization.scopes) or None,
                request_validator=validator,
                request_models={"application/json": model},
            )
            self.methods[path] = method
            if authorizer is None:
                acknowledge_rule(method, "AwsSolutions-COG4", _COG4_REASON)
        acknowledge_rule(self.api, "AwsSolutions-APIG3", _APIG3_REASON)

    def grant_task_response(self, state_machine: sfn.IStateMachine) -> iam.Policy:
        """Let the handler send task success/failure for ``state_machine`` (and nothing else).

        The Service Authorization Reference lists no resource type for these actions, yet Step
        Functions evaluates them against the token's state machine (its AccessDenied messages name
        it) and CDK's ``grant_task_response`` scopes them the same way: the narrowest scope there is.

        A policy of its own rather than the role's default policy: the function depends on its
        default policy, and the state machine's definition depends on the API (the callback URLs),
        so the statement there would close a dependency cycle.
        """
        return iam.Policy(
            self,
            "TaskResponsePolicy",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(
                    actions=["states:SendTaskSuccess", "states:SendTaskFailure"],
                    resources=[state_machine.state_machine_arn],
                )
            ],
        )

    def url_for(self, path: str) -> str:
        """The full URL of ``POST /<path>`` on the deployed stage."""
        return self.api.url_for_path(f"/{path}")
