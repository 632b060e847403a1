"""cdk-nag: the rule packs the stack is read with, and every finding it acknowledges, each with its reason.

The one place where a finding may be acknowledged (cdk-nag v3 reads CDK's ``Validations.of(...).acknowledge``
metadata). The stack applies ``Acknowledge`` as an Aspect, so that any synthesis carries the same
acknowledgements; ``tests/cloud/test_nag.py`` runs ``PACKS`` and fails on anything left.

Two kinds:

- ``ACKNOWLEDGED``: a rule on the resources a predicate picks, with the reason it does not apply or is
  accepted;
- ``SCOPED_WILDCARDS``: AwsSolutions-IAM5 reports every ``*`` in a policy's resources, one finding per
  resource string. Each wildcard resource of ours is scoped to one table, prefix, log group or identity; a
  resource string matching no pattern here stays reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NagPack
from constructs import IConstruct

from chalicelib.handlers.schedules import SCHEDULES
from infra.cloud.concurrency import RESERVED
from infra.cloud.families import FAMILIES
from infra.cloud.roles import function_logical_id
from infra.resources import STATE_MACHINES

PACKS: tuple[Callable[..., NagPack], ...] = (AwsSolutionsChecks, HIPAASecurityChecks)


def _of_type(*types: str) -> Callable[[cdk.CfnResource], bool]:
    return lambda node: node.cfn_resource_type in types


def _at(*ids: str) -> Callable[[cdk.CfnResource], bool]:
    """Resources whose construct path has one of ``ids`` as a segment."""
    return lambda node: any(part in ids for part in node.node.path.split("/"))


@dataclass(frozen=True)
class Acknowledged:
    rule: str
    reason: str
    applies: Callable[[cdk.CfnResource], bool]


def _workflow_policy(node: cdk.CfnResource) -> bool:
    """A state machine's role policy (construct ids as ``stack._workflow`` names them)."""
    parts = node.node.path.split("/")
    return node.cfn_resource_type == "AWS::IAM::Policy" and parts[1] in {m.capitalize() for m in STATE_MACHINES}


#: CDK's deploy-time functions (construct ids): the web client's BucketDeployment, AwsCustomResource's.
_CDK_DEPLOY_FUNCTIONS = ("Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C", "AWS679f53fac002430cb0da5b7982bd2287")


def _own_certificate(node: cdk.CfnResource) -> bool:
    """A distribution served with a certificate of the stage's own domain (``-c site_certificate_arn``)."""
    distribution = node.node.scope  # the L2 Distribution, whose scope is infra/cloud/hosting.WebHosting
    hosting = distribution.node.scope if distribution is not None else None
    return bool(getattr(hosting, "own_domain", False))


#: The Chalice functions, by handler; those invoked asynchronously (the upload rule and the API's requests to
#: import a file again, the schedules).
_CHALICE_FUNCTIONS = frozenset(handler for family in FAMILIES for handler in family.functions)
_ASYNCHRONOUS = frozenset({"on_upload", *SCHEDULES})


def _chalice_function(handlers: frozenset[str]) -> Callable[[cdk.CfnResource], bool]:
    """The functions of ``handlers`` as SAM's transform makes them (``infra/cloud/nag_functions.py``)."""
    ids = {function_logical_id(handler) for handler in handlers}
    return lambda node: node.cfn_resource_type == "AWS::Lambda::Function" and node.node.id in ids


_API = _of_type("AWS::ApiGateway::RestApi", "AWS::ApiGateway::Stage")

