"""Drug codes: UCD (13 and 7 digits), ATC, routes and units of the WHO DDD."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from chalicelib.domain.codes import Code, invalid_code
from chalicelib.domain.errors import InvalidInput

# --------------------------------------------------------------------------- codes

UCD13_PREFIX = "34008"
_DIGITS = re.compile(r"^\d+$")
_ATC = re.compile(r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")
_ATC_PREFIX = re.compile(r"^[A-Z](?:\d{2}(?:[A-Z](?:[A-Z](?:\d{2})?)?)?)?$")


def ean13_check_digit(first_twelve: str) -> int:
    """EAN-13 check digit of 12 digits (weights 1, 3, 1, 3... from the left)."""
    total = sum(int(char) * (3 if position % 2 else 1) for position, char in enumerate(first_twelve))
    return (10 - total % 10) % 10


def compact_code(raw: object) -> str:
    """The text of ``raw`` with every space removed."""
    return "".join(str("" if raw is None else raw).split())


@dataclass(frozen=True, order=True)
class Ucd(Code):
    """A UCD code ("unité commune de dispensation"), always held as its 7 digits.

    Accepted forms: the 7 digits, or the 13-digit code ``34008`` + the 7 digits +
    an EAN-13 check digit. Both name the same product and give the same value.
    Leading zeros are significant; spaces are ignored.
    """

    @classmethod
    def parse(cls, raw: object) -> Ucd:
        text = compact_code(raw)
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


@dataclass(frozen=True, order=True)
class AtcCode(Code):
    """A WHO ATC code at the chemical-substance level (7 characters, e.g. J01CR02)."""

    @classmethod
    def parse(cls, raw: object) -> AtcCode:
        text = compact_code(raw).upper()
        if not _ATC.match(text):
            raise invalid_code("atc", raw, f"Code ATC invalide : « {raw} » (7 caractères attendus, par exemple J01CR02).")
        return cls(text)

    def startswith(self, prefix: str) -> bool:
        return self.value.startswith(prefix)


def as_atc(raw: AtcCode | str) -> AtcCode:
    return raw if isinstance(raw, AtcCode) else AtcCode.parse(raw)


def atc_prefix(raw: object) -> str:
    text = compact_code(raw).upper()
    if not _ATC_PREFIX.match(text):
        raise invalid_code("atc_prefix", raw, f"Préfixe ATC invalide : « {raw} ».")
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
        text = compact_code(raw).casefold()
        for route in cls:
            if route.value.casefold() == text:
                return route
        known = ", ".join(route.value for route in cls)
        raise invalid_code("route", raw, f"Voie d'administration inconnue : « {raw} » (codes OMS attendus : {known}).")

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
        text = compact_code(raw)
        for unit in cls:
            if unit.value.casefold() == text.casefold():
                return unit
        known = ", ".join(unit.value for unit in cls)
        raise invalid_code("unit", raw, f"Unité inconnue : « {raw} » (unités attendues : {known}).")


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


def decimal_field(raw: object, field_name: str, label: str) -> Decimal:
    if isinstance(raw, bool):
        raise InvalidInput(f"{label} invalide : « {raw} ».", details=[{"field": field_name, "value": str(raw)}])
    text = compact_code(raw).replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InvalidInput(f"{label} invalide : « {raw} » (nombre attendu).", details=[{"field": field_name, "value": str(raw)}])
    return value


def positive_decimal_field(raw: object, field_name: str, label: str) -> Decimal:
    """A number greater than zero (a strength, a DDD): ``decimal_field``, then the sign checked."""
    value = decimal_field(raw, field_name, label)
    if value <= 0:
        raise InvalidInput(
            f"{label} invalide : « {value} » (nombre positif attendu).", details=[{"field": field_name, "value": str(value)}]
        )
    return value


def text_field(row: Mapping[str, str], key: str) -> str:
    return (row.get(key) or "").strip()
