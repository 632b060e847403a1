"""Open data cells: a region's or the nation's rows — the very rows its dashboards show,
from the same computation — each suppressed when built from fewer than 3 establishments
or, for resistance, fewer than 10 isolates (DOMAIN.md §7). The establishments behind a
cell are counted from the same computation per establishment. A cell shown carries its
value and 95 % interval (DOMAIN.md §10.7); a suppressed cell keeps nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.domain.antibiogram import VALUE_FIELDS
from chalicelib.domain.indicators import Indicator, counts_isolates

MIN_ESTABLISHMENTS = 3
MIN_ISOLATES = 10
#: The dimensions a cell is keyed by (never the establishment).
CELL_DIMENSIONS = ("family", "molecule", "route", "sector", "specialty", "period", "species_group", "species", "carbapenemase",
                   "aware")  # fmt: skip
_NOT_DIMENSIONS = ("value", "numerator", "denominator", "n", "flag", "establishment", "label", "ci_low", "ci_high",
                   *VALUE_FIELDS)  # fmt: skip
#: What a cell shown tells of its counts (a cumulative antibiogram's: its three percentages and their intervals too).
_SHOWN = ("value", "ci_low", "ci_high", "n", *(f for f in VALUE_FIELDS if f != "isolates"))


def cell_key(row: Mapping[str, Any]) -> str:
    key = next((str(row[d]) for d in CELL_DIMENSIONS if d in row), "total")
    if "antibiotic" in row:
        key += "|" + str(row["antibiotic"])
    return key


def open_cells(
    rows: Iterable[Mapping[str, Any]], per_establishment: Iterable[Mapping[str, Any]], indicator: Indicator
) -> list[dict[str, Any]]:
    """``rows``: the scope's rows; ``per_establishment``: the same computation by establishment."""
    resistance = counts_isolates(indicator.rule)
    behind: dict[str, set[str]] = {}
    for row in per_establishment:
        behind.setdefault(cell_key(row), set()).add(str(row["establishment"]))
    out = []
    for row in rows:
        dims = {k: v for k, v in row.items() if k not in _NOT_DIMENSIONS}
        establishments = len(behind.get(cell_key(row), ()))
        if establishments < MIN_ESTABLISHMENTS or (resistance and row["n"] < MIN_ISOLATES):
            out.append({**dims, "value": None, "suppressed": True})
        else:
            out.append({**dims, **{k: row[k] for k in _SHOWN if k in row}, "establishments": establishments})
    return out
