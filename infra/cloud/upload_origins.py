"""Which origin the buckets the browser uploads to accept its POSTs from (CORS): the web client's only.

The origin is the one named (``web_origins``: a domain of the stage in front of the site), else the
site's (``hosting.py``), else, in ``dev`` without a site, any. An origin known before anything is created
is the buckets' own CORS rule. The distribution's ``*.cloudfront.net`` name is not: the distribution
fronts the API, whose functions name the buckets, so a bucket naming the distribution would be a
dependency cycle; its CORS is then written by a custom resource once the distribution exists.

The signed policy of a presigned POST, not CORS, authorises an upload: CORS only decides which page may
send it and read the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra.cloud.hosting import WebHosting

#: How long a browser may reuse the answer of a preflight request (seconds).
PREFLIGHT_CACHE = 3000


def cors_rule(origins: Sequence[str]) -> dict[str, object]:
    """The one rule, in S3's API shape (PutBucketCors)."""
    return {
        "AllowedMethods": ["POST"],
        "AllowedOrigins": list(origins),
        "AllowedHeaders": ["*"],
        "MaxAgeSeconds": PREFLIGHT_CACHE,
    }


def accept_uploads(scope: Construct, buckets: Sequence[s3.Bucket], web_origins: Sequence[str], site: WebHosting | None) -> None:
    if web_origins or site is None or site.own_domain:
        origins = tuple(web_origins) or ((site.origin,) if site else ("*",))
        for bucket in buckets:
            bucket.add_cors_rule(
                allowed_methods=[s3.HttpMethods.POST], allowed_origins=list(origins), allowed_headers=["*"],
                max_age=PREFLIGHT_CACHE,
            )  # fmt: skip
        return
    for bucket in buckets:
        call = cr.AwsSdkCall(
            service="S3",
            action="putBucketCors",
            parameters={"Bucket": bucket.bucket_name, "CORSConfiguration": {"CORSRules": [cors_rule([site.origin])]}},
            physical_resource_id=cr.PhysicalResourceId.of(f"upload-origins-{bucket.node.id}"),
        )
        cr.AwsCustomResource(
            scope,
            f"{bucket.node.id}UploadOrigins",
            on_create=call,
            on_update=call,
            policy=cr.AwsCustomResourcePolicy.from_statements(
                [iam.PolicyStatement(actions=["s3:PutBucketCORS"], resources=[bucket.bucket_arn])]
            ),
            install_latest_aws_sdk=False,
        )
