"""What every part of the establishment report reads: whose report it is, the indicator service's
answers by question key, and the phrases shared by the parts (a value with its unit, a position
among the category, a trend against the previous year)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.reports import french

Answer = Mapping[str, Any]
Row = Mapping[str, Any]

LOW_N = "Effectif inférieur au minimum d'interprétation : valeur à lire avec prudence."


@dataclass(frozen=True)
class Subject:
    """Whose report, for which year, and where its data stand."""

    finess: str
    name: str
    category: str  # code (CHU, CH...)
    region: str  # code
    year: int
    periods: tuple[tuple[str, str], ...]  # (period, status) of the year, as the periods route lists them
    generated_at: datetime
    version: int


class Answers:
    """The indicator service's answers for one year, read by key; an answer missing or refused reads as
    ``{"error": …}``. A trend's years are those of the ``ddj_trend`` answer."""

    def __init__(self, year: int, answers: Mapping[str, Answer]) -> None:
        self.year = year
        self.answers = answers

    def answer(self, key: str) -> Answer:
        return self.answers.get(key) or {"error": "Indicateur non calculé."}

    def rows(self, key: str) -> list[Row]:
        return list(self.answer(key).get("rows") or [])

    def total(self, key: str) -> Row | None:
        rows = self.rows(key)
        return rows[0] if rows else None

    def value(self, key: str) -> float | None:
        row = self.total(key)
        return row.get("value") if row else None

    @property
    def years(self) -> tuple[int, ...]:
        rows = self.rows("ddj_trend")
        found = tuple(sorted({int(r["year"]) for r in rows}))
        return found or (self.year,)

    def trend_values(self, key: str) -> tuple[float | None, ...]:
        by_year: dict[int, float | None] = {}
        for row in self.rows(key):
            by_year.setdefault(int(row["year"]), row.get("value"))
        return tuple(by_year.get(year) for year in self.years)


class Facts(Answers):
    """An establishment's answers, with whose report it is."""

    def __init__(self, subject: Subject, answers: Mapping[str, Answer]) -> None:
        super().__init__(subject.year, answers)
        self.subject = subject


def closed_periods(closed: Sequence[str], year: int) -> str:
    if not closed:
        return "aucune"
    if str(year) in closed:
        return f"année {year} entière"
    return ", ".join(p.replace(f"{year}-", "") for p in closed) + f" {year}"


def unit(value: float | None, unit: str, digits: int = 1) -> str:
    return french.MISSING if value is None else f"{french.decimal(value, digits)} {unit}"


_BANDS = (
    ("p10", "inférieure au P10"),
    ("p25", "entre P10 et P25"),
    ("p50", "entre P25 et la médiane"),
    ("p75", "entre la médiane et P75"),
    ("p90", "entre P75 et P90"),
)


def position(benchmark: Answer, digits: int = 1) -> str:
    """Where the value falls among the category's percentiles, or why it is not placed."""
    if "error" in benchmark:
        return "Position indisponible"
    if benchmark.get("suppressed"):
        return f"Masquée : {benchmark.get('n_establishments', 0)} autre(s) établissement(s) comparable(s) sur 5 requis"
    value, percentiles = benchmark.get("value"), benchmark.get("percentiles") or {}
    if value is None:
        return "Pas de valeur pour l'établissement"
    median = percentiles.get("p50")
    for key, text in _BANDS:
        bound = percentiles.get(key)
        if bound is not None and value < bound:
            return f"{text[0].upper()}{text[1:]} (médiane {french.decimal(median, digits)})"
    return f"Supérieure au P90 (médiane {french.decimal(median, digits)})"


def trend(rows: Sequence[Row], year: int) -> str:
    values = {int(r["year"]): r.get("value") for r in rows}
    current, previous = values.get(year), values.get(year - 1)
    if current is None:
        return french.MISSING
    if previous is None:
        return f"Pas de valeur en {year - 1}"
    delta = french.change(current, previous)
    if delta is None:
        return f"{year - 1} : {french.decimal(previous)}"
    word = "stable" if abs(delta) < 1 else "en hausse" if delta > 0 else "en baisse"
    return f"{word[0].upper()}{word[1:]} : {french.signed_percent(delta)} par rapport à {year - 1} ({french.decimal(previous)})"
