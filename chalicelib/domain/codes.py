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
class Finess:
    """A FINESS number: 9 characters, department prefix then 7 digits.

    Numeric FINESS numbers end with a Luhn check digit; Corsican ones (2A, 2B)
    are checked for shape only.
    """

    value: str

    @classmethod
    def parse(cls, raw: object) -> Finess:
        text = str(raw or "").strip().upper()
        if not _FINESS.match(text):
            raise InvalidInput(
                f"Numéro FINESS invalide : « {raw} » (9 caractères attendus).",
                details=[{"field": "finess", "value": str(raw)}],
            )
        if text.isdigit() and not _luhn_ok(text):
            raise InvalidInput(
                f"Numéro FINESS invalide : « {raw} » (clé de contrôle incorrecte).",
                details=[{"field": "finess", "value": str(raw)}],
            )
        return cls(text)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class RegionCode:
    """An INSEE region code (2 digits)."""

    value: str

    @classmethod
    def parse(cls, raw: object) -> RegionCode:
        text = str(raw or "").strip()
        if not _REGION.match(text):
            raise InvalidInput(
                f"Code région invalide : « {raw} » (code INSEE à 2 chiffres attendu).",
                details=[{"field": "region", "value": str(raw)}],
            )
        return cls(text)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Email:
    """An e-mail address, normalised to lower case: the identity of a person."""

    value: str

    @classmethod
    def parse(cls, raw: object) -> Email:
        text = str(raw or "").strip().lower()
        if len(text) > 254 or not _EMAIL.match(text):
            raise InvalidInput(
                f"Adresse e-mail invalide : « {raw} ».",
                details=[{"field": "email", "value": str(raw)}],
            )
        return cls(text)

    def __str__(self) -> str:
        return self.value
