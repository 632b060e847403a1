"""Indicators for an establishment, a region or the nation (DOMAIN.md §7).

The scope's rights and data come from the caller's profile, never from the
client, through one rule (``visibility``): an establishment's members see its
current data (draft or closed); anyone else sees closed partitions only, which a
reopened period leaves until it closes again; a regional profile reads rows of
its own regions' establishments only; a distribution needs 5 other establishments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.domain import antibiogram
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import RegionCode
from chalicelib.domain.combined import PAIRS, pair
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.indicator_rows import Row, pool
from chalicelib.domain.indicators import (
    ESTABLISHMENT_ONLY_DIMENSIONS,
    INDICATORS,
    Indicator,
    Scope,
    deduplicates,
    goal_of,
    percentiles,
    rule_of,
    year_range,
)
from chalicelib.domain.lake import PHENOTYPES
from chalicelib.domain.periods import Period
from chalicelib.domain.precision import interval_fields
from chalicelib.domain.resistance.dedup import rule_label
from chalicelib.domain.resistance.dedup_setting import DedupSetting, current_of
from chalicelib.domain.strategy_panel import PANEL
from chalicelib.domain.structure import SECTORS
from chalicelib.domain.tenants import Establishment
from chalicelib.services.guard import Guard
from chalicelib.services.indicators.computation import Computation
from chalicelib.services.indicators.known_rows import KnownRows
from chalicelib.services.indicators.one_answer import read_once
from chalicelib.services.indicators.open_data import open_cells
from chalicelib.services.indicators.sources import LakeTables, Tables
from chalicelib.services.indicators.visibility import (
    check_aggregates,
    distribution_suppressed,
    establishment_filter,
    sees_drafts,
    visible_rows,
)
from chalicelib.services.ports import (
    DerivedRowsStore,
    LakeStore,
    MethodSettings,
    QueryEngine,
    SettingsStore,
    TenantStore,
    UnitStore,
    UploadStore,
)

#: Indicators compared across establishments, never summed into cells or placed among peers.
_PER_ESTABLISHMENT = ("combined",)
#: Indicators no single figure per establishment sums up: no benchmark.
_NO_BENCHMARK = ("strategy_panel", "carbapenemase")
#: The ``by`` a benchmark takes: each value of the dimension placed among the same value of the peers.
BENCHMARK_DIMENSIONS = ("sector",)


class IndicatorService:
    def __init__(
        self,
        *,
        engine: QueryEngine,
        uploads: UploadStore,
        tenants: TenantStore,
        lake: LakeStore,
        guard: Guard,
        settings: SettingsStore,
        methods: MethodSettings,
        units: UnitStore | None = None,
        derived_rows: DerivedRowsStore | None = None,
        known_rows: KnownRows | None = None,
    ) -> None:
        self._computation = Computation(engine, settings, derived_rows, known_rows)
        self._methods = methods
        self._tables = LakeTables(uploads, lake)
        self._tenants = tenants
        self._guard = guard
        self._units = units

    def catalogue(self) -> list[dict[str, Any]]:
        return [
            {"id": i.id, "label": i.label, "unit": i.unit, "dimensions": list(i.dimensions), "min_n": i.min_n,
             "measure": i.measure.value, "interval": i.measure.interval, "precision": i.measure.note,
             **({"phenotypes": list(PHENOTYPES)} if i.needs_phenotype else {}),
             **({"pairs": list(PAIRS)} if i.id == "combined" else {}),
             **({"items": [p.id for p in PANEL]} if i.id == "strategy_panel" else {}),
             **(_antibiogram_choices() if i.id == antibiogram.INDICATOR_ID else {}), **_goal(i)}
            for i in INDICATORS.values()
        ]  # fmt: skip

    def compute(
        self, caller: Principal, indicator_id: str, scope_text: str | None, year: str | None, by: str | None,
        options: Mapping[str, str],
    ) -> dict[str, Any]:  # fmt: skip
        indicator = _indicator(indicator_id)
        scope = Scope.parse(scope_text)
        when = _year(year)
        dedup = self._dedup()
        tables = self._tables_for(caller, scope, when, dedup)
        rows = visible_rows(self._scope_rows(indicator, scope, when, by, options, tables), self._allowed(caller))
        extra = _pair_of(indicator, options)
        if indicator.id == "pct_r":
            extra = {"filters": antibiogram.Filters.parse(options).document()}  # the subset it is computed in
        if indicator.id == antibiogram.INDICATOR_ID:
            rows, below = antibiogram.split(rows)
            extra = {**_antibiogram_of(options), "species_below_min": below}
        return _answer(indicator, scope, when, rows, dedup, extra, options, by)

    def trend(
        self, caller: Principal, indicator_id: str, scope_text: str | None, start: str | None, end: str | None,
        by: str | None, options: Mapping[str, str],
    ) -> dict[str, Any]:  # fmt: skip
        """The indicator year by year, same scope rules as its values; a year without data is a row with value None."""
        indicator = _indicator(indicator_id)
        scope = Scope.parse(scope_text)
        years = year_range(start, end)
        rows: list[Row] = []
        allowed = self._allowed(caller)
        dedup = self._dedup()
        for year in years:
            found = self._scope_rows(indicator, scope, year, by, options, self._tables_for(caller, scope, year, dedup))
            found = visible_rows(found, allowed)
            if indicator.id == antibiogram.INDICATOR_ID:
                found = antibiogram.split(found)[0]
            rows.extend({"year": year, **row} for row in found)
            if not found:
                rows.append({"year": year, "value": None, "numerator": None, "denominator": None, "n": 0,
                             **interval_fields(indicator.measure, 0, 0, indicator.multiplier)})  # fmt: skip
        return {
            "indicator": indicator.id,
            "scope": str(scope),
            "from": years[0],
            "to": years[-1],
            **_rule(indicator, options, dedup, by),
            "unit": indicator.unit,
            **_pair_of(indicator, options),
            **({"filters": antibiogram.Filters.parse(options).document()} if indicator.id == "pct_r" else {}),
            **(_antibiogram_of(options) if indicator.id == antibiogram.INDICATOR_ID else {}),
            **_goal(indicator),
            "rows": rows,
        }

    def benchmark(
        self, caller: Principal, indicator_id: str, finess: str, year: str | None, options: Mapping[str, str],
        by: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """The establishment's value against establishments of its category, same year, closed data;
        ``by=sector``: also each sector's value against the same sector of those establishments."""
        indicator = _indicator(indicator_id)
        establishment = self._analysed(caller, finess)
        if indicator.id in (*_PER_ESTABLISHMENT, *_NO_BENCHMARK) or "establishment" not in indicator.dimensions:
            raise InvalidInput("Pas de positionnement pour cet indicateur : consultez ses valeurs.", details=[{"field": "id"}])
        if by is not None and (by not in BENCHMARK_DIMENSIONS or by not in indicator.dimensions):
            raise InvalidInput(
                f"Positionnement par « {by} » indisponible pour cet indicateur : sans by, ou by=sector pour "
                "la consommation (DDJ/1000 JH) et la densité d'incidence.",
                details=[{"field": "by"}],
            )
        when = _year(year)
        dedup = self._dedup()
        own_tables = self._establishment_tables(caller, establishment, when, dedup)
        peers = {
            e.finess.value
            for e in self._establishments()
            if e.category == establishment.category and e.finess != establishment.finess
        }
        closed = self._tables.closed(when, dedup)
        own = self._computation.rows(indicator, when, None, options, own_tables, False)
        national = self._computation.rows(indicator, when, "establishment", options, closed, per_es=True)
        answer = {
            "indicator": indicator.id,
            "year": when,
            **_position(indicator, own, national, peers),
            "category": establishment.category,
            **_rule(indicator, options, dedup),
        }
        if by is None:
            return answer
        own_by: dict[str, list[Row]] = {}
        for row in self._computation.rows(indicator, when, by, options, own_tables, False):
            own_by.setdefault(row[by], []).append(row)
        national_by: dict[str, list[Row]] = {}
        for row in self._computation.rows(indicator, when, by, options, closed, per_es=True):
            national_by.setdefault(row[by], []).append(row)
        keys = sorted({*own_by, *(k for k, rows in national_by.items() if any(r["establishment"] in peers for r in rows))})
        rows = [{by: key, **_position(indicator, own_by.get(key, []), national_by.get(key, []), peers)} for key in keys]
        return {**answer, "by": by, "rows": rows}

    def open_data(
        self, indicator_id: str, scope_text: str | None, year: str | None, options: Mapping[str, str], by: str | None = None
    ) -> dict[str, Any]:
        """For visitors: a region's or the nation's closed data, each cell built from at
        least 3 establishments and, for resistance, 10 isolates — else suppressed."""
        return self._open_data(indicator_id, scope_text, year, options, by, self._dedup())

    def _open_data(
        self, indicator_id: str, scope_text: str | None, year: str | None, options: Mapping[str, str], by: str | None,
        dedup: DedupSetting,
    ) -> dict[str, Any]:  # fmt: skip
        indicator = _indicator(indicator_id)
        scope = Scope.parse(scope_text)
        if scope.kind == "establishment":
            raise NotFound("Les données ouvertes portent sur une région ou la nation, jamais sur un établissement.")
        if indicator.id in _PER_ESTABLISHMENT:
            raise NotFound("Cet indicateur compare des établissements : il n'est pas publié en données ouvertes.")
        when = _year(year)
        if by == "establishment" or by in ESTABLISHMENT_ONLY_DIMENSIONS:
            raise InvalidInput("Les données ouvertes ne détaillent jamais les établissements.", details=[{"field": "by"}])
        if indicator.id in _FILTERED_BY_SUBSET and antibiogram.Filters.parse(options) != antibiogram.Filters():
            # Each cell passes the thresholds, but a subset's cell taken from the whole's would not: never published.
            raise InvalidInput("Les données ouvertes ne se filtrent ni par prélèvement ni par secteur.",
                               details=[{"field": "specimen"}, {"field": "sector"}])  # fmt: skip
        if indicator.id == "strategy_panel":
            rows = [self._open_panel_item(index, scope_text, year, dedup) for index in range(len(PANEL))]
        else:
            tables = self._tables.closed(when, dedup, str(scope.region) if scope.region else None)
            scope_rows = self._computation.rows(indicator, when, by, options, tables, per_es=False)
            if indicator.id == antibiogram.INDICATOR_ID:  # species under M39's minimum: never published
                scope_rows = antibiogram.split(scope_rows)[0]
            per_es = self._computation.rows(indicator, when, by, options, tables, per_es=True)
            rows = open_cells(scope_rows, per_es, indicator)
        extra = _antibiogram_of(options) if indicator.id == antibiogram.INDICATOR_ID else None
        return _answer(indicator, scope, when, rows, dedup, extra, options, by)

    def _open_panel_item(self, index: int, scope_text: str | None, year: str | None, dedup: DedupSetting) -> Row:
        """One item of the panel, under the panel's one reading of the setting (never a second one)."""
        item = PANEL[index]
        opened = self._open_data(item.indicator, scope_text, year, item.options, "species" if item.species else None, dedup)
        cells = [r for r in opened["rows"] if not item.species or r.get("species") == item.species]
        cell = cells[0] if cells else {"value": None}  # % SARM: S. aureus only, in one species group
        values = {k: v for k, v in cell.items() if k in ("value", "ci_low", "ci_high", "n", "establishments", "suppressed")}
        return {"indicator": item.id, "label": item.label, "unit": opened["unit"], **values}

    # Scopes and data sources ---------------------------------------------------
    def _scope_rows(
        self, indicator: Indicator, scope: Scope, year: int, by: str | None, options: Mapping[str, str], tables: Tables
    ) -> list[Row]:
        if by in ESTABLISHMENT_ONLY_DIMENSIONS and scope.finess is None:
            raise InvalidInput("Les dimensions UF, service et pôle ne s'appliquent qu'au périmètre d'un établissement.",
                               details=[{"field": "by"}])  # fmt: skip
        units = None
        if by in ESTABLISHMENT_ONLY_DIMENSIONS and self._units is not None and scope.finess is not None:
            units = {u.code_uf: u for u in self._units.units(scope.finess)}
        rows = self._computation.rows(indicator, year, by, options, tables, per_es=by == "establishment", units=units)
        if indicator.id in _PER_ESTABLISHMENT and scope.finess is not None and not rows:
            rows = [{"establishment": scope.finess.value, "consumption": None, "resistance": None, "value": None,
                     "numerator": 0.0, "denominator": 0.0, "n": 0, "flag": "effectif_faible"}]  # fmt: skip
        return rows

    def _analysed(self, caller: Principal, finess: object) -> Establishment:
        """The establishment ``caller`` may analyse (refusals as ``Guard.establishment``), read once per answer:
        a section's items, each item's years, ask it again and again."""
        found = read_once(("establishment", str(getattr(finess, "value", finess))), lambda: self._guard.existing(finess))
        return self._guard.decide_on(caller, Action.ANALYSE, found)

    def _establishments(self) -> list[Establishment]:
        return read_once("establishments", self._tenants.list_establishments)

    def _allowed(self, caller: Principal) -> Callable[[str], bool]:
        return establishment_filter(caller, self._establishments_of)

    def _establishments_of(self, region: RegionCode) -> list[Establishment]:
        return read_once(("establishments", region.value), lambda: self._tenants.list_establishments(region))

    def _dedup(self) -> DedupSetting:
        """The national deduplication setting, read once per answer: its tables and its rule's name agree."""
        return read_once("dedup", lambda: current_of(self._methods.dedup_versions()))

    def _establishment_tables(self, caller: Principal, establishment: Establishment, year: int, dedup: DedupSetting
                              ) -> Tables:  # fmt: skip
        """Its current data (drafts included) for its members; its closed periods for anyone else."""
        if sees_drafts(caller, establishment.finess):
            return self._tables.draft(establishment.finess.value, year, dedup)
        return self._tables.closed(year, dedup, establishment.region.value, establishment.finess.value)

    def _tables_for(self, caller: Principal, scope: Scope, year: int, dedup: DedupSetting) -> Tables:
        if scope.kind == "establishment":
            establishment = self._analysed(caller, scope.finess)
            return self._establishment_tables(caller, establishment, year, dedup)
        check_aggregates(caller, scope.region)
        return self._tables.closed(year, dedup, str(scope.region) if scope.region else None)


