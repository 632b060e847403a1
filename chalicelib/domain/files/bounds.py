"""Plausible bounds of the numbers the files carry (DOMAIN.md §10.2).

A number outside them is a row error that names the bound, never an internal
error: within them, every value fits the 64-bit integers and floats of the lake.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def _french(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Bound:
    """``low <= value <= high`` for the field ``what`` (French, capitalised)."""

    problem: str
    what: str
    high: int
    low: int = 0

    def refusal(self, value: int | Decimal, text: str) -> str | None:
        """The French message when ``value`` (typed as ``text``) is outside the bound, else None."""
        if value > self.high:
            return f"{self.what} invraisemblable : « {text} » (au plus {_french(self.high)} par UF et période)."
        if value < self.low:
            return f"{self.what} invraisemblable : « {text} » (au moins {_french(self.low)} par UF et période)."
        return None

    def read(
        self, parsed: tuple[Decimal | None, tuple[str, str] | None], text: str, unreadable: str
    ) -> tuple[Decimal | None, tuple[str, str] | None]:
        """A number as read (``Cached.decimal_of``) or its problem: ``unreadable`` with the reader's
        message, or this bound's code and message when outside it."""
        value, issue = parsed
        if issue is not None:
            return None, (unreadable, issue[1])
        if value is not None and (refusal := self.refusal(value, text)) is not None:
            return None, (self.problem, refusal)
        return parsed


BEDS = Bound("beds.out_of_bounds", "Nombre de lits", 10_000)
PATIENT_DAYS = Bound("patient_days.out_of_bounds", "Nombre de journées", 1_000_000)
ADMISSIONS = Bound("admissions.out_of_bounds", "Nombre d'entrées", 1_000_000)
QUANTITY = Bound("quantity.out_of_bounds", "Quantité", 10**9, low=-(10**9))
