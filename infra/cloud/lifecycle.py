"""What each bucket forgets and when (``infra.resources.Bucket``): a short-lived bucket everything after its days,
scratch prefixes after theirs, and objects written again and again their superseded versions only."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3

from infra.resources import Bucket


def lifecycle_rules(definition: Bucket) -> list[s3.LifecycleRule]:
    days = definition.expire_days
    return [
        *([_expiry_rule(days)] if days is not None else []),
        *(_prefix_rule(prefix, after, current_too=True) for prefix, after in definition.expire_prefixes),
        *(_prefix_rule(prefix, after, current_too=False) for prefix, after in definition.old_versions_expire),
    ]


def _expiry_rule(days: int) -> s3.LifecycleRule:
    """Raw files are personal health data: nothing survives ``days``, not even old versions."""
    return s3.LifecycleRule(
        id=f"expire-after-{days}-days",
        enabled=True,
        expiration=cdk.Duration.days(days),
        noncurrent_version_expiration=cdk.Duration.days(days),
        abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
        expired_object_delete_marker=False,
    )


def _prefix_rule(prefix: str, days: int, current_too: bool) -> s3.LifecycleRule:
    """The objects under ``prefix`` (scratch files: Athena's query results) go after ``days``, old versions with
    them; or, not ``current_too``, only their superseded versions go (the current one stays)."""
    name = prefix.strip("/") if current_too else f"old-versions-of-{prefix.strip('/').replace('/', '-')}"
    return s3.LifecycleRule(
        id=f"expire-{name}-after-{days}-days",
        enabled=True,
        prefix=prefix,
        expiration=cdk.Duration.days(days) if current_too else None,
        noncurrent_version_expiration=cdk.Duration.days(days),
    )
