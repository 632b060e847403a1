"""Ports of tenants and access: establishments, laboratories, memberships, profiles, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.tenants import Establishment, Laboratory


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

    def list_profiles(self) -> list[tuple[Email, Profile]]:
        """Every profile held by anyone, sorted by e-mail then type."""
        ...


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> None:
        """Append one entry. Entries are never updated or deleted."""
        ...

    def since(self, since: datetime, limit: int = 1000) -> list[AuditEntry]:
        """Entries at or after ``since``, oldest first."""
        ...
