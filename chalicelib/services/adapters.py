"""The set of ports a running platform is wired with (real, or fakes in tests)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.services.ports import (
    AccessStore,
    AuditLog,
    Clock,
    CodeStore,
    IdentityProvider,
    IdGenerator,
    Mailbox,
    Mailer,
    TenantStore,
    TokenVerifier,
)


@dataclass(frozen=True)
class Adapters:
    tenants: TenantStore
    access: AccessStore
    audit_log: AuditLog
    codes: CodeStore
    mailer: Mailer
    identity: IdentityProvider
    verifier: TokenVerifier
    clock: Clock
    ids: IdGenerator
    mailbox: Mailbox | None = None
