"""Rows of one indicator over given tables: the query file each indicator runs,
its bound parameters, and the shaping of the engine's rows into the API's
``{<dimensions>, value, numerator, denominator, n, flag?}``.

Derived indicators (broad-spectrum share, combined pairs, strategy panel, services and
pôles) are computed from these rows, never by more SQL of their own; the AWaRe share
runs ``aware_ddd`` with the reference table's classification bound (``derived.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.domain import antibiogram
from chalicelib.domain.drugs.molecules import molecule_name
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.indicator_rows import Counts, Row, rollup
from chalicelib.domain.indicators import UNTYPED_CARBAPENEMASE, Indicator
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.resistance.model import Carbapenemase
from chalicelib.domain.structure import Unit
from chalicelib.services.indicators.antifungal import antifungal_raw
from chalicelib.services.indicators.coverage import AntifungalCoverage
from chalicelib.services.indicators.derived import aware_rows, broad_spectrum_rows, combined_rows, panel_rows
from chalicelib.services.indicators.establishment_rows import EstablishmentRows
from chalicelib.services.indicators.known_rows import KnownRows
from chalicelib.services.indicators.scope_answers import ScopeAnswers
from chalicelib.services.ports import DerivedRowsStore, QueryEngine, SettingsStore
from chalicelib.services.ports.indicators import Tables

#: Indicators whose rows by establishment depend on other establishments' files, never kept by establishment
#: (``establishment_rows.py``): each establishment has a row, 0 when it has none, for every carbapenemase type
#: found in the tables read, so that rows pool into the right share; the combined pairs and the strategy
#: panel have no rows by establishment to keep.
ACROSS_ESTABLISHMENTS = ("carbapenemase", "combined", "strategy_panel")


class Computation:
    """Every path to an indicator's rows goes through ``rows``, which applies the antifungal
    coverage rule (DOMAIN.md §10.5) to the tables before any query."""

    def __init__(
        self, engine: QueryEngine, settings: SettingsStore, kept: DerivedRowsStore | None = None, known: KnownRows | None = None
    ) -> None:
        """``kept``: where rows over closed data are kept between calls (None: always asked of the engine);
        ``known``: rows this process computed already, by question and objects (None: none kept)."""
        self._engine = engine
        self._coverage = AntifungalCoverage(settings)
        self._by_establishment = EstablishmentRows(kept) if kept is not None else None
        self._by_scope = ScopeAnswers(kept) if kept is not None else None
        self._known = known

    def raw(self, query: str, parameters: Sequence[Any], tables: Tables) -> list[dict[str, Any]]:
        """The engine's rows: ``scope_key, dim, numerator, denominator, n``."""
        return self._engine.run(query, parameters, tables)

    def rows(
        self,
        indicator: Indicator,
        year: int,
        by: str | None,
        options: Mapping[str, str],
        tables: Tables,
        per_es: bool,
        units: Mapping[str, Unit] | None = None,
    ) -> list[Row]:
        if by is not None and by not in indicator.dimensions:
            dimensions = ", ".join(indicator.dimensions) or "aucune"
            raise InvalidInput(f"Dimension inconnue pour cet indicateur : « {by} » ({dimensions}).", details=[{"field": "by"}])
        tables = self._coverage.tables(indicator, year, dict(tables))
        if units is not None:  # units: not in the keys
            return self._rows(indicator, year, by, options, tables, per_es, units)
        identity = {"indicator": indicator.id, "year": year, "by": by, "options": dict(sorted(options.items())), "per_es": per_es}

        def compute(part: Tables) -> list[Row]:
            return self._rows(indicator, year, by, options, part, per_es, units)

        def answer() -> list[Row]:
            if self._by_establishment is None or self._by_scope is None:
                return compute(tables)
            if per_es and indicator.id not in ACROSS_ESTABLISHMENTS:
                return self._by_establishment.rows(identity, tables, compute)
            return self._by_scope.rows(identity, tables, compute)

        return answer() if self._known is None else self._known.rows(identity, tables, answer)

    def _rows(
        self, indicator: Indicator, year: int, by: str | None, options: Mapping[str, str], tables: Tables, per_es: bool,
        units: Mapping[str, Unit] | None,
    ) -> list[Row]:  # fmt: skip
        if indicator.id == "broad_spectrum_share":
            return broad_spectrum_rows(self, indicator, year, tables, per_es)
        if indicator.id == "aware_share":
            return aware_rows(self, indicator, year, by, tables, per_es)
        if indicator.id == "combined":
            return combined_rows(self, indicator, year, options, tables)
        if indicator.id == "strategy_panel":
            return panel_rows(self, year, tables)
        if indicator.id == "antifungal_r":
            return [shape(indicator, row, "species_class", per_es) for row in antifungal_raw(self, year, tables, per_es)]
        if by in ("service", "pole"):
            return structure_rows(self._rows(indicator, year, "uf", options, tables, per_es, units), units or {}, by, indicator)
        if indicator.id == antibiogram.INDICATOR_ID:
            filters = antibiogram.Filters.parse(options)
            found = self.raw("cumulative_antibiogram", (year, per_es, *filters.parameters()), tables)
            return [antibiogram.shape(row, per_es) for row in found]
        query, parameters, dimension = _query(indicator, year, by, options, per_es)
        rows = [shape(indicator, row, dimension, per_es) for row in self.raw(query, parameters, tables)]
        if dimension == "uf":
            for row in rows:
                unit = (units or {}).get(row["uf"])
                row["label"] = unit.libelle if unit else None
        if dimension == "molecule":
            for row in rows:
                row["label"] = molecule_name(row["molecule"])
        return rows


