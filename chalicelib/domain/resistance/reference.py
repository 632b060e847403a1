"""The reference lists the laboratories' labels are mapped to (DOMAIN.md §4.5).

Four tables shipped in ``chalicelib/reference`` (provenance in
``PROVENANCE_RESISTANCE.md``): ``species`` (code, name, group, Gram,
EARS-Net pathogen code, synonyms), ``specimen_categories`` (the 15 specimen
categories, with the EARS-Net specimen for blood and CSF), ``antibiotics``
(EARS-Net/WHONET three-letter codes with ATC code and family) and
``screening_labels`` (fragments of a specimen label that mark a screening
specimen). ``default_reference()`` reads them once; ``ResistanceReference``
can also be built from other rows (tests, a newer version of a table).

Synonyms are ``|``-separated in the tables; matching them against a
laboratory's label is ``chalicelib.domain.resistance.mapping``'s business. A
specimen label is a screening one when it holds one of the screening fragments,
both read as specimen words (``words.py``): ``ResistanceReference.is_screening``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.resistance.words import occurrences, specimen_tokens
from chalicelib.reference import read_table

__all__ = [
    "Antibiotic",
    "Gram",
    "ResistanceReference",
    "Species",
    "SpeciesGroup",
    "SpecimenCategory",
    "default_reference",
]

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,11}$")
_ATC = re.compile(r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")


class SpeciesGroup(enum.StrEnum):
    """The group a species is reported under (indicators by group: % EBLSE among Enterobacterales...)."""

    ENTEROBACTERALES = "enterobacterales"
    NON_FERMENTERS = "non_fermenters"
    STAPHYLOCOCCI = "staphylococci"
    ENTEROCOCCI = "enterococci"
    STREPTOCOCCI = "streptococci"
    OTHER_GRAM_NEGATIVE = "other_gram_negative"
    OTHER_GRAM_POSITIVE = "other_gram_positive"
    ANAEROBES = "anaerobes"
    FUNGI = "fungi"


class Gram(enum.StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    FUNGUS = "fungus"


def _synonyms(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _code(row: Mapping[str, str], table: str) -> str:
    code = (row.get("code") or "").strip()
    if not _CODE.match(code):
        raise ValueError(f"{table}: code invalide « {code} »")
    return code


def _required(row: Mapping[str, str], key: str, table: str) -> str:
    value = (row.get(key) or "").strip()
    if not value:
        raise ValueError(f"{table}: colonne « {key} » vide pour le code {row.get('code')}")
    return value


@dataclass(frozen=True)
class Species:
    """A reference species (or species group / genus-level entry such as ``SALSPP``)."""

    code: str  # stable upper-case code, EARS-Net/TESSy style (ESCCOL, KLEPNE, STAAUR...)
    name: str
    group: SpeciesGroup
    gram: Gram
    ears_net_code: str | None  # EARS-Net pathogen (TESSy) code, e.g. ACISPP for A. baumannii
    synonyms: tuple[str, ...] = ()

    @classmethod
    def parse(cls, row: Mapping[str, str]) -> Species:
        return cls(
            code=_code(row, "species"),
            name=_required(row, "name", "species"),
            group=SpeciesGroup(_required(row, "group", "species")),
            gram=Gram(_required(row, "gram", "species")),
            ears_net_code=(row.get("ears_net_code") or "").strip() or None,
            synonyms=_synonyms(row.get("synonyms") or ""),
        )


@dataclass(frozen=True)
class SpecimenCategory:
    """One of the 15 specimen categories (hémoculture, urine...)."""

    code: str
    label: str  # French label shown to people
    ears_net_specimen: str | None  # BLOOD or CSF; other categories are not reported to EARS-Net
    synonyms: tuple[str, ...] = ()

    @classmethod
    def parse(cls, row: Mapping[str, str]) -> SpecimenCategory:
        return cls(
            code=_code(row, "specimen_categories"),
            label=_required(row, "label", "specimen_categories"),
            ears_net_specimen=(row.get("ears_net_specimen") or "").strip() or None,
            synonyms=_synonyms(row.get("synonyms") or ""),
        )


@dataclass(frozen=True)
class Antibiotic:
    """A reference antibiotic (EARS-Net/WHONET three-letter code)."""

    code: str
    name_fr: str
    name_en: str
    atc: str  # WHO ATC code of the substance (GEH, gentamicin high level, shares GEN's)
    family: str  # family code of atc_families.csv (C3G, CARBAPENEMS...)
    synonyms: tuple[str, ...] = ()

    @classmethod
    def parse(cls, row: Mapping[str, str]) -> Antibiotic:
        atc = _required(row, "atc", "antibiotics")
        if not _ATC.match(atc):
            raise ValueError(f"antibiotics: code ATC invalide « {atc} » pour {row.get('code')}")
        return cls(
            code=_code(row, "antibiotics"),
            name_fr=_required(row, "name_fr", "antibiotics"),
            name_en=_required(row, "name_en", "antibiotics"),
            atc=atc,
            family=_required(row, "family", "antibiotics"),
            synonyms=_synonyms(row.get("synonyms") or ""),
        )


def _unique(codes: Iterable[str], table: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{table}: code en double « {code} »")
        seen.add(code)


@dataclass(frozen=True)
class ResistanceReference:
    """The species, specimen categories, antibiotics and screening label fragments, with lookups by code."""

    species: tuple[Species, ...]
    specimen_categories: tuple[SpecimenCategory, ...]
    antibiotics: tuple[Antibiotic, ...]
    screening_fragments: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _unique((entry.code for entry in self.species), "species")
        _unique((entry.code for entry in self.specimen_categories), "specimen_categories")
        _unique((entry.code for entry in self.antibiotics), "antibiotics")

    @classmethod
    def from_rows(
        cls,
        species: Iterable[Mapping[str, str]],
        specimen_categories: Iterable[Mapping[str, str]],
        antibiotics: Iterable[Mapping[str, str]],
        screening_labels: Iterable[Mapping[str, str]] = (),
    ) -> ResistanceReference:
        return cls(
            species=tuple(Species.parse(row) for row in species),
            specimen_categories=tuple(SpecimenCategory.parse(row) for row in specimen_categories),
            antibiotics=tuple(Antibiotic.parse(row) for row in antibiotics),
            screening_fragments=tuple(fragment for row in screening_labels if (fragment := (row.get("fragment") or "").strip())),
        )

    @cached_property
    def species_by_code(self) -> Mapping[str, Species]:
        return {entry.code: entry for entry in self.species}

    @cached_property
    def specimen_categories_by_code(self) -> Mapping[str, SpecimenCategory]:
        return {entry.code: entry for entry in self.specimen_categories}

    @cached_property
    def antibiotics_by_code(self) -> Mapping[str, Antibiotic]:
        return {entry.code: entry for entry in self.antibiotics}

    def codes(self, kind: MappingKind) -> set[str]:
        """The reference codes a label of this kind can be mapped to (to check a person's choice)."""
        if kind is MappingKind.SPECIES:
            return set(self.species_by_code)
        if kind is MappingKind.SPECIMEN:
            return set(self.specimen_categories_by_code)
        return set(self.antibiotics_by_code)

    @cached_property
    def _screening_words(self) -> tuple[tuple[str, ...], ...]:
        return tuple(words for fragment in self.screening_fragments if (words := specimen_tokens(fragment)))

    def is_screening(self, specimen_label: str) -> bool:
        """Whether a specimen label marks a screening specimen: it holds the words of one of the fragments."""
        words = specimen_tokens(specimen_label)
        return any(next(iter(occurrences(words, fragment)), None) is not None for fragment in self._screening_words)

    def species_of_group(self, group: SpeciesGroup) -> tuple[Species, ...]:
        return tuple(entry for entry in self.species if entry.group is group)

    def ears_net_species(self, pathogen: str) -> tuple[Species, ...]:
        """The reference species reported under an EARS-Net pathogen code (ACISPP -> ACIBAU, ACISPP)."""
        return tuple(entry for entry in self.species if entry.ears_net_code == pathogen)


@cache
def default_reference() -> ResistanceReference:
    """The reference lists shipped with the code (read once)."""
    return ResistanceReference.from_rows(
        read_table("species"),
        read_table("specimen_categories"),
        read_table("antibiotics"),
        read_table("screening_labels"),
    )
