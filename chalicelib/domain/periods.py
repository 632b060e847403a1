"""Periods: a quarter (``2025-T1``) or a year (``2025``) (DOMAIN.md §3)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.domain.errors import InvalidInput

_PERIOD = re.compile(r"^(\d{4})(?:-T([1-4]))?$")


class Periodicity(enum.StrEnum):
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None  # None: the whole year

    @classmethod
    def parse(cls, raw: object) -> Period:
        text = str(raw or "").strip().upper().replace(" ", "")
        text = re.sub(r"^(\d{4})-?T([1-4])$", r"\1-T\2", text)
        found = _PERIOD.match(text)
        if not found or not 2000 <= int(found.group(1)) <= 2100:
            raise InvalidInput(
                f"Période invalide : « {raw} » (attendu : une année comme 2025 ou un trimestre comme 2025-T1).",
                details=[{"field": "period", "value": str(raw)}],
            )
        return cls(int(found.group(1)), int(found.group(2)) if found.group(2) else None)

    @property
    def periodicity(self) -> Periodicity:
        return Periodicity.YEAR if self.quarter is None else Periodicity.QUARTER

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> date:
        if self.quarter is None or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def quarters(self) -> tuple[Period, ...]:
        """The quarters this period covers (itself if a quarter)."""
        if self.quarter is not None:
            return (self,)
        return tuple(Period(self.year, q) for q in range(1, 5))

    def __str__(self) -> str:
        return str(self.year) if self.quarter is None else f"{self.year}-T{self.quarter}"


def in_order(periods: Iterable[Period]) -> list[Period]:
    """Chronological, a year before its quarters (``sorted`` cannot compare a year with a quarter)."""
    return sorted(periods, key=lambda p: (p.year, p.quarter or 0))
