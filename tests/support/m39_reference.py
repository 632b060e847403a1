"""The cumulative antibiogram written out in plain Python from DOMAIN.md §10.10 and CLSI M39, sharing
nothing with the platform's code: the first isolate per patient × species of the year (earliest
specimen date, then the most antibiotics tested, then file order), screening specimens excluded,
within the chosen specimen category and sector; per species × antibiotic, % S, % SFP (a legacy I too)
and % R among those first isolates tested, with Wilson's 95 % interval written from its formula; a
species shown from 30 first isolates, named among those left out below."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

Z = 1.959963984540054


@dataclass(frozen=True)
class Specimen:
    """One isolate as the reference reads it; ``order``: its place in the file (upload, row)."""

    establishment: str
    patient: str
    species: str
    when: date
    specimen: str  # the specimen category (or a screening label's category: see ``screening``)
    sector: str | None
    order: tuple[Any, ...]
    results: dict[str, str] = field(default_factory=dict)  # antibiotic -> S | SFP | I | R
    screening: bool = False


def wilson_percent(x: int, n: int) -> list[float]:
    """(p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n), in %, rounded as the API rounds."""
    p = x / n
    centre, half = p + Z * Z / (2 * n), Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    low = 0.0 if x == 0 else max(0.0, (centre - half) / (1 + Z * Z / n))
    high = 1.0 if x == n else min(1.0, (centre + half) / (1 + Z * Z / n))
    return [round(low * 100, 3), round(high * 100, 3)]


def first_isolates(isolates: Iterable[Specimen], keep: Callable[[Specimen], bool] = lambda _s: True) -> list[Specimen]:
    """M39: among the diagnostic isolates ``keep`` lets through, the first per establishment × patient × species."""
    firsts: dict[tuple[str, str, str], Specimen] = {}
    for isolate in isolates:
        if isolate.screening or not keep(isolate):
            continue
        key = (isolate.establishment, isolate.patient, isolate.species)
        rank = (isolate.when, -len(isolate.results), isolate.order)
        held = firsts.get(key)
        if held is None or rank < (held.when, -len(held.results), held.order):
            firsts[key] = isolate
    return list(firsts.values())


def antibiogram(
    isolates: Sequence[Specimen], specimen: str | None = None, sector: str | None = None, per_es: bool = False,
    minimum: int = 30,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """The API's rows (shown species) and the species left out (``{species, isolates}``, most first)."""
    chosen = first_isolates(isolates, lambda i: (specimen is None or i.specimen == specimen)
                            and (sector is None or i.sector == sector))  # fmt: skip
    per_species: dict[tuple[str, str], list[Specimen]] = {}
    for isolate in chosen:
        per_species.setdefault((isolate.establishment if per_es else "", isolate.species), []).append(isolate)
    rows, below = [], []
    for (establishment, species), found in sorted(per_species.items()):
        if not per_es and len(found) < minimum:
            below.append({"species": species, "isolates": len(found)})
            continue
        for antibiotic in sorted({a for i in found for a in i.results}):
            results = [i.results[antibiotic] for i in found if antibiotic in i.results]
            s, sfp, r = results.count("S"), results.count("SFP") + results.count("I"), results.count("R")
            n = s + sfp + r
            row = {"species": species, "antibiotic": antibiotic, "n": n, "isolates": len(found),
                   "pct_s": round(s / n * 100, 3), "pct_sfp": round(sfp / n * 100, 3), "pct_r": round(r / n * 100, 3),
                   "pct_s_ci": wilson_percent(s, n), "pct_sfp_ci": wilson_percent(sfp, n),
                   "ci_low": wilson_percent(r, n)[0], "ci_high": wilson_percent(r, n)[1]}  # fmt: skip
            if n < 30:
                row["flag"] = "effectif_faible"
            if per_es:
                row["establishment"] = establishment
            rows.append(row)
    return rows, sorted(below, key=lambda b: (-b["isolates"], b["species"]))


def from_lake(lake_rows: dict[str, list[dict[str, Any]]], year: int, establishments: set[str]) -> list[Specimen]:
    """The fixture lake's isolates of a year (none is a screening one: they never reach the lake)."""
    results: dict[str, dict[str, str]] = {}
    for row in lake_rows["results"]:
        results.setdefault(row["isolate_id"], {})[row["antibiotic"]] = row["sir"]
    return [Specimen(r["es"], r["pseudonym"], r["species"], r["specimen_date"], r["specimen"], r["sector"],
                     (r["upload_id"], int(r["isolate_id"].rsplit("-", 1)[1])), results.get(r["isolate_id"], {}))
            for r in lake_rows["isolates"] if int(r["year"]) == year and r["es"] in establishments]  # fmt: skip
