"""The web client hosted: ``web/dist`` in a private bucket, served with the API by one CloudFront
distribution, so that the browser sees a single origin, as with the local server.

- **The client** (default behaviour): the site bucket (no public access, TLS only, versioned, S3-managed
  encryption: it holds the public client, no health data) read by CloudFront through an Origin Access
  Control, the bucket policy naming this distribution only. A CloudFront Function sends a client route
  to ``index.html`` (``functions/spa_routing.js``); no custom error response, which would turn the API's
  403 and 404 into the client's page too.
- **The API** (``/api/*``): the Chalice REST API's stage (a regional endpoint: the distribution is its
  edge), caching disabled, every viewer header but ``Host`` forwarded (the bearer token included: allowed
  because nothing is cached), TLS 1.2 to the origin; the stage's secret and the viewer's address added,
  the API refusing what lacks the secret (``origin_proof.py``).
- **Headers** on every answer: a strict CSP (this origin, and the buckets the browser POSTs its files
  to), HSTS for two years (preloaded in production), ``nosniff``, no framing, no referrer elsewhere.
- **Edge**: the site firewall (``site_firewall.py``, us-east-1), France and its overseas departments
  only, TLS 1.2 minimum with the stage's own domain (the default ``*.cloudfront.net`` certificate cannot
  raise CloudFront's minimum), access logs in the logging bucket (also the site bucket's access logs).
- **Deployment**: the built client is copied by ``BucketDeployment`` (hashed ``assets/`` cached for a
  year, the rest revalidated, then the distribution invalidated); old assets stay, so that a tab opened
  before a deploy still loads its lazy chunks.

The buckets are retained with the stack, as every bucket of the platform: the runbook (README) says how
to remove them deliberately.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from chalice.cdk import Chalice
from constructs import Construct

from infra.cloud.access_logs import log_accesses
from infra.cloud.origin_proof import ApiOriginProof

#: The paths of the API, the same on the site as in the API's stage.
API_PATHS = "/api/*"
#: The hashed files Vite writes (immutable); everything else is revalidated.
ASSETS = "assets/*"
SPA_ROUTING = Path(__file__).parent / "functions" / "spa_routing.js"
#: Metropolitan France and the overseas regions (chalicelib/reference/regions.csv): the hospitals reporting.
COUNTRIES = ("FR", "GP", "MQ", "GF", "RE", "YT")
HSTS_MAX_AGE = cdk.Duration.days(730)
#: CloudFront's access logs, then the site bucket's, in the logging bucket.
DISTRIBUTION_LOGS, SITE_BUCKET_LOGS = "cloudfront/", "site-bucket/"


@dataclass(frozen=True)
class Site:
    """What a stage's site is made of, beyond the stack's own resources.

    :param assets: the built client (``web/dist``, ``make web``); tests give a tiny folder.
    :param firewall_arn: the CLOUDFRONT WebACL (``SiteFirewallStack.web_acl_arn``).
    :param domain: the stage's own domain (``consores.example.fr``), with ``certificate_arn`` an ACM
        certificate of it in us-east-1; without, the distribution's ``*.cloudfront.net`` name.
    """

    assets: str
    firewall_arn: str
    domain: str | None = None
    certificate_arn: str | None = None


def content_security_policy(upload_endpoints: Sequence[str]) -> str:
    """Everything from this origin; the browser also POSTs files to the buckets' presigned endpoints."""
    uploads = " ".join(upload_endpoints)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {uploads}",
            f"form-action 'self' {uploads}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
            "upgrade-insecure-requests",
        )
    )


def upload_endpoints(bucket: s3.IBucket) -> tuple[str, str]:
    """Where a presigned POST of ``bucket`` sends the browser: boto3 names the global virtual-hosted
    endpoint; the regional one is what S3 redirects to, and what a newer botocore may name."""
    return f"https://{bucket.bucket_domain_name}", f"https://{bucket.bucket_regional_domain_name}"


