"""Answers of a laboratory's label mappings and of the reference lists (handlers/mappings.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.domain.resistance.model import MappingKind
from chalicelib.handlers.responses.base import Answer


class Mapping(Answer):
    label: str
    state: Literal["unmapped", "proposed", "confirmed"]
    code: str | None = None
    proposed_code: str | None = None
    hints: list[str] | None = None
    version: int | None = None
    updated_by: str | None = None
    updated_at: str | None = None
    previous_code: str | None = None


class MappingChange(Mapping):
    kind: MappingKind


class MappingChanges(Answer):
    version: int
    mappings: list[MappingChange]


class Species(Answer):
    code: str
    name: str
    group: str
    gram: str
    ears_net_code: str | None


class SpecimenCategory(Answer):
    code: str
    label: str
    ears_net_specimen: str | None


class Antibiotic(Answer):
    code: str
    name: str
    atc: str
    family: str


class Ddd(Answer):
    version: int
    atc: str
    substance: str
    route: str
    #: The value as a decimal text (exact).
    ddd: str
    unit: str
