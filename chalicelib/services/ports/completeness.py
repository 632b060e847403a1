"""What the stores hold of one year, for every establishment at once (completeness, reminders)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from chalicelib.domain.codes import Finess
from chalicelib.domain.completeness import YearFacts


class YearRecords(Protocol):
    def of_year(self, year: int, establishments: Collection[Finess] | None = None) -> dict[str, YearFacts]:
        """By FINESS, every establishment (of ``establishments``; None: all) that has anything of ``year``:
        its current datasets, its files waiting (mapping, catalogue), its closed periods and its
        periodicities. Read in bulk, never one store call per establishment and table in sequence."""
        ...
