"""The event paths into the functions: S3 uploads and schedules, each an EventBridge rule.

Chalice's construct imports its functions by ARN, and CDK does not add the invoke
permission of a rule to a function it cannot tell is of this account ("addPermission()
has no effect"): here the functions are imported as of this stack's environment, so
each rule target carries its ``AWS::Lambda::Permission`` (principal
``events.amazonaws.com``, source: that rule).

Chalice packages ``@schedule`` as SAM ``Schedule`` events, which the SAM transform
turns into rules nobody here can give a dead-letter queue: they are deleted from the
functions and declared as rules of this stack instead, from ``SCHEDULES`` (the one
owner of the schedules, which the embedded runtime's ticker also reads).

Every target retries, then sends the event it could not deliver to a dead-letter
queue (SQS, encrypted with the operations key): one for uploads, one for schedules.
Lambda invokes these functions asynchronously: an event the function received and
failed on is retried by Lambda, then recorded in a failure queue (an on-failure
destination), again one for uploads and one for schedules.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.handlers.schedules import SCHEDULES

#: A message nobody has looked at in 14 days (SQS's longest retention) is lost: alarms fire long before.
QUEUE_RETENTION = cdk.Duration.days(14)
#: EventBridge's delivery to a function: S3 events keep their value for hours (the sweeper settles stuck uploads).
UPLOAD_RETRIES, UPLOAD_EVENT_AGE = 4, cdk.Duration.hours(6)
#: A schedule fires again soon: a late run is worth little.
SCHEDULE_RETRIES, SCHEDULE_EVENT_AGE = 2, cdk.Duration.hours(1)
#: Lambda's own retries of an event the function received and failed on (raised, ran out of time or memory).
#: An import that crashed would most likely crash again, for a quarter of an hour each time: once is enough,
#: the sweeper settles the upload (DOMAIN.md §10.2). A scheduled job is idempotent and short.
UPLOAD_INVOKE_RETRIES, SCHEDULE_INVOKE_RETRIES = 1, 2


def logical_name(handler: str) -> str:
    """Chalice's CloudFormation name of a function: ``wf_publish`` -> ``WfPublish``."""
    return "".join(part.capitalize() for part in handler.split("_"))


def operations_key(scope: Construct) -> kms.Key:
    """Encrypts what reports failures (the failure queues, the alarm topic). EventBridge writes to the
    dead-letter queues: it may use the key for that (CloudWatch's use is granted with the topic)."""
    key = kms.Key(
        scope,
        "OperationsKey",
        description="ConsoRes: failure queues and alarm notifications",
        enable_key_rotation=True,
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )
    # In a key policy, "*" is this key. EventBridge names the rule (and its account) it writes for.
    key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("events.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": cdk.Stack.of(scope).account}},
        )
    )
    return key


def failure_queue(scope: Construct, construct_id: str, key: kms.IKey) -> sqs.Queue:
    """A queue where what failed waits to be looked at (and replayed): encrypted, TLS only."""
    return sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=QUEUE_RETENTION,
    )


class AppFunctions:
    """The Chalice app's functions, imported as of this stack (so that permissions on them are declared)."""

    def __init__(self, scope: Construct, app: Chalice) -> None:
        self._scope = scope
        self._app = app
        self._cache: dict[str, lambda_.IFunction] = {}

    def __call__(self, handler: str) -> lambda_.IFunction:
        logical = logical_name(handler)
        if logical not in self._cache:
            self._cache[logical] = lambda_.Function.from_function_attributes(
                self._scope,
                f"{logical}Function",
                function_arn=self._app.get_resource(logical).get_att("Arn").to_string(),
                same_environment=True,
            )
        return self._cache[logical]


def route_uploads(scope: Construct, raw: s3.IBucket, handler: lambda_.IFunction, dead_letters: sqs.IQueue) -> events.Rule:
    """S3 "Object Created" on the raw bucket -> EventBridge -> ``on_upload`` (Chalice's CloudFormation
    packaging does not accept ``on_s3_event``)."""
    rule = events.Rule(
        scope,
        "UploadCreated",
        event_pattern=events.EventPattern(
            source=["aws.s3"],
            detail_type=["Object Created"],
            detail={"bucket": {"name": [raw.bucket_name]}, "object": {"key": [{"prefix": "uploads/"}]}},
        ),
    )
    rule.add_target(
        targets.LambdaFunction(
            handler, dead_letter_queue=dead_letters, retry_attempts=UPLOAD_RETRIES, max_event_age=UPLOAD_EVENT_AGE
        )
    )
    return rule


def schedule_jobs(
    scope: Construct, app: Chalice, functions: Callable[[str], lambda_.IFunction], dead_letters: sqs.IQueue
) -> dict[str, events.Rule]:
    """One rule per scheduled job, instead of the SAM ``Schedule`` event Chalice packaged."""
    rules = {}
    for job, rate in SCHEDULES.items():
        app.get_resource(logical_name(job)).add_property_deletion_override("Events")
        rule = events.Rule(scope, f"{logical_name(job)}Schedule", schedule=events.Schedule.expression(rate.to_string()))
        rule.add_target(
            targets.LambdaFunction(
                functions(job), dead_letter_queue=dead_letters, retry_attempts=SCHEDULE_RETRIES, max_event_age=SCHEDULE_EVENT_AGE
            )
        )
        rules[job] = rule
    return rules


def capture_failures(
    scope: Construct, app: Chalice, handler: str, queue: sqs.IQueue, *, retries: int, max_age: cdk.Duration
) -> lambda_.CfnEventInvokeConfig:
    """What an asynchronously invoked function failed on goes to ``queue`` after ``retries``, and an event
    older than ``max_age`` is not run at all but sent there too. The function's role must be allowed to
    send to the queue (a destination is written with the function's permissions)."""
    logical = logical_name(handler)
    return lambda_.CfnEventInvokeConfig(
        scope,
        f"{logical}AsyncFailures",
        function_name=app.get_resource(logical).ref,
        qualifier="$LATEST",
        maximum_retry_attempts=retries,
        maximum_event_age_in_seconds=int(max_age.to_seconds()),
        destination_config=lambda_.CfnEventInvokeConfig.DestinationConfigProperty(
            on_failure=lambda_.CfnEventInvokeConfig.OnFailureProperty(destination=queue.queue_arn)
        ),
    )
