"""The drug catalogue: per UCD, the ATC code, the route and the amount of the DDD's substance per unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from chalicelib.domain.drugs.codes import AtcCode, Route, Ucd, Unit, positive_decimal_field, text_field
from chalicelib.domain.errors import InvalidInput
from chalicelib.reference import read_table

# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class CatalogueEntry:
    """One product of the drug catalogue.

    ``strength`` is the amount of the WHO DDD's reference substance per dispensed
    unit (amoxicillin for amoxicillin-clavulanate, the whole bottle for a
    suspension), in ``strength_unit``.
    """

    ucd: Ucd
    label: str
    substance: str
    atc: AtcCode
    route: Route
    strength: Decimal
    strength_unit: Unit
    form: str

    @classmethod
    def parse(cls, row: Mapping[str, str]) -> CatalogueEntry:
        strength = positive_decimal_field(text_field(row, "strength"), "strength", "Dosage")
        label = text_field(row, "label")
        substance = text_field(row, "substance")
        if not label or not substance:
            raise InvalidInput(
                "Entrée de catalogue incomplète : libellé et substance sont obligatoires.",
                details=[{"field": "label" if not label else "substance", "value": ""}],
            )
        return cls(
            ucd=Ucd.parse(text_field(row, "ucd")),
            label=label,
            substance=substance,
            atc=AtcCode.parse(text_field(row, "atc")),
            route=Route.parse(text_field(row, "route")),
            strength=strength,
            strength_unit=Unit.parse(text_field(row, "strength_unit")),
            form=text_field(row, "form"),
        )


@dataclass(frozen=True)
class Catalogue:
    """Catalogue entries by UCD (one entry per UCD)."""

    entries: tuple[CatalogueEntry, ...]
    _by_ucd: dict[Ucd, CatalogueEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_ucd: dict[Ucd, CatalogueEntry] = {}
        for entry in self.entries:
            if entry.ucd in by_ucd:
                raise InvalidInput(f"Catalogue : code UCD {entry.ucd} en double.", details=[{"ucd": str(entry.ucd)}])
            by_ucd[entry.ucd] = entry
        object.__setattr__(self, "_by_ucd", by_ucd)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Catalogue:
        return cls(tuple(CatalogueEntry.parse(row) for row in rows))

    def get(self, ucd: Ucd | str) -> CatalogueEntry | None:
        return self._by_ucd.get(ucd if isinstance(ucd, Ucd) else Ucd.parse(ucd))

    def __len__(self) -> int:
        return len(self.entries)


@cache
def demo_catalogue() -> Catalogue:
    """The small catalogue shipped for the demo (synthetic UCD codes, real products)."""
    return Catalogue.from_rows(read_table("drug_catalogue_demo"))
