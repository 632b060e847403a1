"""Value types for identifiers, each with one coercion point.

``Finess.parse("750712184")`` is the only way a FINESS number enters the
domain; the same holds for regions, e-mails and periods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain.errors import InvalidInput

_FINESS = re.compile(r"^(?:\d{2}|2A|2B)\d{7}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REGION = re.compile(r"^\d{2}$")


@dataclass(frozen=True, order=True)
class Code:
    """An identifier that passed its type's ``parse``, written as its value."""

    value: str

    def __str__(self) -> str:
        return self.value


def invalid_code(field: str, raw: object, message: str) -> InvalidInput:
    """The error for a code that does not parse: ``message``, with the field and the value as typed."""
    return InvalidInput(message, details=[{"field": field, "value": str(raw)}])


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass(frozen=True, order=True)
class Finess(Code):
    """A FINESS number: 9 characters, department prefix then 7 digits.

    Numeric FINESS numbers end with a Luhn check digit; Corsican ones (2A, 2B)
    are checked for shape only.
    """

    @classmethod
    def parse(cls, raw: object) -> Finess:
        text = str(raw or "").strip().upper()
        if not _FINESS.match(text):
            raise invalid_code("finess", raw, f"Numéro FINESS invalide : « {raw} » (9 caractères attendus).")
        if text.isdigit() and not _luhn_ok(text):
            raise invalid_code("finess", raw, f"Numéro FINESS invalide : « {raw} » (clé de contrôle incorrecte).")
        return cls(text)


@dataclass(frozen=True, order=True)
class RegionCode(Code):
    """An INSEE region code (2 digits)."""

    @classmethod
    def parse(cls, raw: object) -> RegionCode:
        text = str(raw or "").strip()
        if not _REGION.match(text):
            raise invalid_code("region", raw, f"Code région invalide : « {raw} » (code INSEE à 2 chiffres attendu).")
        return cls(text)


@dataclass(frozen=True, order=True)
class Email(Code):
    """An e-mail address, normalised to lower case: the identity of a person."""

    @classmethod
    def parse(cls, raw: object) -> Email:
        text = str(raw or "").strip().lower()
        if len(text) > 254 or not _EMAIL.match(text):
            raise invalid_code("email", raw, f"Adresse e-mail invalide : « {raw} ».")
        return cls(text)
