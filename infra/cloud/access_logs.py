"""S3 server access logs of the data buckets, in a bucket of their own.

Who read or wrote which object, kept for an investigation: a year in ``prod``, three months
elsewhere. S3 delivers access logs only to a bucket encrypted with S3-managed keys (not KMS) and
owned by the bucket owner; it does not log itself (a bucket logging to itself would log its own
log writes without end). Each data bucket logs under its own prefix.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.cloud.monitoring import PRODUCTION

RETENTION_DAYS = {PRODUCTION: 365}
DEFAULT_RETENTION_DAYS = 90


def retention_days(stage: str) -> int:
    return RETENTION_DAYS.get(stage, DEFAULT_RETENTION_DAYS)


def access_log_bucket(scope: Construct, stage: str) -> s3.Bucket:
    days = cdk.Duration.days(retention_days(stage))
    return s3.Bucket(
        scope,
        "AccessLogsBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=[
            s3.LifecycleRule(
                id=f"expire-after-{days.to_days()}-days",
                enabled=True,
                expiration=days,
                noncurrent_version_expiration=cdk.Duration.days(1),
                abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
            )
        ],
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


def log_accesses(bucket: s3.Bucket, name: str, logs: s3.Bucket) -> None:
    """``bucket`` logs its accesses under ``<name>/`` of ``logs``. Declared here rather than with the
    bucket's ``server_access_logs_bucket``: without a feature flag, CDK grants the delivery by an ACL,
    which an owner-enforced bucket refuses; the logging service is allowed by the bucket policy instead,
    for this bucket and account only."""
    prefix = f"{name}/"
    cfn = bucket.node.default_child
    assert isinstance(cfn, s3.CfnBucket)
    cfn.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
        destination_bucket_name=logs.bucket_name, log_file_prefix=prefix
    )
    logs.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
            actions=["s3:PutObject"],
            resources=[logs.arn_for_objects(f"{prefix}*")],
            conditions={
                "ArnLike": {"aws:SourceArn": bucket.bucket_arn},
                "StringEquals": {"aws:SourceAccount": cdk.Stack.of(bucket).account},
            },
        )
    )
