"""Access to an establishment: requests, decisions, members, hand-over (DOMAIN.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain import letters
from chalicelib.domain.access import (
    AccessRequest,
    CharterAcceptance,
    Decision,
    Membership,
    ProfileType,
    RequestState,
    Status,
    decide_request,
    ensure_hand_over_allowed,
    ensure_not_member,
    ensure_role_change_allowed,
)
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.tenants import Establishment
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import AccessStore, IdentityProvider, Mailer, TenantStore, UserInfo


@dataclass(frozen=True)
class AccessOutcome:
    status: str  # "granted" | "pending"
    role: Status | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Member:
    membership: Membership
    first_name: str
    last_name: str


class AccessService:
    def __init__(
        self,
        *,
        tenants: TenantStore,
        access: AccessStore,
        identity: IdentityProvider,
        mailer: Mailer,
        guard: Guard,
        context: Context,
        support_contact: str,
    ) -> None:
        self._support_contact = support_contact
        self._tenants = tenants
        self._access = access
        self._identity = identity
        self._mailer = mailer
        self._guard = guard
        self._ctx = context

    def request_access(
        self,
        caller: Principal,
        finess: object,
        charter_accepted: bool | None,
        direction_email: str | None,
        dpo_email: str | None,
    ) -> AccessOutcome:
        """Ask for access; the first person of the establishment becomes référent.

        Raises NotFound (unknown establishment), Conflict (already member or
        pending), InvalidInput (first person without charter or management e-mail).
        """
        establishment = self._guard.existing(finess)
        code = establishment.finess
        pending = [r for r in self._access.requests_of(caller.email) if r.finess == code and r.state is RequestState.PENDING]
        ensure_not_member(self._access.get_membership(code, caller.email), pending[0] if pending else None)
        if self._access.referent_of(code) is None:
            charter = CharterAcceptance.create(bool(charter_accepted), direction_email, dpo_email)
            try:
                return self._become_first_referent(caller, establishment, charter)
            except Conflict:
                pass  # someone else became référent a moment ago: ask them instead
        return self._ask_referent(caller, establishment)

    def list_requests(self, caller: Principal, finess: object, state: str | None) -> list[AccessRequest]:
        establishment = self._guard.establishment(caller, Action.MANAGE_ACCESS, finess)
        wanted = None
        if state:
            try:
                wanted = RequestState(state)
            except ValueError as exc:
                raise InvalidInput(f"Statut de demande inconnu : « {state} ».") from exc
        return self._access.list_requests(establishment.finess, wanted)

    def requests_with_requesters(
        self, caller: Principal, finess: object, state: str | None
    ) -> list[tuple[AccessRequest, UserInfo | None]]:
        """The requests with who made them (names from the user pool), for the référent's decision."""
        return [(r, self._identity.get_user(r.email)) for r in self.list_requests(caller, finess, state)]

    def decide(self, caller: Principal, finess: object, request_id: str, decision: str, role: str | None) -> AccessRequest:
        establishment = self._guard.establishment(caller, Action.MANAGE_ACCESS, finess)
        request = self._access.get_request(establishment.finess, request_id)
        if request is None:
            raise NotFound("Demande d'accès introuvable.")
        chosen = Status(role) if role in {s.value for s in Status} else None
        decided = decide_request(request, Decision(decision), chosen, caller.email, self._ctx.now_iso())
        if decided.state is RequestState.ACCEPTED and decided.role is not None:
            membership = Membership(establishment.finess, decided.email, decided.role, self._ctx.now_iso())
            self._access.accept_request(decided, membership)
        else:
            self._access.put_request(decided)
        self._ctx.audit(
            caller.email.value,
            f"access_request.{decided.state.value}",
            f"establishment:{establishment.finess}/request:{request_id}",
            {"state": request.state.value},
            {"state": decided.state.value, "email": decided.email.value, "role": decided.role.value if decided.role else None},
        )
        self._mailer.send(
            letters.access_decided(decided.email.value, establishment.name, decided.state is RequestState.ACCEPTED, decided.role)
        )
        return decided

    def members(self, caller: Principal, finess: object) -> list[Member]:
        establishment = self._guard.establishment(caller, Action.LIST_MEMBERS, finess)
        result = []
        for membership in self._access.list_members(establishment.finess):
            user = self._identity.get_user(membership.email)
            result.append(Member(membership, user.first_name if user else "", user.last_name if user else ""))
        return result

    def change_role(self, caller: Principal, finess: object, email: str, role: str) -> Membership:
        establishment = self._guard.establishment(caller, Action.MANAGE_ACCESS, finess)
        member = self._access.get_membership(establishment.finess, Email.parse(email))
        if member is None:
            raise NotFound("Membre introuvable.")
        try:
            new_status = Status(role)
        except ValueError as exc:
            raise InvalidInput(f"Statut inconnu : « {role} ».", details=[{"field": "role"}]) from exc
        ensure_role_change_allowed(member, new_status)
        changed = Membership(member.finess, member.email, new_status, member.since)
        self._access.put_membership(changed)
        self._ctx.audit(
            caller.email.value,
            "membership.change_role",
            f"establishment:{establishment.finess}/member:{member.email}",
            {"status": member.status.value},
            {"status": new_status.value},
        )
        return changed

    def hand_over(self, caller: Principal, finess: object, email: str) -> None:
        """The référent (or an administrator) hands the role to another member."""
        establishment = self._guard.establishment(caller, Action.MANAGE_ACCESS, finess)
        current = self._access.referent_of(establishment.finess)
        if current is None:
            raise Conflict("Cet établissement n'a pas de référent.")
        if caller.email != current and not caller.has_profile(ProfileType.ADMIN):
            raise Forbidden()  # only the référent in office hands over (or an administrator)
        successor = self._access.get_membership(establishment.finess, Email.parse(email))
        ensure_hand_over_allowed(current, successor)
        assert successor is not None
        self._access.hand_over_referent(establishment.finess, current, successor.email, self._ctx.now_iso())
        self._ctx.audit(
            caller.email.value,
            "membership.hand_over_referent",
            f"establishment:{establishment.finess}",
            {"referent": current.value},
            {"referent": successor.email.value},
        )
        self._mailer.send(letters.referent_handed_over(successor.email.value, establishment.name))

    def _become_first_referent(
        self, caller: Principal, establishment: Establishment, charter: CharterAcceptance
    ) -> AccessOutcome:
        now = self._ctx.now_iso()
        self._access.add_first_referent(Membership(establishment.finess, caller.email, Status.REFERENT, now))
        user = self._identity.get_user(caller.email)
        full_name = f"{user.first_name} {user.last_name}" if user else caller.email.value
        recipients = tuple(e.value for e in (charter.direction_email, charter.dpo_email) if e is not None)
        self._ctx.audit(
            caller.email.value,
            "membership.first_referent",
            f"establishment:{establishment.finess}",
            None,
            {
                "referent": caller.email.value,
                "charter_accepted_at": now,
                "direction_email": charter.direction_email.value,
                "dpo_email": charter.dpo_email.value if charter.dpo_email else None,
            },
        )
        self._mailer.send(
            letters.information_letter(
                recipients,
                establishment.name,
                establishment.finess.value,
                full_name,
                caller.email.value,
                self._support_contact,
            )
        )
        return AccessOutcome("granted", role=Status.REFERENT)

    def _ask_referent(self, caller: Principal, establishment: Establishment) -> AccessOutcome:
        request = AccessRequest(
            self._ctx.ids.new_id(), establishment.finess, caller.email, RequestState.PENDING, self._ctx.now_iso()
        )
        self._access.put_request(request)
        self._ctx.audit(
            caller.email.value,
            "access_request.create",
            f"establishment:{establishment.finess}/request:{request.request_id}",
            None,
            {"state": "pending"},
        )
        referent = self._access.referent_of(establishment.finess)
        if referent is not None:
            user = self._identity.get_user(caller.email)
            name = f"{user.first_name} {user.last_name}" if user else caller.email.value
            self._mailer.send(letters.access_requested(referent.value, establishment.name, name, caller.email.value))
        return AccessOutcome("pending", request_id=request.request_id)
