"""Who belongs to which establishment, and the access-request rules (DOMAIN.md §2)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, InvalidInput


class Status(enum.StrEnum):
    """A person's status on one establishment."""

    REFERENT = "referent"
    CONTRIBUTEUR = "contributeur"
    OBSERVATEUR = "observateur"

    @property
    def label(self) -> str:
        return {"referent": "référent", "contributeur": "contributeur", "observateur": "observateur"}[self.value]


class ProfileType(enum.StrEnum):
    """Profiles beyond one establishment, granted by an administrator."""

    REGIONAL = "regional"
    NATIONAL = "national"
    ADMIN = "admin"


class RequestState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Profile:
    type: ProfileType
    region: RegionCode | None = None

    @classmethod
    def create(cls, type_: object, region: RegionCode | None) -> Profile:
        try:
            kind = ProfileType(str(type_))
        except ValueError as exc:
            raise InvalidInput(
                f"Profil inconnu : « {type_} » (regional, national ou admin).",
                details=[{"field": "type", "value": str(type_)}],
            ) from exc
        if kind is ProfileType.REGIONAL and region is None:
            raise InvalidInput("Un profil régional doit préciser sa région.", details=[{"field": "region"}])
        if kind is not ProfileType.REGIONAL and region is not None:
            raise InvalidInput("Seul un profil régional porte une région.", details=[{"field": "region"}])
        return cls(kind, region)


@dataclass(frozen=True)
class Membership:
    finess: Finess
    email: Email
    status: Status
    since: str


@dataclass(frozen=True)
class AccessRequest:
    request_id: str
    finess: Finess
    email: Email
    state: RequestState
    created_at: str
    decided_by: Email | None = None
    decided_at: str | None = None
    role: Status | None = None


@dataclass(frozen=True)
class CharterAcceptance:
    """What the first référent gives when asking for access."""

    direction_email: Email
    dpo_email: Email | None

    @classmethod
    def create(cls, charter_accepted: bool, direction_email: object, dpo_email: object | None) -> CharterAcceptance:
        if charter_accepted is not True:
            raise InvalidInput(
                "Vous êtes la première personne de cet établissement : acceptez la charte et indiquez "
                "l'adresse e-mail de la direction pour devenir référent.",
                details=[{"field": "charter_accepted"}],
                code="ERR_CHARTER_REQUIRED",
            )
        if not direction_email:
            raise InvalidInput(
                "L'adresse e-mail de la direction de l'établissement est obligatoire.",
                details=[{"field": "direction_email"}],
                code="ERR_CHARTER_REQUIRED",
            )
        return cls(Email.parse(direction_email), Email.parse(dpo_email) if dpo_email else None)


def ensure_not_member(current: Membership | None, pending: AccessRequest | None) -> None:
    """A person asks for access once: not when already a member or already pending."""
    if current is not None:
        raise Conflict(f"Vous êtes déjà {current.status.label} de cet établissement.")
    if pending is not None:
        raise Conflict("Une demande d'accès est déjà en attente pour cet établissement.")


def decide_request(request: AccessRequest, decision: Decision, role: Status | None, by: Email, at: str) -> AccessRequest:
    """Apply the référent's decision to a pending request.

    Raises:
        Conflict: the request is no longer pending.
        InvalidInput: accepting without a role, or with the référent role.
    """
    if request.state is not RequestState.PENDING:
        raise Conflict("Cette demande d'accès a déjà été traitée.")
    if decision is Decision.REFUSE:
        return replace(request, state=RequestState.REFUSED, decided_by=by, decided_at=at)
    if role not in (Status.CONTRIBUTEUR, Status.OBSERVATEUR):
        raise InvalidInput(
            "Choisissez le statut accordé : contributeur ou observateur.",
            details=[{"field": "role"}],
        )
    return replace(request, state=RequestState.ACCEPTED, decided_by=by, decided_at=at, role=role)


def ensure_role_change_allowed(member: Membership, new_status: Status) -> None:
    """Role changes never create or remove the référent: that is the hand-over."""
    if new_status is Status.REFERENT:
        raise InvalidInput(
            "Pour désigner un nouveau référent, utilisez la passation du rôle de référent.",
            details=[{"field": "role"}],
        )
    if member.status is Status.REFERENT:
        raise Conflict("Le référent doit d'abord passer son rôle à un autre membre.")


def ensure_hand_over_allowed(current_referent: Email, successor: Membership | None) -> None:
    if successor is None:
        raise InvalidInput(
            "Le nouveau référent doit déjà être membre de l'établissement.",
            details=[{"field": "email"}],
        )
    if successor.email == current_referent:
        raise InvalidInput("Vous êtes déjà le référent de cet établissement.", details=[{"field": "email"}])
