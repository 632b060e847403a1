"""Warnings on values far from the establishment's history or its category
(DOMAIN.md §8, rule and parameters in ``chalicelib/domain/outliers.py``).

They need the query engine (the indicators' own computations over the lake), so
they are shown by ``GET …/controls`` but not run by the closure, whose decision
rests on blocking controls only; a year without closed history or peers costs
no query.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.codes import Finess
from chalicelib.domain.controls import Control
from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.outliers import DDJ, FAR, PCT_R, FarRule, Key, Value, far_from_category, far_from_history
from chalicelib.domain.resistance.dedup_setting import DedupSetting, current_of
from chalicelib.services.indicators import Computation, LakeTables
from chalicelib.services.indicators.sources import Tables
from chalicelib.services.ports import LakeStore, MethodSettings, QueryEngine, SettingsStore, TenantStore, UploadStore

Values = dict[str, dict[Key, Value]]  # by measure (ddj_1000jh, pct_r)


class OutlierControls:
    def __init__(
        self,
        *,
        engine: QueryEngine,
        uploads: UploadStore,
        tenants: TenantStore,
        lake: LakeStore,
        settings: SettingsStore,
        methods: MethodSettings,
        rule: FarRule = FAR,
    ) -> None:
        self._computation = Computation(engine, settings)
        self._methods = methods
        self._tables = LakeTables(uploads, lake)
        self._tenants = tenants
        self._rule = rule

    def __call__(self, finess: Finess, year: int) -> list[Control]:
        establishment = self._tenants.get_establishment(finess)
        if establishment is None:
            return []
        dedup = current_of(self._methods.dedup_versions())  # % R under the rule the dashboards show
        current = self._values(self._tables.draft(finess.value, year, dedup), year)
        if not any(current.values()):
            return []
        region = str(establishment.region)
        history = {
            y: self._values(self._tables.closed(y, dedup, region, finess.value), y)
            for y in range(year - self._rule.history_years, year)
        }
        peers = self._peers(year, establishment.category, finess.value, dedup)
        controls: list[Control] = []
        for measure in (DDJ, PCT_R):
            if current[measure]:
                past = {y: found[measure] for y, found in history.items()}
                controls += far_from_history(measure, year, current[measure], past, self._rule)
                controls += far_from_category(measure, year, establishment.category, current[measure], peers[measure], self._rule)
        return controls

    def _values(self, tables: Tables, year: int) -> Values:
        per_es = self._per_establishment(tables, year, per_es=False)
        return per_es.get("scope", {DDJ: {}, PCT_R: {}})

    def _peers(self, year: int, category: str, own: str, dedup: DedupSetting) -> dict[str, dict[Key, list[Value]]]:
        same = {e.finess.value for e in self._tenants.list_establishments() if e.category == category and e.finess.value != own}
        found: dict[str, dict[Key, list[Value]]] = {DDJ: {}, PCT_R: {}}
        if not same:
            return found
        for establishment, values in self._per_establishment(self._tables.closed(year, dedup), year, per_es=True).items():
            if establishment in same:
                for measure, by_key in values.items():
                    for key, value in by_key.items():
                        found[measure].setdefault(key, []).append(value)
        return found

    def _per_establishment(self, tables: Tables, year: int, per_es: bool) -> Mapping[str, Values]:
        """DDJ/1000 JH and the sentinel % R, by establishment ('scope' when not per establishment)."""
        if not any(source.keys for source in tables.values()):
            return {}
        by = "establishment" if per_es else None
        found: dict[str, Values] = {}
        for row in self._computation.rows(INDICATORS[DDJ], year, by, {}, tables, per_es):
            if row["value"] is not None:
                found.setdefault(row.get("establishment", "scope"), {DDJ: {}, PCT_R: {}})[DDJ][()] = Value(row["value"], row["n"])
        sentinel = set(self._rule.sentinel_pairs)
        for row in self._computation.rows(INDICATORS[PCT_R], year, None, {}, tables, per_es):
            key = (row["species"], row["antibiotic"])
            if key in sentinel and row["value"] is not None:
                found.setdefault(row.get("establishment", "scope"), {DDJ: {}, PCT_R: {}})[PCT_R][key] = Value(
                    row["value"], row["n"]
                )
        return found
