"""Drugs: UCD and ATC codes, WHO defined daily doses (DDD, "DDJ") and families.

A consumption line names a product by its UCD code and a quantity of dispensed
units. The drug catalogue gives, per UCD, the ATC code, the route and the amount
of the reference substance of the WHO DDD per unit; the versioned WHO ATC/DDD
table gives the DDD. ``ddd_of_line`` multiplies and divides, with explicit unit
checks: a missing DDD or an incompatible unit is an error, never a guess.

The reference data (``who_atc_ddd``, ``atc_families``, ``broad_spectrum``,
``drug_catalogue_demo``) lives in ``chalicelib/reference`` with its provenance
(``PROVENANCE_DRUGS.md``); every table here can also be built from other rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache

from chalicelib.domain.errors import InvalidInput, Unprocessable
from chalicelib.reference import read_table

# --------------------------------------------------------------------------- codes

UCD13_PREFIX = "34008"
_DIGITS = re.compile(r"^\d+$")
_ATC = re.compile(r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")
_ATC_PREFIX = re.compile(r"^[A-Z](?:\d{2}(?:[A-Z](?:[A-Z](?:\d{2})?)?)?)?$")


def ean13_check_digit(first_twelve: str) -> int:
    """EAN-13 check digit of 12 digits (weights 1, 3, 1, 3... from the left)."""
    total = sum(int(char) * (3 if position % 2 else 1) for position, char in enumerate(first_twelve))
    return (10 - total % 10) % 10


def _compact(raw: object) -> str:
    """The text of ``raw`` with every space removed."""
    return "".join(str("" if raw is None else raw).split())


@dataclass(frozen=True, order=True)
class Ucd:
    """A UCD code ("unité commune de dispensation"), always held as its 7 digits.

    Accepted forms: the 7 digits, or the 13-digit code ``34008`` + the 7 digits +
    an EAN-13 check digit. Both name the same product and give the same value.
    Leading zeros are significant; spaces are ignored.
    """

    value: str

    @classmethod
    def parse(cls, raw: object) -> Ucd:
        text = _compact(raw)
        details = [{"field": "code_ucd", "value": str(raw)}]
        if not _DIGITS.match(text) or len(text) not in (7, 13):
            raise InvalidInput(
                f"Code UCD invalide : « {raw} » (7 chiffres, ou 13 chiffres commençant par 34008, attendus).",
                details=details,
            )
        if len(text) == 7:
            return cls(text)
        if not text.startswith(UCD13_PREFIX):
            raise InvalidInput(
                f"Code UCD invalide : « {raw} » (un code UCD à 13 chiffres commence par 34008).",
                details=details,
            )
        if ean13_check_digit(text[:12]) != int(text[12]):
            raise InvalidInput(f"Code UCD invalide : « {raw} » (clé de contrôle incorrecte).", details=details)
        return cls(text[5:12])

    @property
    def ucd13(self) -> str:
        """The 13-digit form of this code."""
        first_twelve = UCD13_PREFIX + self.value
        return first_twelve + str(ean13_check_digit(first_twelve))

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class AtcCode:
    """A WHO ATC code at the chemical-substance level (7 characters, e.g. J01CR02)."""

    value: str

    @classmethod
    def parse(cls, raw: object) -> AtcCode:
        text = _compact(raw).upper()
        if not _ATC.match(text):
            raise InvalidInput(
                f"Code ATC invalide : « {raw} » (7 caractères attendus, par exemple J01CR02).",
                details=[{"field": "atc", "value": str(raw)}],
            )
        return cls(text)

    def startswith(self, prefix: str) -> bool:
        return self.value.startswith(prefix)

    def __str__(self) -> str:
        return self.value


def _atc(raw: AtcCode | str) -> AtcCode:
    return raw if isinstance(raw, AtcCode) else AtcCode.parse(raw)


def _atc_prefix(raw: object) -> str:
    text = _compact(raw).upper()
    if not _ATC_PREFIX.match(text):
        raise InvalidInput(f"Préfixe ATC invalide : « {raw} ».", details=[{"field": "atc_prefix", "value": str(raw)}])
    return text


class Route(Enum):
    """WHO administration route codes, as in the ATC/DDD index."""

    ORAL = "O"
    PARENTERAL = "P"
    RECTAL = "R"
    VAGINAL = "V"
    NASAL = "N"
    SUBLINGUAL = "SL"
    TRANSDERMAL = "TD"
    INHALED_AEROSOL = "Inhal.aerosol"
    INHALED_POWDER = "Inhal.powder"
    INHALED_SOLUTION = "Inhal.solution"

    @classmethod
    def parse(cls, raw: object) -> Route:
        text = _compact(raw).casefold()
        for route in cls:
            if route.value.casefold() == text:
                return route
        known = ", ".join(route.value for route in cls)
        raise InvalidInput(
            f"Voie d'administration inconnue : « {raw} » (codes OMS attendus : {known}).",
            details=[{"field": "route", "value": str(raw)}],
        )

    @property
    def is_systemic(self) -> bool:
        """Oral, parenteral and rectal forms act systemically (default; inhaled forms do not)."""
        return self in (Route.ORAL, Route.PARENTERAL, Route.RECTAL)


class Unit(Enum):
    """Units of a DDD and of a catalogue strength."""

    G = "g"
    MG = "mg"
    MCG = "mcg"
    MU = "MU"  # million international units
    UD = "UD"  # unit doses (WHO combined products; the convention is stated in the table's note)

    @classmethod
    def parse(cls, raw: object) -> Unit:
        text = _compact(raw)
        for unit in cls:
            if unit.value.casefold() == text.casefold():
                return unit
        known = ", ".join(unit.value for unit in cls)
        raise InvalidInput(
            f"Unité inconnue : « {raw} » (unités attendues : {known}).",
            details=[{"field": "unit", "value": str(raw)}],
        )


_GRAMS_PER_UNIT = {Unit.G: Decimal(1), Unit.MG: Decimal("0.001"), Unit.MCG: Decimal("0.000001")}


def convert(amount: Decimal, source: Unit, target: Unit) -> Decimal | None:
    """``amount`` expressed in ``target``, or None when the units cannot be converted.

    Masses convert between themselves; MU and UD only to themselves.
    """
    if source is target:
        return amount
    if source in _GRAMS_PER_UNIT and target in _GRAMS_PER_UNIT:
        return amount * _GRAMS_PER_UNIT[source] / _GRAMS_PER_UNIT[target]
    return None


def _decimal(raw: object, field_name: str, label: str) -> Decimal:
    if isinstance(raw, bool):
        raise InvalidInput(f"{label} invalide : « {raw} ».", details=[{"field": field_name, "value": str(raw)}])
    text = _compact(raw).replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InvalidInput(f"{label} invalide : « {raw} » (nombre attendu).", details=[{"field": field_name, "value": str(raw)}])
    return value


def _text(row: Mapping[str, str], key: str) -> str:
    return (row.get(key) or "").strip()


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
        version_text = _text(row, "version")
        if not (version_text.isdigit() and len(version_text) == 4):
            raise InvalidInput(
                f"Version de table ATC/DDD invalide : « {version_text} » (année attendue).",
                details=[{"field": "version", "value": version_text}],
            )
        value = _decimal(_text(row, "ddd_value"), "ddd_value", "Valeur de DDJ")
        if value <= 0:
            raise InvalidInput(
                f"Valeur de DDJ invalide : « {value} » (nombre positif attendu).",
                details=[{"field": "ddd_value", "value": str(value)}],
            )
        substance = _text(row, "substance")
        return cls(
            version=int(version_text),
            atc=AtcCode.parse(_text(row, "atc_code")),
            substance=substance,
            route=Route.parse(_text(row, "route")),
            value=value,
            unit=Unit.parse(_text(row, "ddd_unit")),
            refers_to=_text(row, "refers_to") or substance,
            note=_text(row, "note"),
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
        return self._index.get((self.version_for(year), _atc(atc), route), ())

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
        strength = _decimal(_text(row, "strength"), "strength", "Dosage")
        if strength <= 0:
            raise InvalidInput(
                f"Dosage invalide : « {strength} » (nombre positif attendu).",
                details=[{"field": "strength", "value": str(strength)}],
            )
        label = _text(row, "label")
        substance = _text(row, "substance")
        if not label or not substance:
            raise InvalidInput(
                "Entrée de catalogue incomplète : libellé et substance sont obligatoires.",
                details=[{"field": "label" if not label else "substance", "value": ""}],
            )
        return cls(
            ucd=Ucd.parse(_text(row, "ucd")),
            label=label,
            substance=substance,
            atc=AtcCode.parse(_text(row, "atc")),
            route=Route.parse(_text(row, "route")),
            strength=strength,
            strength_unit=Unit.parse(_text(row, "strength_unit")),
            form=_text(row, "form"),
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
    units = _decimal(quantity, "quantite", "Quantité")
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
    if strength is None:
        raise Unprocessable(
            f"Unités incompatibles pour {product} : dosage en {entry.strength_unit.value}, "
            f"DDJ de l'OMS de {entry.atc} en {who.unit.value}.",
            details=details,
            code="ERR_DDD_UNIT",
        )
    amount = units * strength
    return DddResult(ddd=amount / who.value, amount=amount, who_ddd=who)


# --------------------------------------------------------------------------- families


class Scope(Enum):
    """Which surveillance a drug belongs to (DOMAIN.md §4.4)."""

    ANTIBIOTIC = "antibiotic"
    ANTIFUNGAL = "antifungal"
    ANTITUBERCULOSIS = "antituberculosis"
    OUT_OF_SCOPE = "out_of_scope"

    @classmethod
    def parse(cls, raw: object) -> Scope:
        text = _compact(raw).casefold()
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
            code, label = _text(row, "family_code"), _text(row, "label_fr")
            if not code or not label:
                raise InvalidInput("Familles ATC : code et libellé de famille obligatoires.")
            family = Family(code=code, label=label, scope=Scope.parse(_text(row, "scope")))
            prefixes.append((_atc_prefix(_text(row, "atc_prefix")), family))
        return cls(tuple(prefixes))

    def family_of(self, atc: AtcCode | str) -> Family | None:
        code = _atc(atc)
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
        return cls(tuple(_atc_prefix(_text(row, "atc_prefix")) for row in rows))

    def contains(self, atc: AtcCode | str) -> bool:
        code = _atc(atc)
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
