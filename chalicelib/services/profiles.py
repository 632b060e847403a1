"""Profiles beyond one establishment (regional, national, admin), and the audit trail."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.tenants import known_region
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import AccessStore


class ProfileService:
    def __init__(self, access: AccessStore, guard: Guard, context: Context) -> None:
        self._access = access
        self._guard = guard
        self._ctx = context

    def grant(self, caller: Principal, email: str, kind: str, region: str | None) -> Profile:
        self._guard.require(caller, Action.ADMINISTER_PROFILES)
        address = Email.parse(email)
        profile = Profile.create(kind, known_region(region) if region else None)
        before = [p for p in self._access.profiles_of(address) if p.type is profile.type]
        self._access.put_profile(address, profile)
        self._ctx.audit(
            caller.email.value,
            "profile.grant",
            f"user:{address}",
            _view(before[0]) if before else None,
            _view(profile),
        )
        return profile

    def grant_system(self, email: Email, profile: Profile, by: str = "system") -> None:
        """Grant at installation (first administrator), with no caller to check; audited as ``by``."""
        self._access.put_profile(email, profile)
        self._ctx.audit(by, "profile.grant", f"user:{email}", None, _view(profile))

    def revoke(self, caller: Principal, email: str, kind: str) -> None:
        self._guard.require(caller, Action.ADMINISTER_PROFILES)
        address = Email.parse(email)
        try:
            profile_type = ProfileType(kind)
        except ValueError as exc:
            raise InvalidInput(f"Profil inconnu : « {kind} ».") from exc
        before = [p for p in self._access.profiles_of(address) if p.type is profile_type]
        if not self._access.delete_profile(address, profile_type):
            raise NotFound("Profil introuvable.")
        self._ctx.audit(caller.email.value, "profile.revoke", f"user:{address}", _view(before[0]) if before else None, None)

    def audit_since(self, caller: Principal, since: str | None) -> list[AuditEntry]:
        self._guard.require(caller, Action.READ_AUDIT)
        if since:
            try:
                start = datetime.fromisoformat(since)
            except ValueError as exc:
                raise InvalidInput(
                    f"Date invalide : « {since} » (format ISO attendu, par exemple 2025-01-31).",
                    details=[{"field": "since"}],
                ) from exc
            if start.tzinfo is None:
                start = start.replace(tzinfo=self._ctx.clock.now().tzinfo)
        else:
            start = self._ctx.clock.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return self._access_audit(start)

    def _access_audit(self, start: datetime) -> list[AuditEntry]:
        return self._ctx.audit_log.since(start)


def _view(profile: Profile) -> dict[str, str | None]:
    return {"type": profile.type.value, "region": profile.region.value if profile.region else None}