def _position(indicator: Indicator, own: list[Row], rows: list[Row], peers: set[str]) -> dict[str, Any]:
    """The establishment's value (its ``own`` rows) against the distribution of the peers' values (their
    ``rows``), one value per establishment: rows of several species groups (``pct_phenotype`` of a phenotype
    found in several) are pooled, so a peer never counts twice. Flagged or empty values are left out; the
    distribution is shown only under the confidentiality rule."""
    mine = _pooled(indicator, own)
    by_peer: dict[str, list[Row]] = {}
    for row in rows:
        if row["establishment"] in peers:
            by_peer.setdefault(row["establishment"], []).append(row)
    pooled = [_pooled(indicator, found) for found in by_peer.values()]
    values = [r["value"] for r in pooled if r and r["value"] is not None and not r.get("flag")]
    suppressed = distribution_suppressed(len(values))
    return {
        "value": mine["value"] if mine else None,
        **{k: mine[k] for k in ("ci_low", "ci_high") if mine and k in mine},
        "percentiles": None if suppressed else percentiles(values),
        "n_establishments": len(values),
        **({"suppressed": suppressed} if suppressed else {}),
    }


def _pooled(indicator: Indicator, rows: list[Row]) -> Row | None:
    """One establishment's single figure: its row, or its rows' counts summed (never a mean of values)."""
    if len(rows) <= 1:
        return rows[0] if rows else None
    return pool(rows).row(indicator)


