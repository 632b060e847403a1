"""The lists the administration screens read (profile admin): profiles in force,
establishments with their référent, members and period statuses, laboratories
with the establishments they serve."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.access import Profile, RequestState, Status
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.tenants import Establishment, Laboratory, known_region
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import AccessStore, IdentityProvider, PeriodStatusStore, TenantStore


@dataclass(frozen=True)
class ProfileHolder:
    email: Email
    profile: Profile
    first_name: str
    last_name: str


@dataclass(frozen=True)
class EstablishmentOverview:
    establishment: Establishment
    has_referent: bool
    members: dict[str, int]
    pending_requests: int
    #: The year's recorded period statuses (a period absent is open).
    periods: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class LaboratoryLinks:
    laboratory: Laboratory
    establishments: list[Establishment]


class AdministrationService:
    def __init__(
        self,
        *,
        tenants: TenantStore,
        access: AccessStore,
        identity: IdentityProvider,
        periods: PeriodStatusStore,
        guard: Guard,
        context: Context,
    ) -> None:
        self._tenants = tenants
        self._access = access
        self._identity = identity
        self._periods = periods
        self._guard = guard
        self._ctx = context

    def profiles(self, caller: Principal) -> list[ProfileHolder]:
        """Every regional, national and admin profile, by e-mail then type."""
        self._guard.require(caller, Action.ADMINISTER_PROFILES)
        holders = []
        names: dict[Email, tuple[str, str]] = {}
        for email, profile in self._access.list_profiles():
            if email not in names:
                user = self._identity.get_user(email)
                names[email] = (user.first_name, user.last_name) if user else ("", "")
            holders.append(ProfileHolder(email, profile, *names[email]))
        return sorted(holders, key=lambda h: (h.email.value, h.profile.type.value))

    def establishments(self, caller: Principal, region: str | None, year: str | None) -> list[EstablishmentOverview]:
        """The establishments (of one region, or all) with what an administrator checks first."""
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        wanted = known_region(region) if region else None
        when = self._year(year)
        result = []
        for es in self._tenants.list_establishments(wanted):
            members = {s.value: 0 for s in Status}
            for m in self._access.list_members(es.finess):
                members[m.status.value] += 1
            pending = self._access.list_requests(es.finess, RequestState.PENDING)
            states = sorted(
                ((s.period, s.status) for s in self._periods.states(es.finess, when)), key=lambda p: (len(p[0]), p[0])
            )
            result.append(
                EstablishmentOverview(es, self._access.referent_of(es.finess) is not None, members, len(pending), states)
            )
        return result

    def laboratories(self, caller: Principal) -> list[LaboratoryLinks]:
        """Every laboratory with the establishments it serves (sorted by name)."""
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        establishments = self._tenants.list_establishments()
        return [
            LaboratoryLinks(lab, sorted((e for e in establishments if lab.lab_id in e.laboratories), key=lambda e: e.name))
            for lab in self._tenants.list_laboratories()
        ]

    def _year(self, year: str | None) -> int:
        if not year:
            return self._ctx.clock.now().year - 1
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise InvalidInput(f"Année invalide : « {year} ».", details=[{"field": "year"}])
        return int(year)
