"""Indicators derived from other indicators' rows: the broad-spectrum share and the
combined pairs (from DDD by molecule and % phenotype by species), the national strategy
panel (from the panel items' own indicators); and the AWaRe share, from DDD summed per
AWaRe group by ``aware_ddd`` with the reference table's classification bound."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from chalicelib.domain.combined import CombinedPair, pair
from chalicelib.domain.drugs import AwareCategory, default_aware, default_broad_spectrum
from chalicelib.domain.indicator_rows import Counts, Row, pool
from chalicelib.domain.indicators import INDICATORS, Indicator, ratio
from chalicelib.domain.strategy_panel import PANEL
from chalicelib.services.ports.indicators import Tables


class RowSource(Protocol):
    """What a derived indicator reads its inputs through (``computation.Computation``):
    the engine's rows of a query, and other indicators' rows."""

    def raw(self, query: str, parameters: Sequence[Any], tables: Tables) -> list[dict[str, Any]]: ...

    def rows(
        self, indicator: Indicator, year: int, by: str | None, options: Mapping[str, str], tables: Tables, per_es: bool
    ) -> list[Row]: ...


def _ddd_by_molecule(computation: RowSource, year: int, tables: Tables, per_es: bool) -> list[dict[str, Any]]:
    return computation.raw("ddj_1000jh", ("antibiotic", "molecule", year, year, per_es), tables)


def broad_spectrum_rows(computation: RowSource, indicator: Indicator, year: int, tables: Tables, per_es: bool) -> list[Row]:
    """Broad-spectrum DDD (reference list ``broad_spectrum.csv``) over all antibiotic DDD."""
    broad = default_broad_spectrum()
    # Each molecule classified once (a national answer is some 250,000 establishment x molecule rows, of a
    # few hundred molecules); the sums are the same additions, in the same order, as Counts would make.
    is_broad: dict[str, bool] = {}
    totals: dict[str, list[float]] = {}  # scope -> [broad-spectrum DDD, all DDD, n]
    for row in _ddd_by_molecule(computation, year, tables, per_es):
        molecule, ddd = str(row["dim"]), float(row["numerator"])
        if molecule not in is_broad:
            is_broad[molecule] = broad.contains(molecule)
        total = totals.setdefault(row["scope_key"], [0.0, 0.0, 0])
        total[0] += ddd if is_broad[molecule] else 0.0
        total[1] += ddd
        total[2] += int(row["n"])
    rows = []
    for key, (broad_ddd, all_ddd, n) in sorted(totals.items()):
        out = Counts(broad_ddd, all_ddd, int(n)).row(indicator)
        if per_es:
            out["establishment"] = key
        rows.append(out)
    return rows


def aware_rows(
    computation: RowSource, indicator: Indicator, year: int, by: str | None, tables: Tables, per_es: bool
) -> list[Row]:
    """DDD of each AWaRe group over all antibiotic DDD (DOMAIN.md §10.10), each ATC code and route classified
    by the reference table (``who_aware_2023.csv``, ``domain/drugs/aware.py``), bound to ``aware_ddd.sql``:
    a national answer is a few rows per establishment, not one per molecule. ``by=aware``: one row per
    group, all four always (a group without DDD is 0 %); otherwise the Access share, WHO's yardstick.
    ``n``: the consumption lines behind the denominator, as for the broad-spectrum share."""
    aware = default_aware()
    classification = tuple(listed(aware.keys(c)) for c in (AwareCategory.ACCESS, AwareCategory.WATCH, AwareCategory.RESERVE))
    found: dict[str, dict[str, Counts]] = {}
    for row in computation.raw("aware_ddd", (*classification, year, per_es), tables):
        counts = Counts(float(row["numerator"]), float(row["denominator"]), int(row["n"]))
        found.setdefault(row["scope_key"], {})[str(row["dim"])] = counts
    rows = []
    shown = tuple(AwareCategory) if by == "aware" else (AwareCategory.ACCESS,)
    for key, groups in sorted(found.items()):
        total = next(iter(groups.values()))
        for category in shown:
            counts = groups.get(category.value) or Counts(0.0, total.denominator, total.n)
            out: Row = {"aware": category.value, "label": category.label, **counts.row(indicator)}
            if per_es:
                out["establishment"] = key
            rows.append(out)
    return rows


def listed(codes: Sequence[str]) -> str:
    """Codes as a query binds a list: ``",A,B,"`` (a code is found by ``strpos`` of ``",A,"``)."""
    return "," + ",".join(codes) + ","


def combined_rows(
    computation: RowSource, indicator: Indicator, year: int, options: Mapping[str, str], tables: Tables
) -> list[Row]:
    """One row per establishment: the pair's family DDJ/1000 JH, and its pooled resistance %."""
    chosen = pair(options.get("pair"))
    consumption: dict[str, tuple[float, float]] = {}  # establishment -> (DDD of the family, patient-days)
    for row in _ddd_by_molecule(computation, year, tables, True):
        ddd, days = consumption.get(row["scope_key"], (0.0, float(row["denominator"])))
        counted = float(row["numerator"]) if chosen.counts_consumption(str(row["dim"])) else 0.0
        consumption[row["scope_key"]] = (ddd + counted, days)
    components = _components(computation, chosen, year, tables)
    rows = []
    for establishment in sorted(set(consumption) | {e for found in components for e in found}):
        parts = [found.get(establishment, Counts()) for found in components]
        total = sum(parts, Counts())
        ddd, days = consumption.get(establishment, (0.0, 0.0))
        out = total.row(indicator)
        rows.append({
            "establishment": establishment,
            "consumption": ratio(ddd, days, 1000) if establishment in consumption else None,
            "resistance": out["value"],
            **out,
            "consumption_ddd": round(ddd, 3),
            "patient_days": days,
            "components": [
                {"label": c.label, "phenotype": c.phenotype, **part.row(indicator)}
                for c, part in zip(chosen.components, parts, strict=True)
            ],
        })  # fmt: skip
    return rows


def _components(computation: RowSource, chosen: CombinedPair, year: int, tables: Tables) -> list[dict[str, Counts]]:
    """For each component of the pair: counts per establishment."""
    by_phenotype: dict[str, list[dict[str, Any]]] = {}
    found: list[dict[str, Counts]] = []
    for component in chosen.components:
        if component.phenotype not in by_phenotype:
            parameters = (component.phenotype, year, True, "species")
            by_phenotype[component.phenotype] = computation.raw("pct_phenotype", parameters, tables)
        counts: dict[str, Counts] = {}
        for row in by_phenotype[component.phenotype]:
            if component.species is None or row["dim"] in component.species:
                one = Counts(float(row["numerator"]), float(row["denominator"]), int(row["n"]))
                counts[row["scope_key"]] = counts.get(row["scope_key"], Counts()) + one
        found.append(counts)
    return found


def panel_rows(computation: RowSource, year: int, tables: Tables) -> list[Row]:
    """Each panel item from its own indicator's rows for the scope (pooled over their dimensions)."""
    rows = []
    for item in PANEL:
        indicator = INDICATORS[item.indicator]
        by = "species" if item.species else None
        found = computation.rows(indicator, year, by, item.options, tables, per_es=False)
        if item.species:
            found = [r for r in found if r.get("species") == item.species]
        source = {"indicator": item.indicator, **item.options, **({"species": item.species} if item.species else {})}
        rows.append({"indicator": item.id, "label": item.label, "unit": indicator.unit,
                     **pool(found).row(indicator), "source": source})  # fmt: skip
    return rows