def shape(indicator: Indicator, row: Mapping[str, Any], dimension: str | None, per_es: bool) -> Row:
    out = Counts(float(row["numerator"]), float(row["denominator"]), int(row["n"])).row(indicator)
    if per_es:
        out["establishment"] = row["scope_key"]
    if dimension == "species_antibiotic":
        out["species"], out["antibiotic"] = str(row["dim"]).split("|", 1)
    elif dimension == "species_class":
        out["species"], out["antifungal_class"] = str(row["dim"]).split("|", 1)
    elif dimension is not None:
        out[dimension] = row["dim"]
    return out


def structure_rows(uf_rows: list[Row], units: Mapping[str, Unit], by: str, indicator: Indicator) -> list[Row]:
    """UF rows rolled up to services or pôles of the structure (sums of DDD over
    sums of patient-days); UFs outside any service (or pôle) make one row with None."""

    def key(row: Mapping[str, Any]) -> str | None:
        unit = units.get(row["uf"])
        code = (unit.code_service if by == "service" else unit.code_pole) if unit else None
        return f"{row.get('establishment', '')}|{code or ''}"

    labels = {
        (u.code_service if by == "service" else u.code_pole): (u.libelle_service if by == "service" else u.libelle_pole)
        for u in units.values()
    }
    rows = []
    for grouped, counts in sorted(rollup(uf_rows, key).items(), key=lambda item: item[0] or ""):
        establishment, code = (grouped or "|").split("|", 1)
        out: Row = {by: code or None, "label": labels.get(code) if code else None,
                    **counts.row(indicator)}  # fmt: skip
        if establishment:
            out["establishment"] = establishment
        rows.append(out)
    return rows


def phenotype_option(options: Mapping[str, str]) -> str:
    phenotype = options.get("phenotype")
    if phenotype not in PHENOTYPES:
        raise InvalidInput(f"Précisez le phénotype : phenotype={'|'.join(PHENOTYPES)}.", details=[{"field": "phenotype"}])
    return phenotype


def _query(indicator: Indicator, year: int, by: str | None, options: Mapping[str, str], per_es: bool
           ) -> tuple[str, Sequence[Any], str | None]:  # fmt: skip
    if indicator.id in ("ddj_1000jh", "antifungal_ddj_1000jh"):
        drug_scope = "antibiotic" if indicator.id == "ddj_1000jh" else "antifungal"
        if by in ("sector", "specialty", "uf", "period"):
            return f"ddj_1000jh_by_{by}", (drug_scope, year, year, per_es), by
        dimension = by if by in ("family", "molecule", "route") else None
        return "ddj_1000jh", (drug_scope, dimension or "total", year, year, per_es), dimension
    if indicator.id == "pct_r":
        return "pct_r", (year, per_es, *antibiogram.Filters.parse(options).parameters()), "species_antibiotic"
    if indicator.id == "carbapenemase":
        return "carbapenemase", (UNTYPED_CARBAPENEMASE, Carbapenemase.NEGATIVE.value, year, per_es), "carbapenemase"
    phenotype = phenotype_option(options)
    if indicator.id == "pct_phenotype":
        if by == "period":
            return "pct_phenotype_by_period", (phenotype, year, per_es), by
        dimension = "species" if by == "species" else "species_group"
        return "pct_phenotype", (phenotype, year, per_es, dimension), dimension
    specimen = options.get("specimen", "all")
    if specimen not in ("all", "blood"):
        raise InvalidInput("specimen : all ou blood.", details=[{"field": "specimen"}])
    if by in ("sector", "period"):
        return f"density_1000jh_by_{by}", (phenotype, specimen, year, year, per_es), by
    return "density_1000jh", (phenotype, specimen, year, year, per_es), None
