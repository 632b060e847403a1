"""Rows gathered under one aggregated warning, and the UFs whose isolates are not eligible."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from chalicelib.domain.files.parsed import Issue, eligible_during, no_patient_days_reason
from chalicelib.domain.periods import Period
from chalicelib.domain.structure import Unit

_FIRST_ROWS = 10  # rows listed in an aggregated warning


# --------------------------------------------------------------------------- validation


@dataclass
class Rows:
    """Rows grouped under one aggregated warning: count and first rows."""

    rows: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, row: int) -> None:
        self.count += 1
        if len(self.rows) < _FIRST_ROWS:
            self.rows.append(row)

    def listed(self) -> str:
        """``ligne 4`` or ``lignes 4, 9, …`` (the first rows)."""
        return lines(self.rows, self.count)


def lines(rows: Sequence[int], count: int) -> str:
    shown = ", ".join(str(row) for row in rows[:_FIRST_ROWS]) + (", …" if count > _FIRST_ROWS else "")
    return f"ligne{'s' if count > 1 else ''} {shown}"


def eligibility(period: Period) -> Callable[[Unit], list[Issue]]:
    """A UF without patient-days is not eligible (its message, with the count of isolates, comes later)."""
    return eligible_during(period, lambda unit: None if unit.carries_patient_days else ("uf.not_eligible", "", True))


def not_eligible_message(unit: Unit, count: int) -> str:
    why = no_patient_days_reason(unit)
    plural = "s" if count > 1 else ""
    return f"L'UF « {unit.code_uf} » {why} : {count} isolat{plural} exclu{plural} de la surveillance"