def _rule(indicator: Indicator, options: Mapping[str, str], dedup: DedupSetting, by: str | None = None) -> dict[str, Any]:
    """The rule behind the values, as the national setting applies it; for resistance, the setting's version
    (by period, each quarter's own decisions whatever the setting: ``rule_of``)."""
    rule = rule_of(indicator, options, by)
    named = dedup.names(rule)
    if not deduplicates(rule):
        return {"rule": named, "rule_label": rule_label(named)}
    return {
        "rule": named,
        "rule_label": rule_label(named),
        "dedup_setting": {"version": dedup.version, "period": dedup.period.value},
    }


def _antibiogram_choices() -> dict[str, Any]:
    """The filters a cumulative antibiogram takes: specimen categories (code, French label) and sectors."""
    return {"specimens": [{"code": c, "label": label} for c, label in antibiogram.specimen_categories().items()],
            "sectors": list(SECTORS), "min_isolates": antibiogram.MIN_ISOLATES}  # fmt: skip


#: The resistance indicators computed within a specimen category and a sector (``antibiogram.Filters``).
_FILTERED_BY_SUBSET = ("pct_r", antibiogram.INDICATOR_ID)


def _antibiogram_of(options: Mapping[str, str]) -> dict[str, Any]:
    """What a cumulative antibiogram's answer states besides its rows: its filters and M39's minimum."""
    return {"filters": antibiogram.Filters.parse(options).document(), "min_isolates": antibiogram.MIN_ISOLATES}


