"""In-memory fakes of the storage ports; the contract suite runs them beside the real adapters."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

from chalicelib.domain.access import AccessRequest, Membership, Profile, ProfileType, RequestState, Status
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.tenants import Establishment, Laboratory
from chalicelib.services.ports import StoredCode


class FakeTenantStore:
    def __init__(self) -> None:
        self.establishments: dict[Finess, Establishment] = {}
        self.laboratories: dict[str, Laboratory] = {}

    def create_establishment(self, establishment: Establishment) -> None:
        if establishment.finess in self.establishments:
            raise Conflict(f"L'établissement {establishment.finess} existe déjà.")
        self.establishments[establishment.finess] = establishment

    def replace_establishment(self, establishment: Establishment) -> None:
        if establishment.finess not in self.establishments:
            raise NotFound("Établissement introuvable.")
        self.establishments[establishment.finess] = establishment

    def get_establishment(self, finess: Finess) -> Establishment | None:
        return self.establishments.get(finess)

    def list_establishments(self, region: RegionCode | None = None) -> list[Establishment]:
        found = [e for e in self.establishments.values() if region is None or e.region == region]
        return sorted(found, key=lambda e: e.finess.value)

    def create_laboratory(self, laboratory: Laboratory) -> None:
        self.laboratories[laboratory.lab_id] = laboratory

    def get_laboratory(self, lab_id: str) -> Laboratory | None:
        return self.laboratories.get(lab_id)

    def list_laboratories(self) -> list[Laboratory]:
        return sorted(self.laboratories.values(), key=lambda lab: (lab.name, lab.lab_id))


class FakeAccessStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.members: dict[tuple[Finess, Email], Membership] = {}
        self.referents: dict[Finess, Email] = {}
        self.requests: dict[tuple[Finess, str], AccessRequest] = {}
        self.profiles: dict[tuple[Email, ProfileType], Profile] = {}

    def get_membership(self, finess: Finess, email: Email) -> Membership | None:
        return self.members.get((finess, email))

    def list_members(self, finess: Finess) -> list[Membership]:
        return sorted((m for (f, _), m in self.members.items() if f == finess), key=lambda m: m.email.value)

    def memberships_of(self, email: Email) -> list[Membership]:
        return sorted((m for (_, e), m in self.members.items() if e == email), key=lambda m: m.finess.value)

    def add_first_referent(self, membership: Membership) -> None:
        with self._lock:
            if membership.finess in self.referents:
                raise Conflict("Cet établissement a déjà un référent.")
            self.referents[membership.finess] = membership.email
            self.members[(membership.finess, membership.email)] = membership

    def put_membership(self, membership: Membership) -> None:
        self.members[(membership.finess, membership.email)] = membership

    def hand_over_referent(self, finess: Finess, old: Email, new: Email, at: str) -> None:
        with self._lock:
            if self.referents.get(finess) != old or (finess, new) not in self.members:
                raise Conflict("Le rôle de référent a changé entre-temps : rechargez la page.")
            self.referents[finess] = new
            self.members[(finess, old)] = replace(self.members[(finess, old)], status=Status.CONTRIBUTEUR)
            self.members[(finess, new)] = replace(self.members[(finess, new)], status=Status.REFERENT)

    def referent_of(self, finess: Finess) -> Email | None:
        return self.referents.get(finess)

    def put_request(self, request: AccessRequest) -> None:
        self.requests[(request.finess, request.request_id)] = request

    def get_request(self, finess: Finess, request_id: str) -> AccessRequest | None:
        return self.requests.get((finess, request_id))

    def list_requests(self, finess: Finess, state: RequestState | None = None) -> list[AccessRequest]:
        found = [r for (f, _), r in self.requests.items() if f == finess and (state is None or r.state is state)]
        return sorted(found, key=lambda r: (r.created_at, r.request_id))

    def requests_of(self, email: Email) -> list[AccessRequest]:
        return sorted((r for r in self.requests.values() if r.email == email), key=lambda r: (r.created_at, r.request_id))

    def accept_request(self, request: AccessRequest, membership: Membership) -> None:
        with self._lock:
            current = self.requests.get((request.finess, request.request_id))
            if current is None or current.state is not RequestState.PENDING:
                raise Conflict("Cette demande d'accès a déjà été traitée.")
            self.requests[(request.finess, request.request_id)] = request
            self.members[(membership.finess, membership.email)] = membership

    def put_profile(self, email: Email, profile: Profile) -> None:
        self.profiles[(email, profile.type)] = profile

    def delete_profile(self, email: Email, kind: ProfileType) -> bool:
        return self.profiles.pop((email, kind), None) is not None

    def profiles_of(self, email: Email) -> list[Profile]:
        return [p for (e, _), p in self.profiles.items() if e == email]


class FakeAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def since(self, since: datetime, limit: int = 1000) -> list[AuditEntry]:
        lower = since.isoformat(timespec="milliseconds")
        return sorted((e for e in self.entries if e.at >= lower), key=lambda e: (e.at, e.entry_id))[:limit]


class FakeCodeStore:
    def __init__(self) -> None:
        self.codes: dict[tuple[Email, str], StoredCode] = {}

    def put(self, code: StoredCode) -> None:
        self.codes[(code.email, code.purpose)] = code

    def get(self, email: Email, purpose: str) -> StoredCode | None:
        return self.codes.get((email, purpose))

    def count_attempt(self, email: Email, purpose: str) -> None:
        current = self.codes.get((email, purpose))
        if current is not None:
            self.codes[(email, purpose)] = replace(current, attempts=current.attempts + 1)

    def delete(self, email: Email, purpose: str) -> None:
        self.codes.pop((email, purpose), None)

    def purge_expired(self, now: datetime) -> int:
        expired = [key for key, code in self.codes.items() if code.expires_at <= now]
        for key in expired:
            del self.codes[key]
        return len(expired)
