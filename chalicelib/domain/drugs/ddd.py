"""The WHO ATC/DDD table (versioned) and the number of DDD of one consumption line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from chalicelib.domain.drugs.catalogue import CatalogueEntry
from chalicelib.domain.drugs.codes import AtcCode, Route, Unit, as_atc, convert, decimal_field, positive_decimal_field, text_field
from chalicelib.domain.drugs.unit_doses import unit_doses
from chalicelib.domain.errors import InvalidInput, Unprocessable
from chalicelib.reference import read_table

# --------------------------------------------------------------------------- WHO DDD


@dataclass(frozen=True)
class Ddd:
    """One WHO DDD: a substance, a route, a value and unit, for one table version (a year)."""

    version: int
    atc: AtcCode
    substance: str
    route: Route
    value: Decimal
    unit: Unit
    refers_to: str
    note: str = ""

    @classmethod
    def parse(cls, row: Mapping[str, str]) -> Ddd:
        version_text = text_field(row, "version")
        if not (version_text.isdigit() and len(version_text) == 4):
            raise InvalidInput(
                f"Version de table ATC/DDD invalide : « {version_text} » (année attendue).",
                details=[{"field": "version", "value": version_text}],
            )
        value = positive_decimal_field(text_field(row, "ddd_value"), "ddd_value", "Valeur de DDJ")
        substance = text_field(row, "substance")
        return cls(
            version=int(version_text),
            atc=AtcCode.parse(text_field(row, "atc_code")),
            substance=substance,
            route=Route.parse(text_field(row, "route")),
            value=value,
            unit=Unit.parse(text_field(row, "ddd_unit")),
            refers_to=text_field(row, "refers_to") or substance,
            note=text_field(row, "note"),
        )

    @property
    def qualifier(self) -> str:
        """WHO's qualifier of a variant DDD (e.g. "lipid formulations"), empty for the plain DDD."""
        match = re.search(r"\(([^()]*)\)$", self.substance)
        return match.group(1) if match else ""


_DddKey = tuple[int, AtcCode, Route]


@dataclass(frozen=True)
class DddTable:
    """The WHO ATC/DDD table, by version (the year of the WHO index).

    The version used for data of a given year is the latest version not after
    that year; data older than every version use the oldest version (the result
    always names the version used). When WHO gives several DDDs for one code and
    route (e.g. amphotericin B and its lipid formulations), the row whose
    substance equals the catalogue substance wins, otherwise the plain row.
    """

    rows: tuple[Ddd, ...]
    _index: dict[_DddKey, tuple[Ddd, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.rows:
            raise InvalidInput("La table ATC/DDD de l'OMS est vide.")
        index: dict[_DddKey, list[Ddd]] = {}
        seen: set[tuple[int, AtcCode, Route, str]] = set()
        for row in self.rows:
            unique = (row.version, row.atc, row.route, row.substance.casefold())
            if unique in seen:
                raise InvalidInput(
                    f"Table ATC/DDD : ligne en double pour {row.atc} ({row.substance}, voie {row.route.value}, "
                    f"version {row.version}).",
                    details=[{"atc": str(row.atc), "route": row.route.value, "version": row.version}],
                )
            seen.add(unique)
            index.setdefault((row.version, row.atc, row.route), []).append(row)
        object.__setattr__(self, "_index", {key: tuple(value) for key, value in index.items()})

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> DddTable:
        return cls(tuple(Ddd.parse(row) for row in rows))

    @property
    def versions(self) -> tuple[int, ...]:
        return tuple(sorted({row.version for row in self.rows}))

    def version_for(self, year: int) -> int:
        """The table version that applies to data of ``year``."""
        if isinstance(year, bool) or not isinstance(year, int):
            raise InvalidInput(f"Année invalide : « {year} ».", details=[{"field": "year", "value": str(year)}])
        earlier = [version for version in self.versions if version <= year]
        return max(earlier) if earlier else self.versions[0]

    def candidates(self, atc: AtcCode | str, route: Route, year: int) -> tuple[Ddd, ...]:
        """Every DDD WHO gives for ``atc`` by ``route`` in the version for ``year``."""
        return self._index.get((self.version_for(year), as_atc(atc), route), ())

    def ddd(self, atc: AtcCode | str, route: Route, year: int, substance: str | None = None) -> Ddd | None:
        """The DDD for ``atc`` by ``route`` for data of ``year``, or None when WHO gives none."""
        candidates = self.candidates(atc, route, year)
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if substance:
            wanted = substance.strip().casefold()
            for row in candidates:
                if row.substance.casefold() == wanted:
                    return row
        plain = [row for row in candidates if not row.qualifier]
        return plain[0] if len(plain) == 1 else None


@cache
def default_ddd_table() -> DddTable:
    """The shipped WHO ATC/DDD table (``chalicelib/reference/who_atc_ddd.csv``)."""
    return DddTable.from_rows(read_table("who_atc_ddd"))


# --------------------------------------------------------------------------- DDD of a line


@dataclass(frozen=True)
class DddResult:
    """The DDDs of one consumption line and how they were obtained."""

    ddd: Decimal  # number of defined daily doses
    amount: Decimal  # quantity x strength, in the unit of the WHO DDD
    who_ddd: Ddd  # the WHO row used (value, unit, version)

    @property
    def version(self) -> int:
        return self.who_ddd.version

    @property
    def unit(self) -> Unit:
        return self.who_ddd.unit


def ddd_of_line(quantity: Decimal | int | float | str, entry: CatalogueEntry, table: DddTable, year: int) -> DddResult:
    """quantity x strength / WHO DDD(ATC, route) of the table version for ``year``.

    Raises ``Unprocessable`` when WHO gives no DDD for the product's code and
    route, or when the strength's unit cannot be expressed in the DDD's unit.
    """
    units = decimal_field(quantity, "quantite", "Quantité")
    who = table.ddd(entry.atc, entry.route, year, substance=entry.substance)
    product = f"« {entry.label} » (UCD {entry.ucd})"
    details = [{"ucd": str(entry.ucd), "atc": str(entry.atc), "route": entry.route.value, "year": year}]
    if who is None:
        version = table.version_for(year)
        variants = table.candidates(entry.atc, entry.route, year)
        hint = (
            " ; plusieurs DDJ existent, la substance du catalogue doit en nommer une : "
            + ", ".join(row.substance for row in variants)
            if variants
            else ""
        )
        raise Unprocessable(
            f"Aucune DDJ de l'OMS pour {entry.atc} par voie {entry.route.value} dans la table ATC/DDD {version} : "
            f"impossible de calculer les DDJ de {product}{hint}.",
            details=details,
            code="ERR_DDD_MISSING",
        )
    strength = convert(entry.strength, entry.strength_unit, who.unit)
    if strength is None and who.unit is Unit.UD:  # a combined product's mass, in unit doses by the table's convention
        strength = unit_doses(entry.atc, entry.substance, entry.strength, entry.strength_unit)
    if strength is None:
        raise Unprocessable(
            f"Unités incompatibles pour {product} : dosage en {entry.strength_unit.value}, "
            f"DDJ de l'OMS de {entry.atc} en {who.unit.value}.",
            details=details,
            code="ERR_DDD_UNIT",
        )
    amount = units * strength
    return DddResult(ddd=amount / who.value, amount=amount, who_ddd=who)