#: What the packs find on the Chalice functions and API once SAM's transform has made them.
FUNCTIONS_ACKNOWLEDGED: tuple[Acknowledged, ...] = (
    Acknowledged(
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        "AWS's service policy for API Gateway's account-wide logging role (infra/cloud/api_logs.py): the role is "
        "assumable by API Gateway only, and writes the stages' logs to CloudWatch Logs, nothing else.",
        _at("ApiGatewayLogsRole"),
    ),
    Acknowledged(
        "AwsSolutions-L1",
        "Chalice packages the functions for the interpreter that runs it, the project's Python 3.11 (Makefile), "
        "with wheels built for it (DuckDB, NumPy, Pillow): the runtime moves with the project's Python, not alone.",
        _chalice_function(_CHALICE_FUNCTIONS),
    ),
    Acknowledged(
        "HIPAA.Security-LambdaInsideVPC",
        "The functions hold no network resource to protect and reach only AWS APIs (S3, DynamoDB, KMS, Step "
        "Functions, Athena, Cognito, SES) over TLS, each call authorised by the family's IAM role and the keys' "
        "and buckets' policies; a VPC would add interface endpoints per service and zone without narrowing that.",
        _chalice_function(_CHALICE_FUNCTIONS),
    ),
    Acknowledged(
        "HIPAA.Security-LambdaDLQ",
        "Invoked asynchronously (the upload rule and the requests to import a file again, the schedules), these "
        "functions send what failed after Lambda's "
        "retries to an on-failure destination (event_routes.capture_failures), which carries the error too; "
        "Lambda uses a DLQ only when no such destination is set.",
        _chalice_function(_ASYNCHRONOUS),
    ),
    Acknowledged(
        "HIPAA.Security-LambdaDLQ",
        "Invoked synchronously (API Gateway, the workflows' tasks): a failure is answered to the caller, the "
        "API's client or the workflow's Retry and Catch; a dead-letter queue only receives asynchronous events.",
        _chalice_function(_CHALICE_FUNCTIONS - _ASYNCHRONOUS),
    ),
    Acknowledged(
        "HIPAA.Security-LambdaConcurrency",
        "Reserved concurrency also caps: the workflows' tasks are invoked synchronously by Step Functions, whose "
        "retries are seconds apart, so a cap would turn an import burst into failed workflows; the API's share "
        "and the imports' cap are reserved (infra/cloud/concurrency.py), the rest share the unreserved pool.",
        _chalice_function(_CHALICE_FUNCTIONS - set(RESERVED)),
    ),
    Acknowledged(
        "AwsSolutions-APIG2",
        "The app parses every body with its pydantic model (unknown fields refused) and each query parameter it "
        "reads where it reads it, answering mistakes in French (chalicelib/handlers); API Gateway's validator "
        "would answer them in English.",
        _API,
    ),
    Acknowledged(
        "HIPAA.Security-APIGWCacheEnabledAndEncrypted",
        "Nothing of the API is cached, on purpose: every answer is one user's, authorised by their token; a "
        "stage cache could serve it to another (the distribution does not cache /api/* either).",
        _API,
    ),
    Acknowledged(
        "HIPAA.Security-APIGWSSLEnabled",
        "A client certificate authenticates API Gateway to an HTTP backend; every integration here is a Lambda "
        "function, invoked by API Gateway through IAM, and the viewer reaches the stage through CloudFront.",
        _API,
    ),
)