class WebHosting(Construct):
    """The site of a stage: ``origin`` is its https origin (the raw bucket's CORS names it)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        site: Site,
        app: Chalice,
        upload_buckets: Sequence[s3.IBucket],
        access_logs: s3.Bucket,
        production: bool,
        origin_proof: ApiOriginProof,
    ) -> None:
        super().__init__(scope, construct_id)
        self.logs = _log_bucket(self, production)
        self.bucket = s3.Bucket(
            self,
            "SiteBucket",
            versioned=True,
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            # Old versions of the client are not kept forever (the current ones are the deployed build).
            lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=cdk.Duration.days(30))],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # Its accesses logged beside the data buckets' (by bucket policy: CloudFront's log bucket needs ACLs).
        log_accesses(self.bucket, SITE_BUCKET_LOGS.rstrip("/"), access_logs)
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", site.certificate_arn)
            if site.domain and site.certificate_arn
            else None
        )
        uploads = [endpoint for bucket in upload_buckets for endpoint in upload_endpoints(bucket)]
        headers = _security_headers(self, uploads, production)
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"ConsoRes {cdk.Stack.of(self).stack_name}",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=cloudfront.Function(
                            self,
                            "SpaRouting",
                            code=cloudfront.FunctionCode.from_file(file_path=str(SPA_ROUTING)),
                            runtime=cloudfront.FunctionRuntime.JS_2_0,
                            comment="Client routes get index.html",
                        ),
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            ),
            additional_behaviors={API_PATHS: _api_behaviour(self, app, headers, origin_proof)},
            web_acl_id=site.firewall_arn,
            geo_restriction=cloudfront.GeoRestriction.allowlist(*COUNTRIES),
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            domain_names=[site.domain] if certificate and site.domain else None,
            certificate=certificate,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if certificate else None,
            enable_logging=True,
            log_bucket=self.logs,
            log_file_prefix=DISTRIBUTION_LOGS,
        )
        #: The site's origin; ``own_domain`` when it is the stage's domain (known before anything is created).
        self.own_domain = certificate is not None
        self.origin = f"https://{site.domain if certificate else self.distribution.distribution_domain_name}"
        _deploy(self, site.assets, self.bucket, self.distribution)
        cdk.CfnOutput(scope, "SiteUrl", value=self.origin)
        cdk.CfnOutput(scope, "SiteBucketName", value=self.bucket.bucket_name)
        cdk.CfnOutput(scope, "DistributionId", value=self.distribution.distribution_id)


def _log_bucket(scope: Construct, production: bool) -> s3.Bucket:
    """CloudFront's and the site bucket's access logs: private, TLS only, S3-managed encryption; CloudFront
    writes them with an ACL, hence ACLs enabled (object writer). Kept as long as the functions' logs."""
    return s3.Bucket(
        scope,
        "LogBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
        lifecycle_rules=[
            s3.LifecycleRule(
                expiration=cdk.Duration.days(365 if production else 90),
                noncurrent_version_expiration=cdk.Duration.days(1),
            )
        ],
        removal_policy=cdk.RemovalPolicy.RETAIN,
    )


def _security_headers(scope: Construct, uploads: Sequence[str], production: bool) -> cloudfront.ResponseHeadersPolicy:
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "SecurityHeaders",
        comment="ConsoRes: CSP, HSTS, nosniff, no framing",
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=content_security_policy(uploads), override=True
            ),
            strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, preload=production, override=True
            ),
            content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
            frame_options=cloudfront.ResponseHeadersFrameOptions(frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
            referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                referrer_policy=cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override=True
            ),
        ),
    )


def _api_behaviour(
    scope: Construct, app: Chalice, headers: cloudfront.IResponseHeadersPolicy, origin_proof: ApiOriginProof
) -> cloudfront.BehaviorOptions:
    """``/api/…`` of the site is ``/<stage>/api/…`` of the REST API (Chalice's routes start with /api), with
    the stage's proof of origin and the viewer's address (``origin_proof.py``)."""
    api = app.get_resource("RestAPI")
    return cloudfront.BehaviorOptions(
        origin=origins.HttpOrigin(
            f"{api.ref}.execute-api.{cdk.Aws.REGION}.{cdk.Aws.URL_SUFFIX}",
            origin_path=f"/{app.stage_name}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            custom_headers=origin_proof.origin_headers(),
        ),
        function_associations=[origin_proof.viewer_address(scope)],
        viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
        cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
        origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        response_headers_policy=headers,
    )


def _deploy(scope: Construct, assets: str, bucket: s3.IBucket, distribution: cloudfront.IDistribution) -> None:
    """The hashed assets first (cached a year), then ``index.html`` and the rest (revalidated), then the
    distribution invalidated. Nothing is pruned: the previous build's chunks stay for open tabs."""
    source = s3deploy.Source.asset(assets)
    hashed = s3deploy.BucketDeployment(
        scope,
        "DeployAssets",
        sources=[source],
        destination_bucket=bucket,
        exclude=["*"],
        include=[ASSETS],
        prune=False,
        cache_control=[s3deploy.CacheControl.from_string("public, max-age=31536000, immutable")],
    )
    pages = s3deploy.BucketDeployment(
        scope,
        "DeployPages",
        sources=[source],
        destination_bucket=bucket,
        exclude=[ASSETS],
        prune=False,
        cache_control=[s3deploy.CacheControl.no_cache()],
        distribution=distribution,
        distribution_paths=["/*"],
    )
    pages.node.add_dependency(hashed)
