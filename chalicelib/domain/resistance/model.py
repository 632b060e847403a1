"""The shared vocabulary of resistance data: results, flags, isolates.

An isolate travels through the import in two shapes: ``RawIsolate`` (as the
file gives it: the laboratory's labels and the raw patient identifier, which
never leaves the first step; ``RawColumns`` holds many of them as columns) and
``Isolate`` (reference codes and the patient's pseudonym), which everything
after pseudonymisation uses.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple


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


@dataclass
class RawColumns:
    """Raw isolates as columns, one list per ``RawIsolate`` field, all aligned, in row order.

    What the validator gives for a large file: the isolate table is built from the
    columns without a tuple per isolate (``rows()`` gives them, for the few callers
    that read isolates one by one).
    """

    row: list[int]
    uf: list[str]
    patient_id: list[str]
    age: list[int | None]
    sex: list[str | None]
    specimen_date: list[date]
    specimen_label: list[str]
    species_label: list[str]
    results: list[Mapping[str, Sir]]
    esbl: list[bool | None]
    carbapenemase: list[Carbapenemase | None]
    van: list[VanGene | None]

    def __post_init__(self) -> None:
        if len({len(column) for column in self.columns()}) > 1:
            raise ValueError("raw columns of unequal length")

    def __len__(self) -> int:
        return len(self.row)

    def columns(self) -> list[list[Any]]:
        """The lists, in ``RawIsolate``'s field order."""
        return [getattr(self, name) for name in RawIsolate._fields]

    def rows(self) -> list[RawIsolate]:
        return list(map(RawIsolate._make, zip(*self.columns(), strict=True)))

    @classmethod
    def from_rows(cls, isolates: Sequence[RawIsolate]) -> RawColumns:
        transposed = [list(column) for column in zip(*isolates, strict=True)] or [[] for _ in RawIsolate._fields]
        return cls(*transposed)

    def merged(self, other: RawColumns) -> RawColumns:
        """Both sets of isolates, in row order."""
        if not len(other):
            return self
        if not len(self):
            return other
        joined = [[*mine, *theirs] for mine, theirs in zip(self.columns(), other.columns(), strict=True)]
        order = sorted(range(len(joined[0])), key=joined[0].__getitem__)
        return RawColumns(*([column[n] for n in order] for column in joined))


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
