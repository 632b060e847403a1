"""Antibiotic and antifungal families by ATC prefix (DOMAIN.md §7), and the broad-spectrum list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache

from chalicelib.domain.drugs.codes import AtcCode, as_atc, atc_prefix, compact_code, text_field
from chalicelib.domain.errors import InvalidInput
from chalicelib.reference import read_table

# --------------------------------------------------------------------------- families


class Scope(Enum):
    """Which surveillance a drug belongs to (DOMAIN.md §4.4)."""

    ANTIBIOTIC = "antibiotic"
    ANTIFUNGAL = "antifungal"
    ANTITUBERCULOSIS = "antituberculosis"
    OUT_OF_SCOPE = "out_of_scope"

    @classmethod
    def parse(cls, raw: object) -> Scope:
        text = compact_code(raw).casefold()
        for scope in cls:
            if scope.value == text:
                return scope
        raise InvalidInput(f"Périmètre inconnu : « {raw} ».", details=[{"field": "scope", "value": str(raw)}])


@dataclass(frozen=True)
class Family:
    """A family of drugs used in indicators (code, French label, scope)."""

    code: str
    label: str
    scope: Scope


@dataclass(frozen=True)
class FamilyTable:
    """ATC prefix -> family; the most specific (longest) matching prefix wins."""

    prefixes: tuple[tuple[str, Family], ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for prefix, _ in self.prefixes:
            if prefix in seen:
                raise InvalidInput(f"Familles ATC : préfixe {prefix} en double.", details=[{"atc_prefix": prefix}])
            seen.add(prefix)
        ordered = tuple(sorted(self.prefixes, key=lambda item: len(item[0]), reverse=True))
        object.__setattr__(self, "prefixes", ordered)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> FamilyTable:
        prefixes = []
        for row in rows:
            code, label = text_field(row, "family_code"), text_field(row, "label_fr")
            if not code or not label:
                raise InvalidInput("Familles ATC : code et libellé de famille obligatoires.")
            family = Family(code=code, label=label, scope=Scope.parse(text_field(row, "scope")))
            prefixes.append((atc_prefix(text_field(row, "atc_prefix")), family))
        return cls(tuple(prefixes))

    def family_of(self, atc: AtcCode | str) -> Family | None:
        code = as_atc(atc)
        for prefix, family in self.prefixes:
            if code.startswith(prefix):
                return family
        return None

    def scope_of(self, atc: AtcCode | str) -> Scope:
        family = self.family_of(atc)
        return family.scope if family else Scope.OUT_OF_SCOPE


@dataclass(frozen=True)
class BroadSpectrumList:
    """ATC prefixes of the broad-spectrum antibiotics (a reference list, not a rule)."""

    prefixes: tuple[str, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> BroadSpectrumList:
        return cls(tuple(atc_prefix(text_field(row, "atc_prefix")) for row in rows))

    def contains(self, atc: AtcCode | str) -> bool:
        code = as_atc(atc)
        return any(code.startswith(prefix) for prefix in self.prefixes)


@cache
def default_families() -> FamilyTable:
    """The shipped families (``chalicelib/reference/atc_families.csv``)."""
    return FamilyTable.from_rows(read_table("atc_families"))


@cache
def default_broad_spectrum() -> BroadSpectrumList:
    """The shipped broad-spectrum list (``chalicelib/reference/broad_spectrum.csv``)."""
    return BroadSpectrumList.from_rows(read_table("broad_spectrum"))


def family_of(atc: AtcCode | str, table: FamilyTable | None = None) -> Family | None:
    return (table or default_families()).family_of(atc)


def scope_of(atc: AtcCode | str, table: FamilyTable | None = None) -> Scope:
    return (table or default_families()).scope_of(atc)


def is_broad_spectrum(atc: AtcCode | str, broad: BroadSpectrumList | None = None) -> bool:
    return (broad or default_broad_spectrum()).contains(atc)
