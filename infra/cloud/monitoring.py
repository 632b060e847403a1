"""What operators see: every function's and workflow's logs, kept for a bounded time, and alarms that
notify the national team.

Each Chalice function writes to a log group of the stack (``LoggingConfig``), named after the stage
and the function, instead of the one Lambda would create on first use and keep forever. Logs are kept
a year in ``prod`` (what an incident review or an audit of the surveillance needs) and three months
elsewhere, encrypted with the operations key (``logs_may_use``). The state machines log their failed
steps (``ERROR``: their payloads are ids and S3 pointers, never health data).

Alarms, all on the national team's SNS topic (encrypted with the operations key, which CloudWatch may
use): a function's errors or throttles, a message in a dead-letter or failure queue, a workflow
execution that failed. Each alarm says in French what happened and where to look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from chalice.cdk import Chalice
from constructs import Construct

PRODUCTION = "prod"
#: One alarm period: the national team hears of a failure within minutes.
PERIOD = cdk.Duration.minutes(5)


def retention(stage: str) -> logs.RetentionDays:
    return logs.RetentionDays.ONE_YEAR if stage == PRODUCTION else logs.RetentionDays.THREE_MONTHS


def log_removal(stage: str) -> cdk.RemovalPolicy:
    """A production stack's logs outlive it; a development stack takes its logs with it."""
    return cdk.RemovalPolicy.RETAIN if stage == PRODUCTION else cdk.RemovalPolicy.DESTROY


def app_functions(app: Chalice) -> dict[str, cdk.CfnResource]:
    """Every function Chalice packaged, by logical id (its CloudFormation name)."""
    return {
        child.node.id: child
        for child in app.sam_template.node.children
        if isinstance(child, cdk.CfnResource) and child.cfn_resource_type == "AWS::Serverless::Function"
    }


def function_log_group_name(stage: str, logical: str) -> str:
    return f"/consores/{stage}/lambda/{logical}"


def logs_may_use(key: kms.IKey) -> None:
    """CloudWatch Logs encrypts the stack's log groups with ``key``: for this account's log groups only."""
    stack = cdk.Stack.of(key)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
                     "kms:DescribeKey"],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                        service="logs", resource="log-group", resource_name="*", arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME
                    )
                }
            },
        )
    )  # fmt: skip


def function_log_groups(scope: Construct, app: Chalice, stage: str, key: kms.IKey) -> dict[str, logs.LogGroup]:
    groups = {}
    for logical, function in app_functions(app).items():
        group = logs.LogGroup(
            scope,
            f"{logical}Logs",
            log_group_name=function_log_group_name(stage, logical),
            encryption_key=key,
            retention=retention(stage),
            removal_policy=log_removal(stage),
        )
        function.add_property_override("LoggingConfig", {"LogGroup": group.log_group_name})
        groups[logical] = group
    return groups


def workflow_logs(scope: Construct, machine: str, stage: str, key: kms.IKey) -> sfn.LogOptions:
    """Under ``/aws/vendedlogs/``, so that Step Functions' log delivery needs no resource policy per group."""
    group = logs.LogGroup(
        scope,
        f"{machine.title().replace('_', '')}Logs",
        log_group_name=f"/aws/vendedlogs/states/consores-{stage}-{machine}",
        encryption_key=key,
        retention=retention(stage),
        removal_policy=log_removal(stage),
    )
    return sfn.LogOptions(destination=group, level=sfn.LogLevel.ERROR, include_execution_data=True)


def alarm_topic(scope: Construct, key: kms.IKey, stage: str, emails: Sequence[str]) -> sns.Topic:
    """The national team's topic: its e-mail addresses subscribe (each confirms by the link AWS sends). Its
    policy (TLS only) replaces SNS's default one: the stage's alarms are allowed to publish explicitly."""
    topic = sns.Topic(scope, "NationalTeamAlarms", display_name="ConsoRes : alertes", master_key=key, enforce_ssl=True)
    # CloudWatch encrypts what it publishes with the topic's key; AWS documents no condition it would meet.
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
        )
    )
    topic.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={
                "ArnLike": {
                    "aws:SourceArn": cdk.Stack.of(scope).format_arn(
                        service="cloudwatch",
                        resource="alarm",
                        resource_name=f"consores-{stage}-*",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                }
            },
        )
    )
    for email in emails:
        topic.add_subscription(subscriptions.EmailSubscription(email))
    return topic


class Alarms:
    """Declares the alarms, each notifying the topic."""

    def __init__(self, scope: Construct, topic: sns.ITopic, stage: str) -> None:
        self._scope = scope
        self._action = cloudwatch_actions.SnsAction(topic)
        self._stage = stage

    def _alarm(self, construct_id: str, metric: cloudwatch.Metric, description: str, *, above_zero: bool = False) -> None:
        alarm = cloudwatch.Alarm(
            self._scope,
            construct_id,
            alarm_name=f"consores-{self._stage}-{construct_id}",
            alarm_description=description,
            metric=metric,
            threshold=0 if above_zero else 1,
            comparison_operator=(
                cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
                if above_zero
                else cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
            ),
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self._action)

    def functions(self, functions: Mapping[str, cdk.CfnResource]) -> None:
        for logical, function in functions.items():
            where = f"voir le journal {function_log_group_name(self._stage, logical)}"
            for metric, what in (("Errors", "a échoué"), ("Throttles", "a été limitée (concurrence épuisée)")):
                self._alarm(
                    f"{logical}{metric}",
                    cloudwatch.Metric(
                        namespace="AWS/Lambda",
                        metric_name=metric,
                        dimensions_map={"FunctionName": function.ref},
                        statistic="Sum",
                        period=PERIOD,
                    ),
                    f"La fonction {logical} {what} : {where}.",
                )

    def queues(self, queues: Mapping[str, sqs.IQueue]) -> None:
        for construct_id, queue in queues.items():
            self._alarm(
                f"{construct_id}NotEmpty",
                queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
                f"Des événements n'ont pas pu être traités ({construct_id}) : lire la file, corriger, rejouer.",
                above_zero=True,
            )

    def stuck_uploads(self, settled: cloudwatch.Metric) -> None:
        self._alarm(
            "StuckUploads",
            settled,
            "Des imports sont restés bloqués et ont été repris par le balayage (SweepUploads) : voir son journal.",
            above_zero=True,
        )

    def workflows(self, machines: Mapping[str, sfn.StateMachine]) -> None:
        for name, machine in machines.items():
            self._alarm(
                f"{name.title().replace('_', '')}Failed",
                machine.metric_failed(period=PERIOD, statistic="Sum"),
                f"Une exécution du workflow {name} a échoué : voir son historique dans Step Functions.",
            )
