"""Who may do what, where: one declarative table (status or profile x action x scope).

An establishment the caller cannot see answers 404 (it does not exist for
them); one they can see but may not act on answers 403.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.codes import Email, Finess, RegionCode


class Action(enum.StrEnum):
    # On one establishment
    VIEW_ESTABLISHMENT = "view_establishment"
    LIST_MEMBERS = "list_members"
    MANAGE_ACCESS = "manage_access"
    EDIT_STRUCTURE = "edit_structure"
    UPLOAD_DATA = "upload_data"
    REMOVE_DATA = "remove_data"  # a period's current data of one type, explicitly (DOMAIN.md §10.2)
    EDIT_SETTINGS = "edit_settings"
    ANALYSE = "analyse"
    CLOSE_PERIOD = "close_period"
    REOPEN_PERIOD = "reopen_period"
    VIEW_ALERTS = "view_alerts"  # its alerts on rare phenotypes, as soon as raised (DOMAIN.md §10.10)
    ACKNOWLEDGE_ALERT = "acknowledge_alert"  # mark an alert seen or handled, with a comment
    # Global
    ADMINISTER_TENANTS = "administer_tenants"
    ADMINISTER_PROFILES = "administer_profiles"
    READ_AUDIT = "read_audit"
    ADMINISTER_CATALOGUE = "administer_catalogue"
    EXPORT_EARS_NET = "export_ears_net"
    GENERATE_REPORTS = "generate_reports"  # remake a year's standard reports and syntheses
    SET_METHODS = "set_methods"  # the national settings of the indicators' methods (deduplication period)
    ADMINISTER_CAMPAIGN = "administer_campaign"  # a year's deadline and reminder days
    OPERATE_LOCAL_PLATFORM = "operate_local_platform"  # the embedded runtime's mailbox and schedules


class Scope(enum.StrEnum):
    OWN = "own"  # the caller is a member of the establishment
    REGION = "region"  # the establishment is in the caller's region
    ANY = "any"


Who = Status | ProfileType

REF, CONTRIB, OBS = Status.REFERENT, Status.CONTRIBUTEUR, Status.OBSERVATEUR
REG, NAT, ADM = ProfileType.REGIONAL, ProfileType.NATIONAL, ProfileType.ADMIN

ESTABLISHMENT_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.VIEW_ESTABLISHMENT,
        Action.LIST_MEMBERS,
        Action.MANAGE_ACCESS,
        Action.EDIT_STRUCTURE,
        Action.REMOVE_DATA,
        Action.UPLOAD_DATA,
        Action.EDIT_SETTINGS,
        Action.ANALYSE,
        Action.CLOSE_PERIOD,
        Action.REOPEN_PERIOD,
        Action.VIEW_ALERTS,
        Action.ACKNOWLEDGE_ALERT,
    }
)

#: The table. Statuses always apply to the caller's own establishment; a
#: regional profile to its region's establishments; national and admin to all.
RIGHTS: Mapping[Action, frozenset[Who]] = {
    Action.VIEW_ESTABLISHMENT: frozenset({REF, CONTRIB, OBS, REG, NAT, ADM}),
    Action.LIST_MEMBERS: frozenset({REF, CONTRIB, OBS, REG, NAT, ADM}),
    Action.MANAGE_ACCESS: frozenset({REF, ADM}),
    Action.EDIT_STRUCTURE: frozenset({REF}),
    Action.UPLOAD_DATA: frozenset({REF, CONTRIB}),
    Action.REMOVE_DATA: frozenset({REF}),
    Action.EDIT_SETTINGS: frozenset({REF, CONTRIB}),
    # Administrators see what they administer (period statuses before a reopening, for instance).
    Action.ANALYSE: frozenset({REF, CONTRIB, OBS, REG, NAT, ADM}),
    Action.CLOSE_PERIOD: frozenset({REF, CONTRIB}),
    Action.REOPEN_PERIOD: frozenset({NAT, ADM}),
    # An alert is a signal, not an indicator: the region's team follows it from the import on (§10.10 wins
    # over §10.1's drafts rule there); the establishment handles it (its référent and contributeurs: an
    # observateur analyses only; the teams follow, they do not answer for the establishment).
    Action.VIEW_ALERTS: frozenset({REF, CONTRIB, OBS, REG, NAT, ADM}),
    Action.ACKNOWLEDGE_ALERT: frozenset({REF, CONTRIB}),
    Action.ADMINISTER_TENANTS: frozenset({ADM}),
    Action.ADMINISTER_PROFILES: frozenset({ADM}),
    Action.READ_AUDIT: frozenset({ADM}),
    Action.ADMINISTER_CATALOGUE: frozenset({NAT, ADM}),
    Action.EXPORT_EARS_NET: frozenset({NAT, ADM}),
    Action.GENERATE_REPORTS: frozenset({NAT, ADM}),
    Action.SET_METHODS: frozenset({NAT, ADM}),
    Action.ADMINISTER_CAMPAIGN: frozenset({NAT, ADM}),
    Action.OPERATE_LOCAL_PLATFORM: frozenset({ADM}),
}

#: Where each status or profile applies.
SCOPE_OF: Mapping[Who, Scope] = {
    REF: Scope.OWN,
    CONTRIB: Scope.OWN,
    OBS: Scope.OWN,
    REG: Scope.REGION,
    NAT: Scope.ANY,
    ADM: Scope.ANY,
}


class Outcome(enum.StrEnum):
    ALLOW = "allow"
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404


@dataclass(frozen=True)
class Principal:
    """The authenticated caller with everything the table needs to decide."""

    email: Email
    memberships: Mapping[Finess, Status] = field(default_factory=dict)
    profiles: frozenset[tuple[ProfileType, RegionCode | None]] = frozenset()

    def has_profile(self, kind: ProfileType) -> bool:
        return any(p == kind for p, _ in self.profiles)

    def regions(self) -> frozenset[RegionCode]:
        return frozenset(r for p, r in self.profiles if p is ProfileType.REGIONAL and r is not None)

    def roles_on(self, finess: Finess, region: RegionCode) -> frozenset[Who]:
        """Every status or profile that applies to this establishment."""
        roles: set[Who] = set()
        status = self.memberships.get(finess)
        if status is not None:  # a status's scope is always its own establishment
            roles.add(status)
        for kind, profile_region in self.profiles:
            scope = SCOPE_OF[kind]
            if scope is Scope.ANY or (scope is Scope.REGION and profile_region == region):
                roles.add(kind)
        return frozenset(roles)


def decide(principal: Principal, action: Action, target: tuple[Finess, RegionCode] | None = None) -> Outcome:
    """Decide one action, on one establishment (``target``) or globally.

    Establishment actions need ``target``; a caller with no role at all on the
    establishment gets NOT_FOUND so its existence never leaks.
    """
    allowed = RIGHTS[action]
    if action in ESTABLISHMENT_ACTIONS:
        if target is None:
            raise ValueError(f"{action} needs an establishment")
        roles = principal.roles_on(*target)
        if not roles:
            return Outcome.NOT_FOUND
        return Outcome.ALLOW if roles & allowed else Outcome.FORBIDDEN
    held: set[Who] = {p for p, _ in principal.profiles}
    return Outcome.ALLOW if held & allowed else Outcome.FORBIDDEN
