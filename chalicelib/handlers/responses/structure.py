"""Answers of the structure, beds and settings of an establishment (handlers/structure.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.domain.controls import Severity
from chalicelib.domain.periods import Periodicity
from chalicelib.handlers.responses.base import Answer, Json


class UnitView(Answer):
    code_uf: str
    libelle_uf: str
    code_pole: str | None
    libelle_pole: str | None
    code_service: str | None
    libelle_service: str | None
    code_ta: str
    code_de: str
    secteur: str
    #: The sector the référent typed (null: from the DE code).
    secteur_force: str | None
    specialite: str | None
    date_debut: str | None
    date_fin: str | None


class Deleted(Answer):
    status: Literal["deleted"]


class BedCount(Answer):
    code_uf: str
    lits: int


class Beds(Answer):
    year: str
    beds: list[BedCount]


class YearSettings(Answer):
    consumption_periodicity: Periodicity | None = None
    resistance_periodicity: Periodicity | None = None
    antifungals_reported: bool


class Control(Answer):
    """One control of the year's data (DOMAIN.md §8)."""

    id: str
    severity: Severity
    #: In French.
    message: str
    #: 2025-T1, 2025, or null for the whole year.
    period: str | None
    count: int
    #: The rows concerned; their fields depend on the control.
    rows: list[dict[str, Json]]
