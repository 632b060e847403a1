"""Typed settings, read once from the environment.

Physical resource names come from the environment (set by the CDK stack in the
cloud, by ``infra/local`` in the embedded runtime): the code never guesses them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field

TABLE_NAMES = (
    "establishments",
    "laboratories",
    "memberships",
    "access_requests",
    "profiles",
    "audit",
    "codes",
    "uploads",
    "datasets",
    "periods",
    "settings",
    "units",
    "beds",
    "catalogue",
    "mappings",
    "keys",
    "ears_net",
    "methods",
    "campaigns",
    "tickets",
    "alerts",
)
BUCKET_NAMES = ("raw", "lake", "exports")
EMBEDDED = "embedded"


@dataclass(frozen=True)
class Settings:
    stage: str
    #: "embedded" (one machine, emulator) or "cloud" (an AWS account).
    runtime: str
    aws_region: str
    #: Endpoint of the AWS emulator in the embedded runtime; None in the cloud.
    aws_endpoint_url: str | None
    tables: Mapping[str, str]
    buckets: Mapping[str, str]
    user_pool_id: str
    user_pool_client_id: str
    #: Where the pool's public keys are read; defaults to Cognito's well-known URL.
    jwks_url: str
    mail_from: str
    support_contact: str
    version: str = "0.1.0"
    #: The commercial drug catalogue (REST); none in the embedded runtime.
    catalogue_url: str | None = None
    catalogue_api_key: str | None = None
    #: Who hears about failed catalogue syncs and exports.
    national_team_emails: tuple[str, ...] = ()
    #: Where the browser reaches the raw bucket, when not where the app does
    #: (the embedded runtime serves the emulator's S3 under its own origin).
    public_s3_endpoint: str | None = None
    #: Where people open the web client (links in e-mails); empty: the links are paths only.
    web_url: str = ""
    #: The KMS key that encrypts each establishment's pseudonymisation secret.
    kms_key_id: str = ""
    deduplication_state_machine_arn: str = ""
    closure_state_machine_arn: str = ""
    ears_net_state_machine_arn: str = ""
    annotated_report_state_machine_arn: str = ""
    report_generation_state_machine_arn: str = ""
    #: The function that imports uploads (on_upload): asked to process a reopened upload again.
    import_function: str = ""
    #: Local copies of lake objects for the DuckDB query engine.
    query_cache_dir: str = os.path.join(tempfile.gettempdir(), "consores-query-cache")
    #: Athena (cloud runtime): the Glue database of the lake's tables, the workgroup (its
    #: enforced configuration holds the per-query scan limit) and where results go.
    athena_database: str = ""
    athena_workgroup: str = ""
    athena_output: str | None = None
    #: Embedded runtime with its demo data: the local mailbox is readable without an account.
    open_mailbox: bool = False
    #: Keys the AWS clients sign with (the embedded runtime's, new at every start); None in the
    #: cloud, where the Lambda role's credentials come from boto3's default chain.
    aws_credentials: tuple[str, str] | None = None
    #: The profiles that must use a second factor (comma-separated); None: unset, see
    #: ``domain.second_factor.required_profiles`` (the cloud stack sets it for each stage).
    mfa_required_profiles: str | None = None
    #: The secret the stage's CloudFront distribution sends the API (``domain.client_address``); empty: no
    #: distribution in front (the embedded runtime, a stage without a site).
    origin_secret: str = field(default="", repr=False)
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.runtime == EMBEDDED

    @property
    def token_issuer(self) -> str:
        return f"https://cognito-idp.{self.aws_region}.amazonaws.com/{self.user_pool_id}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-3"
        pool = env.get("CONSORES_USER_POOL_ID", "")
        return cls(
            stage=env.get("CONSORES_STAGE", "local"),
            runtime=runtime(env),
            aws_region=region,
            aws_endpoint_url=env.get("CONSORES_AWS_ENDPOINT_URL") or None,
            tables={name: env.get(f"CONSORES_TABLE_{name.upper()}", f"consores-{name}") for name in TABLE_NAMES},
            buckets={name: env.get(f"CONSORES_BUCKET_{name.upper()}", f"consores-{name}") for name in BUCKET_NAMES},
            user_pool_id=pool,
            user_pool_client_id=env.get("CONSORES_USER_POOL_CLIENT_ID", ""),
            jwks_url=env.get("CONSORES_JWKS_URL") or f"https://cognito-idp.{region}.amazonaws.com/{pool}/.well-known/jwks.json",
            mail_from=env.get("CONSORES_MAIL_FROM", "ne-pas-repondre@consores.fr"),
            support_contact=env.get("CONSORES_SUPPORT_CONTACT", "support@consores.fr"),
            version=env.get("CONSORES_VERSION", "0.1.0"),
            catalogue_url=env.get("CONSORES_CATALOGUE_URL") or None,
            catalogue_api_key=env.get("CONSORES_CATALOGUE_API_KEY") or None,
            national_team_emails=tuple(e.strip() for e in env.get("CONSORES_NATIONAL_TEAM_EMAIL", "").split(",") if e.strip()),
            public_s3_endpoint=env.get("CONSORES_PUBLIC_S3_ENDPOINT") or None,
            web_url=env.get("CONSORES_WEB_URL", "").rstrip("/"),
            kms_key_id=env.get("CONSORES_KMS_KEY_ID", ""),
            deduplication_state_machine_arn=env.get("CONSORES_DEDUP_STATE_MACHINE_ARN", ""),
            closure_state_machine_arn=env.get("CONSORES_CLOSURE_STATE_MACHINE_ARN", ""),
            ears_net_state_machine_arn=env.get("CONSORES_EARS_NET_STATE_MACHINE_ARN", ""),
            annotated_report_state_machine_arn=env.get("CONSORES_ANNOTATED_REPORT_STATE_MACHINE_ARN", ""),
            report_generation_state_machine_arn=env.get("CONSORES_REPORT_GENERATION_STATE_MACHINE_ARN", ""),
            import_function=env.get("CONSORES_IMPORT_FUNCTION", ""),
            query_cache_dir=env.get("CONSORES_QUERY_CACHE_DIR") or os.path.join(tempfile.gettempdir(), "consores-query-cache"),
            athena_database=env.get("CONSORES_ATHENA_DATABASE", ""),
            athena_workgroup=env.get("CONSORES_ATHENA_WORKGROUP", ""),
            athena_output=env.get("CONSORES_ATHENA_OUTPUT") or None,
            open_mailbox=env.get("CONSORES_OPEN_MAILBOX", "0") == "1",
            mfa_required_profiles=env.get("CONSORES_MFA_REQUIRED_PROFILES"),
            origin_secret=env.get("CONSORES_ORIGIN_SECRET", ""),
        )


def runtime(environ: Mapping[str, str] | None = None) -> str:
    """"embedded" or "cloud": the one place the environment says which runtime this is."""
    env = os.environ if environ is None else environ
    return env.get("CONSORES_RUNTIME", "cloud")


def runtime_is_embedded(environ: Mapping[str, str] | None = None) -> bool:
    return runtime(environ) == EMBEDDED

