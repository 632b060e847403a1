"""The shared vocabulary of resistance data: results, flags, isolates.

An isolate travels through the import in two shapes: ``RawIsolate`` (as the
file gives it: the laboratory's labels and the raw patient identifier, which
never leaves the first step) and ``Isolate`` (reference codes and the
patient's pseudonym), which everything after pseudonymisation uses.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple


class Sir(enum.StrEnum):
    """An antibiogram result (CA-SFM/EUCAST); SFP is "susceptible, increased exposure" (the former I)."""

    S = "S"
    SFP = "SFP"
    R = "R"


class MappingKind(enum.StrEnum):
    SPECIES = "species"
    SPECIMEN = "specimen"
    ANTIBIOTIC = "antibiotic"


class Carbapenemase(enum.StrEnum):
    OXA48 = "OXA-48-like"
    KPC = "KPC"
    NDM = "NDM"
    VIM = "VIM"
    IMP = "IMP"
    OTHER = "autre"
    NEGATIVE = "négatif"


class VanGene(enum.StrEnum):
    VANA = "vanA"
    VANB = "vanB"
    NONE = "non"


class RawIsolate(NamedTuple):
    """One data row of a resistance file, typed but still in the laboratory's labels.

    A named tuple: a year of a university hospital makes 150,000 of them, built and
    then read column by column (``zip(*isolates)``) into the isolate table.
    """

    row: int  # spreadsheet row number
    uf: str
    patient_id: str  # raw, normalised (trimmed, upper case); pseudonymised right after deduplication keys
    age: int | None  # years at the specimen date (from the age column or the date of birth)
    sex: str | None  # "F", "M" or None
    specimen_date: date
    specimen_label: str
    species_label: str
    results: Mapping[str, Sir]  # antibiotic label (the column header) -> result; untested columns absent
    esbl: bool | None = None  # blse column: oui/non/empty
    carbapenemase: Carbapenemase | None = None
    van: VanGene | None = None


@dataclass(frozen=True)
class Isolate:
    """One isolate in reference codes, identified by the patient's pseudonym."""

    isolate_id: str  # stable within the upload: "<upload_id>:<row>"
    row: int
    uf: str
    pseudonym: str  # HMAC-SHA256 of the patient identifier with the establishment's key
    age: int | None
    sex: str | None
    specimen_date: date
    specimen: str  # specimen category code
    species: str  # reference species code
    results: Mapping[str, Sir]  # reference antibiotic code (AMX, CTX...) -> result
    esbl: bool | None = None
    carbapenemase: Carbapenemase | None = None
    van: VanGene | None = None
    #: Phenotype hints from a species label's suffix ("E. coli BLSE" -> esbl True).
    hints: Mapping[str, bool] = field(default_factory=dict)
