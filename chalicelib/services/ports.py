"""Ports: what the use cases need from the outside world.

Each port has a real adapter (``chalicelib/adapters``) and an in-memory fake
(``tests/fakes``); one contract suite (``tests/contract``) runs against both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.letters import Letter
from chalicelib.domain.tenants import Establishment, Laboratory


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """A new unique, URL-safe identifier."""
        ...


class TenantStore(Protocol):
    """Establishments, laboratories and the links between them."""

    def create_establishment(self, establishment: Establishment) -> None:
        """Store a new establishment. Raises Conflict if the FINESS exists."""
        ...

    def replace_establishment(self, establishment: Establishment) -> None:
        """Overwrite an existing establishment. Raises NotFound if absent."""
        ...

    def get_establishment(self, finess: Finess) -> Establishment | None: ...

    def list_establishments(self, region: RegionCode | None = None) -> list[Establishment]:
        """All establishments, or those of one region, sorted by FINESS."""
        ...

    def create_laboratory(self, laboratory: Laboratory) -> None: ...

    def get_laboratory(self, lab_id: str) -> Laboratory | None: ...

    def list_laboratories(self) -> list[Laboratory]:
        """All laboratories sorted by name."""
        ...


class AccessStore(Protocol):
    """Memberships, access requests and profiles."""

    def get_membership(self, finess: Finess, email: Email) -> Membership | None: ...

    def list_members(self, finess: Finess) -> list[Membership]:
        """Members of one establishment, sorted by e-mail."""
        ...

    def memberships_of(self, email: Email) -> list[Membership]: ...

    def add_first_referent(self, membership: Membership) -> None:
        """Make ``membership`` the establishment's first référent, atomically.

        Raises Conflict if the establishment already has a référent (two first
        requests racing: exactly one wins).
        """
        ...

    def put_membership(self, membership: Membership) -> None:
        """Create or update a non-référent membership."""
        ...

    def hand_over_referent(self, finess: Finess, old: Email, new: Email, at: str) -> None:
        """Atomically make ``new`` référent and ``old`` contributeur.

        Raises Conflict if ``old`` is no longer the référent.
        """
        ...

    def referent_of(self, finess: Finess) -> Email | None: ...

    def put_request(self, request: AccessRequest) -> None: ...

    def get_request(self, finess: Finess, request_id: str) -> AccessRequest | None: ...

    def list_requests(self, finess: Finess, state: RequestState | None = None) -> list[AccessRequest]:
        """Requests of one establishment, oldest first."""
        ...

    def requests_of(self, email: Email) -> list[AccessRequest]: ...

    def accept_request(self, request: AccessRequest, membership: Membership) -> None:
        """Record an accepted request and its membership in one transaction.

        Raises Conflict if the request is no longer pending.
        """
        ...

    def put_profile(self, email: Email, profile: Profile) -> None: ...

    def delete_profile(self, email: Email, kind: ProfileType) -> bool:
        """Remove a profile; returns whether it existed."""
        ...

    def profiles_of(self, email: Email) -> list[Profile]: ...


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> None:
        """Append one entry. Entries are never updated or deleted."""
        ...

    def since(self, since: datetime, limit: int = 1000) -> list[AuditEntry]:
        """Entries at or after ``since``, oldest first."""
        ...


class Mailer(Protocol):
    def send(self, letter: Letter) -> None:
        """Send one e-mail (SES). Raises on delivery failure."""
        ...


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class UserInfo:
    email: Email
    first_name: str
    last_name: str
    confirmed: bool


class IdentityProvider(Protocol):
    """The user pool (Cognito). Codes are the platform's, not the pool's."""

    def sign_up(self, email: Email, password: str, first_name: str, last_name: str) -> None:
        """Create an unconfirmed user. Raises Conflict (exists) or InvalidInput (weak password)."""
        ...

    def confirm(self, email: Email) -> None:
        """Mark the user's account and e-mail as confirmed."""
        ...

    def login(self, email: Email, password: str) -> Tokens:
        """Raises Unauthenticated on bad credentials or unconfirmed account."""
        ...

    def refresh(self, refresh_token: str) -> Tokens: ...

    def set_password(self, email: Email, password: str) -> None: ...

    def get_user(self, email: Email) -> UserInfo | None: ...


@dataclass(frozen=True)
class VerifiedToken:
    email: Email
    subject: str


class TokenVerifier(Protocol):
    def verify(self, token: str) -> VerifiedToken:
        """Check signature (against the pool's keys), expiry, issuer and audience.

        Raises Unauthenticated for anything that cannot be trusted.
        """
        ...


@dataclass(frozen=True)
class StoredCode:
    email: Email
    purpose: str
    code_hash: str
    expires_at: datetime
    attempts: int


class CodeStore(Protocol):
    """One-time verification codes (account confirmation, password reset)."""

    def put(self, code: StoredCode) -> None:
        """Store or replace the code for (email, purpose)."""
        ...

    def get(self, email: Email, purpose: str) -> StoredCode | None: ...

    def count_attempt(self, email: Email, purpose: str) -> None: ...

    def delete(self, email: Email, purpose: str) -> None: ...

    def purge_expired(self, now: datetime) -> int:
        """Delete expired codes; returns how many (DynamoDB TTL is lazy, the emulator's never runs)."""
        ...


class Mailbox(Protocol):
    """Read what was sent (embedded runtime only)."""

    def messages(self) -> Sequence[dict[str, str]]: ...