ACKNOWLEDGED: tuple[Acknowledged, ...] = (
    Acknowledged(
        "AwsSolutions-IAM5[Resource::*]",
        "CDK's grants to each workflow's role for tracing (xray:PutTraceSegments...) and for delivering its logs "
        "(logs:CreateLogDelivery...): AWS documents these actions with no resource-level permissions.",
        _workflow_policy,
    ),
    Acknowledged(
        "AwsSolutions-COG1",
        "The password policy is length first (10 characters, upper, lower, digit), as the sign-up form says "
        "(infra/resources.PASSWORD_MIN_LENGTH); symbols add little over length and the form shares the rule.",
        _of_type("AWS::Cognito::UserPool"),
    ),
    Acknowledged(
        "AwsSolutions-COG2",
        "Cognito cannot require MFA per group: the pool allows TOTP (OPTIONAL) and the app requires it of the "
        "profiles CONSORES_MFA_REQUIRED_PROFILES names (national and admin in prod), refusing their other tokens.",
        _of_type("AWS::Cognito::UserPool"),
    ),
    Acknowledged(
        "AwsSolutions-COG8",
        "Cognito threat protection (Plus plan) judges sign-ins by the caller's IP and device: the web client's "
        "sign-ins are made server-side by the API function from Lambda's addresses, so it would see one client "
        "for all (the app throttles per account and per viewer address instead).",
        _of_type("AWS::Cognito::UserPool"),
    ),
    Acknowledged(
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's own deploy-time function that turns on the raw bucket's EventBridge notifications: it only "
        "writes its logs, and CDK owns its role.",
        _at("BucketNotificationsHandler050a0587b7544547bf325f094a3db834"),
    ),
    Acknowledged(
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]",
        "AWS Backup's documented service policy, maintained by AWS with the service; the role is assumable by "
        "AWS Backup only and used by the tables' selection only (infra/cloud/backup.py).",
        _at("TableBackups"),
    ),
    Acknowledged(
        "AwsSolutions-SF1",
        "The workflows log their failed steps (ERROR, with the execution data: ids and S3 pointers); every "
        "step of every execution is in Step Functions' execution history, logging ALL would double it.",
        _of_type("AWS::StepFunctions::StateMachine"),
    ),
    Acknowledged(
        "AwsSolutions-SQS3",
        "These queues are themselves the dead-letter and failure queues of the event routes "
        "(infra/cloud/event_routes.py), watched by alarms.",
        _of_type("AWS::SQS::Queue"),
    ),
    Acknowledged(
        "HIPAA.Security-IAMNoInlinePolicy",
        "Each of these policies is CDK's policy of one role, attached to that role alone and built from the "
        "families' table (infra/cloud/families.py): a managed policy would add reuse nobody needs.",
        _of_type("AWS::IAM::Policy"),
    ),
    Acknowledged(
        "HIPAA.Security-S3BucketReplicationEnabled",
        "Health data stay in the Paris region (HDS hosting in France): no cross-region replica. Durability comes "
        "from S3 (several zones), versioning, and the tables' backups.",
        _of_type("AWS::S3::Bucket"),
    ),
    Acknowledged(
        "HIPAA.Security-S3DefaultEncryptionKMS",
        "S3 delivers server access logs only to a bucket encrypted with S3-managed keys (SSE-S3), not KMS.",
        _at("AccessLogsBucket"),
    ),
    Acknowledged(
        "AwsSolutions-CFR4",
        "Without a domain of its own the distribution serves CloudFront's default certificate, with which "
        "CloudFront cannot set a TLS minimum; a stage given -c site_domain and its certificate enforces TLSv1.2_2021.",
        lambda node: node.cfn_resource_type == "AWS::CloudFront::Distribution" and not _own_certificate(node),
    ),
    *(
        Acknowledged(
            rule,
            "CDK's own deploy-time functions (the web client's BucketDeployment, the custom resource that writes "
            "the upload buckets' CORS): they run only while CloudFormation deploys, touch no health data, and CDK "
            "owns their code, runtime and roles.",
            _at(*_CDK_DEPLOY_FUNCTIONS),
        )
        for rule in (
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
            "AwsSolutions-IAM5[Action::s3:Abort*]",
            "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
            "AwsSolutions-IAM5[Action::s3:GetBucket*]",
            "AwsSolutions-IAM5[Action::s3:GetObject*]",
            "AwsSolutions-IAM5[Action::s3:List*]",
            "AwsSolutions-IAM5[Resource::*]",
            "AwsSolutions-IAM5[Resource::<SiteSiteBucket7CA177D5.Arn>/*]",
            "AwsSolutions-L1",
            "HIPAA.Security-LambdaConcurrency",
            "HIPAA.Security-LambdaDLQ",
            "HIPAA.Security-LambdaInsideVPC",
        )
    ),
    Acknowledged(
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-eu-west-3/*]",
        "CDK's BucketDeployment reads the web client's zipped build from CDK's bootstrap assets bucket.",
        _at(*_CDK_DEPLOY_FUNCTIONS),
    ),
    Acknowledged(
        "HIPAA.Security-S3DefaultEncryptionKMS",
        "The site bucket holds the web client's public build (no data); CloudFront's log bucket receives "
        "standard logs written by the log delivery account with an ACL: both keep S3-managed keys.",
        _at("SiteBucket", "LogBucket"),
    ),
    *(
        Acknowledged(
            rule,
            "CloudFront's log bucket is itself a log destination: logging its accesses would log the logging.",
            _at("LogBucket"),
        )
        for rule in ("AwsSolutions-S1", "HIPAA.Security-S3BucketLoggingEnabled")
    ),
    *(
        Acknowledged(
            rule,
            "The origin secret only proves a request came through the stage's CloudFront (infra/cloud/origin_proof.py): "
            "its value sits in the distribution's, the firewall's and the function's configuration anyway, so a "
            "customer key adds nothing; it is rotated by a new value and a deploy (README).",
            _at("ApiOriginProof"),
        )
        for rule in (
            "AwsSolutions-SMG4",
            "HIPAA.Security-SecretsManagerRotationEnabled",
            "HIPAA.Security-SecretsManagerUsingKMSKey",
        )
    ),
)

#: A wildcard resource of ours (as cdk-nag flattens it) -> why it is scoped.
SCOPED_WILDCARDS: tuple[tuple[str, str], ...] = (
    (r"<\w+Table\w+\.Arn>/index/\*", "A table's own indexes, for the family that reads the table."),
    (r"<\w+Bucket\w+\.Arn>/[\w-]+/\*", "The objects under one prefix of one bucket (infra/cloud/families.py)."),
    (
        r"arn:<AWS::Partition>:logs:(?:<AWS::Region>|[a-z]{2}-[a-z]+-\d):<AWS::AccountId>:log-group:/consores/\w+/lambda/\w+:\*",
        "The log streams of the function's own log group.",
    ),
    (r"<\w+\.Arn>:\*", "A workflow invoking its task function's versions and aliases (CDK's grant_invoke)."),
    (
        r"arn:<AWS::Partition>:glue:(?:<AWS::Region>|[a-z]{2}-[a-z]+-\d):<AWS::AccountId>:table/consores_\w+/\*",
        "The tables of the stage's Glue database, read by Athena queries.",
    ),
    (
        r"arn:<AWS::Partition>:ses:(?:<AWS::Region>|[a-z]{2}-[a-z]+-\d):<AWS::AccountId>:identity/\*",
        "SES checks the sending identity: the statement allows the platform's one address (ses:FromAddress).",
    ),
)


def flatten(reference: Any) -> str:
    """A resource as cdk-nag names it in an IAM5 finding (its ``flattenCfnReference``)."""
    if isinstance(reference, str):
        return reference.replace("${", "<").replace("}", ">")
    if isinstance(reference, dict):
        if "Fn::Join" in reference:
            delimiter, items = reference["Fn::Join"]
            return str(delimiter).join(flatten(item) for item in items)
        if "Fn::Sub" in reference:
            return flatten(reference["Fn::Sub"])
        if "Fn::GetAtt" in reference:
            resource, attribute = reference["Fn::GetAtt"]
            return f"<{flatten(resource)}.{flatten(attribute)}>"
        if "Ref" in reference:
            return f"<{flatten(reference['Ref'])}>"
    raise ValueError(f"a policy resource cdk-nag would not flatten alike: {reference!r}")


def _documents(node: cdk.CfnResource) -> list[Any]:
    stack = cdk.Stack.of(node)
    if isinstance(node, (iam.CfnPolicy, iam.CfnManagedPolicy)):
        return [stack.resolve(node.policy_document)]
    if isinstance(node, iam.CfnRole):
        return [stack.resolve(stack.resolve(policy)["policyDocument"]) for policy in stack.resolve(node.policies) or []]
    return []


def wildcard_resources(node: cdk.CfnResource) -> set[str]:
    found = set()
    for document in _documents(node):
        for statement in document.get("Statement", []):
            if statement.get("Effect") != "Allow":
                continue
            resources = statement.get("Resource", [])
            for resource in resources if isinstance(resources, list) else [resources]:
                flat = flatten(resource)
                if "*" in flat:
                    found.add(flat)
    return found


def scoped_reason(resource: str) -> str | None:
    return next((reason for pattern, reason in SCOPED_WILDCARDS if re.fullmatch(pattern, resource)), None)


@jsii.implements(cdk.IAspect)
class Acknowledge:
    """Acknowledges, on each resource, the findings ``ACKNOWLEDGED`` and ``SCOPED_WILDCARDS`` explain."""

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, cdk.CfnResource):
            return
        for acknowledged in (*ACKNOWLEDGED, *FUNCTIONS_ACKNOWLEDGED):
            if acknowledged.applies(node):
                cdk.Validations.of(node).acknowledge(cdk.Acknowledgment(id=acknowledged.rule, reason=acknowledged.reason))
        for resource in wildcard_resources(node):
            reason = scoped_reason(resource)
            if reason is not None:
                cdk.Validations.of(node).acknowledge(
                    cdk.Acknowledgment(id=f"AwsSolutions-IAM5[Resource::{resource}]", reason=reason)
                )
