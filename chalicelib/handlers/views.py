"""JSON shapes of the answers (API.md), from domain objects."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import totp
from chalicelib.domain.access import AccessRequest, Membership, Profile
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.second_factor import CHALLENGE_MESSAGES
from chalicelib.services.access import Member
from chalicelib.services.accounts import MyAccount
from chalicelib.services.administration import EstablishmentOverview, LaboratoryLinks, ProfileHolder
from chalicelib.services.ports import Tokens, UserInfo
from chalicelib.services.second_factor import Challenge, Enrolment
from chalicelib.services.tenants import establishment_view, laboratory_view


def tokens(t: Tokens) -> dict[str, Any]:
    return {"id_token": t.id_token, "access_token": t.access_token, "refresh_token": t.refresh_token, "expires_in": t.expires_in}


def login(outcome: Tokens | Challenge) -> dict[str, Any]:
    """API.md's tokens, or the second factor's step (docs/api-extensions.md)."""
    if isinstance(outcome, Tokens):
        return tokens(outcome)
    return {"challenge": outcome.kind.value, "session": outcome.session, "message": CHALLENGE_MESSAGES[outcome.kind]}


def enrolment(e: Enrolment) -> dict[str, Any]:
    return {"secret": e.secret, "secret_grouped": totp.grouped(e.secret), "otpauth_uri": e.otpauth_uri}


def profile(p: Profile) -> dict[str, Any]:
    return {"type": p.type.value, **({"region": p.region.value} if p.region else {})}


def request(r: AccessRequest, name: str | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "request_id": r.request_id,
        "finess": r.finess.value,
        "email": r.email.value,
        "status": r.state.value,
        "created_at": r.created_at,
    }
    if name is not None:
        view["name"] = name
    if r.decided_at:
        view.update({"decided_at": r.decided_at, "decided_by": r.decided_by.value if r.decided_by else None})
    if r.role:
        view["role"] = r.role.value
    return view


def request_with_requester(r: AccessRequest, user: UserInfo | None) -> dict[str, Any]:
    """A request with the requester's names (empty when the account is gone)."""
    return {**request(r), "first_name": user.first_name if user else "", "last_name": user.last_name if user else ""}


def profile_holder(h: ProfileHolder) -> dict[str, Any]:
    return {"email": h.email.value, **profile(h.profile), "first_name": h.first_name, "last_name": h.last_name}


def establishment_overview(o: EstablishmentOverview) -> dict[str, Any]:
    return {
        **establishment_view(o.establishment),
        "referent": o.has_referent,
        "members": o.members,
        "pending_requests": o.pending_requests,
        "periods": [{"period": period, "status": status} for period, status in o.periods],
    }


def laboratory_links(links: LaboratoryLinks) -> dict[str, Any]:
    return {
        **laboratory_view(links.laboratory),
        "establishments": [{"finess": e.finess.value, "name": e.name, "region": e.region.value} for e in links.establishments],
    }


def membership(m: Membership, name: str | None = None) -> dict[str, Any]:
    view = {"finess": m.finess.value, "email": m.email.value, "status": m.status.value, "since": m.since}
    if name is not None:
        view["name"] = name
    return view


def member(m: Member) -> dict[str, Any]:
    return {**membership(m.membership), "first_name": m.first_name, "last_name": m.last_name}


def me(account: MyAccount) -> dict[str, Any]:
    return {
        "email": account.email.value,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "memberships": [{"finess": m.finess.value, "name": name, "status": m.status.value} for m, name in account.memberships],
        "profiles": [profile(p) for p in account.profiles],
        "pending_requests": [request(r, name) for r, name in account.pending_requests],
        "mfa": {"totp": account.totp, "required": account.totp_required},
    }


def audit(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "before": entry.before,
        "after": entry.after,
        "id": entry.entry_id,
    }
