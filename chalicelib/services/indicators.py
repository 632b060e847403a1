"""Indicators for an establishment, a region or the nation (DOMAIN.md §7).

The scope's rights and data come from the caller's profile, never from the
client: an establishment's members see its current data (draft or closed); a
region and the nation see closed partitions only, which a reopened period
leaves until it closes again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.indicators import DEDUP_RULE, INDICATORS, PHENOTYPES, Indicator, Scope, percentiles, ratio
from chalicelib.domain.periods import Period
from chalicelib.services.deduplication import ISOLATE_COLUMNS, RESULT_COLUMNS
from chalicelib.services.guard import Guard
from chalicelib.services.importers import CONSUMPTION_COLUMNS, PATIENT_DAYS_COLUMNS
from chalicelib.services.ports import ObjectStore, QueryEngine, TableSource, TenantStore, UploadStore

COLUMNS = {
    "consumption": CONSUMPTION_COLUMNS,
    "patient_days": PATIENT_DAYS_COLUMNS,
    "isolates": ISOLATE_COLUMNS,
    "results": RESULT_COLUMNS,
}
#: Which upload type holds each dataset.
DATASET_OF_TYPE = {"consumption": ("consumption",), "patient_days": ("patient_days",), "resistance": ("isolates", "results")}


class IndicatorService:
    def __init__(
        self,
        engine: QueryEngine,
        uploads: UploadStore,
        tenants: TenantStore,
        objects: ObjectStore,
        guard: Guard,
        lake_bucket: str,
    ) -> None:
        self._engine = engine
        self._uploads = uploads
        self._tenants = tenants
        self._objects = objects
        self._guard = guard
        self._lake = lake_bucket

    def catalogue(self) -> list[dict[str, Any]]:
        return [
            {"id": i.id, "label": i.label, "unit": i.unit, "dimensions": list(i.dimensions), "min_n": i.min_n,
             **({"phenotypes": list(PHENOTYPES)} if i.needs_phenotype else {})}
            for i in INDICATORS.values()
        ]  # fmt: skip

    def compute(
        self,
        caller: Principal,
        indicator_id: str,
        scope_text: str | None,
        year: str | None,
        by: str | None,
        options: Mapping[str, str],
    ) -> dict[str, Any]:
        indicator = _indicator(indicator_id)
        scope = Scope.parse(scope_text)
        when = _year(year)
        tables = self._tables_for(caller, scope, when)
        rows = self._rows(indicator, when, by, options, tables, per_es=by == "establishment")
        return {
            "indicator": indicator.id,
            "scope": str(scope),
            "year": when,
            "rule": indicator.rule,
            "unit": indicator.unit,
            "rows": rows,
        }

    def benchmark(
        self, caller: Principal, indicator_id: str, finess: str, year: str | None, options: Mapping[str, str]
    ) -> dict[str, Any]:
        """The establishment's value against establishments of its category, same year, closed data."""
        indicator = _indicator(indicator_id)
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        when = _year(year)
        own = self._rows(indicator, when, None, options, self._draft_tables(establishment.finess.value, when), per_es=False)
        peers = {e.finess.value for e in self._tenants.list_establishments() if e.category == establishment.category}
        national = self._rows(indicator, when, "establishment", options, self._closed_tables(when, None), per_es=True)
        values = [r["value"] for r in national if r["establishment"] in peers and r["value"] is not None and not r.get("flag")]
        total = [r for r in own if r.get("dim", "total") in ("total", None)] or own
        return {
            "indicator": indicator.id,
            "year": when,
            "value": total[0]["value"] if total else None,
            "category": establishment.category,
            "percentiles": percentiles(values),
            "n_establishments": len(values),
            "rule": indicator.rule,
        }

    def open_data(
        self, indicator_id: str, scope_text: str | None, year: str | None, options: Mapping[str, str], by: str | None = None
    ) -> dict[str, Any]:
        """For visitors: a region's or the nation's closed data, each cell built from at
        least 3 establishments and, for resistance, 10 isolates — else suppressed."""
        indicator = _indicator(indicator_id)
        scope = Scope.parse(scope_text)
        if scope.kind == "establishment":
            raise NotFound("Les données ouvertes portent sur une région ou la nation, jamais sur un établissement.")
        when = _year(year)
        tables = self._closed_tables(when, str(scope.region) if scope.region else None)
        if by == "establishment":
            raise InvalidInput("Les données ouvertes ne détaillent jamais les établissements.", details=[{"field": "by"}])
        per_es = self._rows(indicator, when, by, options, tables, per_es=True)
        cells: dict[str, dict[str, Any]] = {}
        for row in per_es:
            key = next(
                (str(row[d]) for d in ("family", "molecule", "route", "sector", "species_group", "species") if d in row), "total"
            )
            if "antibiotic" in row:
                key += "|" + str(row["antibiotic"])
            cell = cells.setdefault(key, {"numerator": 0.0, "denominator": 0.0, "n": 0, "establishments": 0, "dims": row})
            cell["numerator"] += row["numerator"]
            cell["denominator"] += row["denominator"]
            cell["n"] += row["n"]
            cell["establishments"] += 1
        rows = []
        resistance = indicator.rule == DEDUP_RULE
        for cell in cells.values():
            dims = {
                k: v
                for k, v in cell["dims"].items()
                if k not in ("value", "numerator", "denominator", "n", "flag", "establishment")
            }
            small = cell["establishments"] < MIN_ESTABLISHMENTS or (resistance and cell["n"] < MIN_ISOLATES)
            if small:
                rows.append({**dims, "value": None, "suppressed": True})
            else:
                rows.append({**dims, "value": ratio(cell["numerator"], cell["denominator"], indicator.multiplier),
                             "n": cell["n"], "establishments": cell["establishments"]})  # fmt: skip
        return {
            "indicator": indicator.id,
            "scope": str(scope),
            "year": when,
            "rule": indicator.rule,
            "unit": indicator.unit,
            "rows": rows,
        }

    # Data sources ------------------------------------------------------------
    def _tables_for(self, caller: Principal, scope: Scope, year: int) -> dict[str, TableSource]:
        if scope.kind == "establishment":
            establishment = self._guard.establishment(caller, Action.ANALYSE, scope.finess)
            return self._draft_tables(establishment.finess.value, year)
        national = caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN)
        if scope.kind == "region":
            if not (national or scope.region in caller.regions()):
                raise Forbidden("Les indicateurs d'une région sont réservés à sa cellule régionale et à l'équipe nationale.")
            return self._closed_tables(year, str(scope.region))
        if not (national or caller.regions()):
            raise Forbidden("Les indicateurs nationaux sont réservés aux équipes régionales et nationale.")
        return self._closed_tables(year, None)

    def _draft_tables(self, finess: str, year: int) -> dict[str, TableSource]:
        keys: dict[str, list[str]] = {name: [] for name in COLUMNS}
        for current in self._uploads.current_for_year(Finess(finess), year):
            for key in current.lake_keys:
                dataset = key.split("/")[1]
                if dataset in keys:
                    keys[dataset].append(key)
        return {name: TableSource(tuple(sorted(found)), COLUMNS[name]) for name, found in keys.items()}

    def _closed_tables(self, year: int, region: str | None) -> dict[str, TableSource]:
        suffix = f"year={year}/" + (f"region={region}/" if region else "")
        return {
            name: TableSource(tuple(self._objects.list_keys(self._lake, f"closed/{name}/{suffix}")), COLUMNS[name])
            for name in COLUMNS
        }

    # Queries -------------------------------------------------------------------
    def _rows(
        self, indicator: Indicator, year: int, by: str | None, options: Mapping[str, str], tables: Mapping[str, TableSource],
        per_es: bool,
    ) -> list[dict[str, Any]]:  # fmt: skip
        if by is not None and by not in indicator.dimensions:
            raise InvalidInput(f"Dimension inconnue pour cet indicateur : « {by} » ({', '.join(indicator.dimensions)}).")
        query, parameters, dimension = self._query(indicator, year, by, options, per_es)
        found = self._engine.run(query, parameters, tables)
        rows = []
        for row in found:
            value = ratio(float(row["numerator"]), float(row["denominator"]), indicator.multiplier)
            out: dict[str, Any] = {
                "value": value,
                "numerator": round(float(row["numerator"]), 3),
                "denominator": round(float(row["denominator"]), 3),
                "n": int(row["n"]),
            }
            if per_es:
                out["establishment"] = row["scope_key"]
            _dimension(out, dimension, row["dim"])
            if int(row["n"]) < indicator.min_n:
                out["flag"] = "effectif_faible"
            rows.append(out)
        return rows

    def _query(self, indicator: Indicator, year: int, by: str | None, options: Mapping[str, str], per_es: bool
               ) -> tuple[str, Sequence[Any], str | None]:  # fmt: skip
        if indicator.id in ("ddj_1000jh", "antifungal_ddj_1000jh"):
            drug_scope = "antibiotic" if indicator.id == "ddj_1000jh" else "antifungal"
            if by == "sector":
                return "ddj_1000jh_by_sector", (drug_scope, year, year, per_es), "sector"
            dimension = by if by in ("family", "molecule", "route") else None
            return "ddj_1000jh", (drug_scope, dimension or "total", year, year, per_es), dimension
        if indicator.id == "pct_r":
            return "pct_r", (year, per_es), "species_antibiotic"
        phenotype = options.get("phenotype")
        if phenotype not in PHENOTYPES:
            raise InvalidInput(f"Précisez le phénotype : phenotype={'|'.join(PHENOTYPES)}.", details=[{"field": "phenotype"}])
        if indicator.id == "pct_phenotype":
            return "pct_phenotype", (phenotype, year, per_es), "species_group"
        specimen = options.get("specimen", "all")
        if specimen not in ("all", "blood"):
            raise InvalidInput("specimen : all ou blood.", details=[{"field": "specimen"}])
        return "density_1000jh", (phenotype, specimen, year, year, per_es), None


MIN_ESTABLISHMENTS = 3
MIN_ISOLATES = 10


def _dimension(out: dict[str, Any], dimension: str | None, value: Any) -> None:
    if dimension == "species_antibiotic":
        out["species"], out["antibiotic"] = str(value).split("|", 1)
    elif dimension is not None:
        out[dimension] = value


def _indicator(indicator_id: str) -> Indicator:
    found = INDICATORS.get(indicator_id)
    if found is None:
        raise NotFound(f"Indicateur inconnu : « {indicator_id} ».")
    return found


def _year(year: str | None) -> int:
    if not year:
        raise InvalidInput("Précisez l'année : year=2025.", details=[{"field": "year"}])
    return Period.parse(year).year
