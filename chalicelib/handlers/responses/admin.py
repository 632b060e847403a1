"""Answers of the administration of tenants and profiles (handlers/admin.py)."""

from __future__ import annotations

from typing import Any, Literal

from chalicelib.domain.access import ProfileType
from chalicelib.handlers.responses.base import Answer
from chalicelib.handlers.responses.directory import EstablishmentWithLaboratories, Laboratory


class PeriodStatus(Answer):
    period: str
    status: str


class EstablishmentOverview(EstablishmentWithLaboratories):
    referent: bool
    #: How many members of each status.
    members: dict[str, int]
    pending_requests: int
    #: The year's periods that are not open.
    periods: list[PeriodStatus]


class ServedEstablishment(Answer):
    finess: str
    name: str
    region: str


class LaboratoryLinks(Laboratory):
    establishments: list[ServedEstablishment]


class GrantedProfile(Answer):
    email: str
    type: ProfileType
    region: str | None = None


class ProfileHolder(GrantedProfile):
    first_name: str
    last_name: str


class Revoked(Answer):
    status: Literal["revoked"]


class AuditEntry(Answer):
    at: str
    actor: str
    action: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    id: str