def _pair_of(indicator: Indicator, options: Mapping[str, str]) -> dict[str, Any]:
    if indicator.id != "combined":
        return {}
    chosen = pair(options.get("pair"))
    return {"pair": {"id": chosen.id, "consumption": chosen.consumption_label, "resistance": chosen.resistance_label}}


def _goal(indicator: Indicator) -> dict[str, Any]:
    goal = goal_of(indicator)
    return {"goal": goal} if goal else {}


def _indicator(indicator_id: str) -> Indicator:
    found = INDICATORS.get(indicator_id)
    if found is None:
        raise NotFound(f"Indicateur inconnu : « {indicator_id} ».")
    return found


def _year(year: str | None) -> int:
    if not year:
        raise InvalidInput("Précisez l'année : year=2025.", details=[{"field": "year"}])
    return Period.parse(year).year


def _answer(
    indicator: Indicator,
    scope: Scope,
    year: int,
    rows: list[Row],
    dedup: DedupSetting,
    extra: Mapping[str, Any] | None = None,
    options: Mapping[str, str] | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """An indicator's values for one scope and year, as the API answers them."""
    return {
        "indicator": indicator.id,
        "scope": str(scope),
        "year": year,
        **_rule(indicator, options or {}, dedup, by),
        "unit": indicator.unit,
        **(extra or {}),
        **_goal(indicator),
        "rows": rows,
    }
