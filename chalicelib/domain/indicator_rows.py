"""Pooling indicator rows: a value over several rows is the sum of their
numerators over the sum of their denominators, never a mean of values; a row of a
proportion or a density carries the 95 % interval of its counts (DOMAIN.md §10.7)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.indicators import Indicator, ratio
from chalicelib.domain.precision import interval_fields

LOW_N = "effectif_faible"

#: One row of an indicator, as the API gives it: ``{<dimensions>, value, numerator, denominator, n, flag?}``.
Row = dict[str, Any]


@dataclass(frozen=True)
class Counts:
    """Raw sums behind one value (numerator, denominator, n)."""

    numerator: float = 0.0
    denominator: float = 0.0
    n: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.numerator + other.numerator, self.denominator + other.denominator, self.n + other.n)

    def row(self, indicator: Indicator) -> dict[str, Any]:
        """The API's ``{value, numerator, denominator, n, flag?}``, and ``ci_low, ci_high``
        when the indicator's measure has an interval (a proportion, a density)."""
        out: dict[str, Any] = {
            "value": ratio(self.numerator, self.denominator, indicator.multiplier),
            "numerator": round(self.numerator, 3),
            "denominator": round(self.denominator, 3),
            "n": self.n,
            **interval_fields(indicator.measure, self.numerator, self.denominator, indicator.multiplier),
        }
        if self.n < indicator.min_n:
            out["flag"] = LOW_N
        return out


def counts_of(row: Mapping[str, Any]) -> Counts:
    return Counts(float(row["numerator"] or 0), float(row["denominator"] or 0), int(row["n"] or 0))


def pool(rows: Iterable[Mapping[str, Any]]) -> Counts:
    total = Counts()
    for row in rows:
        total = total + counts_of(row)
    return total


def rollup(rows: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], str | None]) -> dict[str | None, Counts]:
    """Rows grouped by ``key`` (e.g. the service of each UF row), counts summed."""
    grouped: dict[str | None, Counts] = {}
    for row in rows:
        found = key(row)
        grouped[found] = grouped.get(found, Counts()) + counts_of(row)
    return grouped
