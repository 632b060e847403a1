"""Builds the real adapters from the settings (the only place that wires boto3)."""

from __future__ import annotations

from chalicelib.adapters.aws import AwsClients
from chalicelib.adapters.cognito_identity import CognitoIdentityProvider
from chalicelib.adapters.dynamo_access import DynamoAccessStore
from chalicelib.adapters.dynamo_audit import DynamoAuditLog
from chalicelib.adapters.dynamo_codes import DynamoCodeStore
from chalicelib.adapters.dynamo_tenants import DynamoTenantStore
from chalicelib.adapters.jwt_verifier import JwtVerifier, jwks_keys
from chalicelib.adapters.ses_mailer import SesMailer
from chalicelib.adapters.system import SystemClock, UuidIds
from chalicelib.config import Settings
from chalicelib.services.adapters import Adapters


def real_adapters(settings: Settings) -> Adapters:
    aws = AwsClients(settings)
    mailbox = None
    if settings.embedded:
        from chalicelib.adapters.emulator_mailbox import EmulatorMailbox

        mailbox = EmulatorMailbox(settings.aws_region)
    return Adapters(
        tenants=DynamoTenantStore(aws.table("establishments"), aws.table("laboratories")),
        access=DynamoAccessStore(aws.table("memberships"), aws.table("access_requests"), aws.table("profiles")),
        audit_log=DynamoAuditLog(aws.table("audit")),
        codes=DynamoCodeStore(aws.table("codes")),
        mailer=SesMailer(aws.ses, settings.mail_from),
        identity=CognitoIdentityProvider(aws.cognito, settings.user_pool_id, settings.user_pool_client_id),
        verifier=JwtVerifier(jwks_keys(settings.jwks_url), settings.token_issuer, settings.user_pool_client_id),
        clock=SystemClock(),
        ids=UuidIds(),
        mailbox=mailbox,
    )
