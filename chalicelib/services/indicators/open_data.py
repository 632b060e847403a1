"""Open data cells: per-establishment rows summed into a region's or the nation's
cells, each suppressed when built from fewer than 3 establishments or, for
resistance, fewer than 10 isolates (DOMAIN.md §7). A cell shown carries the 95 %
interval of its summed counts (DOMAIN.md §10.7); a suppressed cell keeps nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.domain.indicator_rows import Counts
from chalicelib.domain.indicators import DEDUP_RULE, Indicator

MIN_ESTABLISHMENTS = 3
MIN_ISOLATES = 10
#: The dimensions a cell is keyed by (never the establishment).
CELL_DIMENSIONS = ("family", "molecule", "route", "sector", "specialty", "species_group", "species", "carbapenemase")
_NOT_DIMENSIONS = ("value", "numerator", "denominator", "n", "flag", "establishment", "label", "ci_low", "ci_high")
#: What a cell shown tells of its counts.
_SHOWN = ("value", "ci_low", "ci_high", "n")


def open_cells(rows: Iterable[Mapping[str, Any]], indicator: Indicator) -> list[dict[str, Any]]:
    resistance = DEDUP_RULE in indicator.rule
    cells: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = next((str(row[d]) for d in CELL_DIMENSIONS if d in row), "total")
        if "antibiotic" in row:
            key += "|" + str(row["antibiotic"])
        cell = cells.setdefault(key, {"numerator": 0.0, "denominator": 0.0, "n": 0, "establishments": 0, "dims": row})
        cell["numerator"] += row["numerator"]
        cell["denominator"] += row["denominator"]
        cell["n"] += row["n"]
        cell["establishments"] += 1
    out = []
    for cell in cells.values():
        dims = {k: v for k, v in cell["dims"].items() if k not in _NOT_DIMENSIONS}
        if cell["establishments"] < MIN_ESTABLISHMENTS or (resistance and cell["n"] < MIN_ISOLATES):
            out.append({**dims, "value": None, "suppressed": True})
        else:
            counts = Counts(cell["numerator"], cell["denominator"], cell["n"]).row(indicator)
            out.append({**dims, **{k: counts[k] for k in _SHOWN if k in counts}, "establishments": cell["establishments"]})
    return out
