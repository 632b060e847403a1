"""Every query file transpiles from Athena's dialect and runs on DuckDB with bound
parameters: on empty tables, and over a fixture lake (tests/support/lake_fixture.py)
where its answer must equal a plain-Python computation of the same rows."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.domain.drugs import AwareCategory, default_aware
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.indicators.antifungal import memberships
from chalicelib.services.indicators.derived import listed
from chalicelib.services.ports import TableSource
from tests.fakes.stores import FakeObjectStore
from tests.support import lake_fixture, m39_reference

QUERIES = sorted(p.name.removesuffix(".sql") for p in resources.files("chalicelib.queries").iterdir() if p.name.endswith(".sql"))

Answer = set[tuple[str, str, float, float, int]]


# Plain-Python answers --------------------------------------------------------------------------
def _key(row: dict[str, Any], per_es: bool) -> str:
    return row["es"] if per_es else "scope"


def _days(lake: lake_fixture.Lake, year: int, per_es: bool, by: str | None = None) -> dict[tuple[str, Any], int]:
    found: dict[tuple[str, Any], int] = {}
    for row in lake.rows["patient_days"]:
        if int(row["year"]) == year and (by is None or row[by] is not None):
            key = (_key(row, per_es), row[by] if by else None)
            found[key] = found.get(key, 0) + row["patient_days"]
    return found


def _ddd(lake: lake_fixture.Lake, scope: str, year: int, per_es: bool, dim: Callable[[dict[str, Any]], Any]
         ) -> dict[tuple[str, Any], tuple[float, int]]:  # fmt: skip
    found: dict[tuple[str, Any], tuple[float, int]] = {}
    for row in lake.rows["consumption"]:
        if int(row["year"]) == year and row["counted"] and row["scope"] == scope and dim(row) is not None:
            key = (_key(row, per_es), dim(row))
            ddd, lines = found.get(key, (0.0, 0))
            found[key] = (ddd + row["ddd"], lines + 1)
    return found


def ddj_1000jh(lake: lake_fixture.Lake, scope: str, dimension: str, year: int, _y: int, per_es: bool) -> Answer:
    column = {"family": "family", "molecule": "atc", "route": "route"}.get(dimension)
    ddd = _ddd(lake, scope, year, per_es, lambda r: r[column] if column else "total")
    days = _days(lake, year, per_es)
    found = {(k, d, v, days[(k, None)], n) for (k, d), (v, n) in ddd.items() if (k, None) in days}
    if scope == "antifungal" and dimension == "total":  # counted without a J02 line: zero DDD (DOMAIN.md §10.5)
        found |= {(k, "total", 0.0, pd, 0) for (k, _), pd in days.items() if (k, "total") not in ddd}
    return found


def aware_ddd(lake: lake_fixture.Lake, access: str, watch: str, reserve: str, year: int, per_es: bool) -> Answer:
    """DOMAIN.md §10.10: counted antibiotic DDD of each AWaRe group over all of them, a line classified by its
    route's own entry, else its molecule's entry for every route ("ATC|"), else not classified."""
    entries = {key: group for group, keys in (("access", access), ("watch", watch), ("reserve", reserve))
               for key in keys.strip(",").split(",") if key}  # fmt: skip
    days = _days(lake, year, per_es)
    by_group = _ddd(lake, "antibiotic", year, per_es,
                    lambda r: entries.get(f"{r['atc']}|{r['route'] or ''}") or entries.get(f"{r['atc']}|") or "not_classified")
    totals = _ddd(lake, "antibiotic", year, per_es, lambda r: "all")
    return {(k, g, v, totals[(k, "all")][0], totals[(k, "all")][1]) for (k, g), (v, _) in by_group.items() if (k, None) in days}


def ddj_1000jh_by_sector(lake: lake_fixture.Lake, scope: str, year: int, _y: int, per_es: bool) -> Answer:
    ddd, days = _ddd(lake, scope, year, per_es, lambda r: r["sector"]), _days(lake, year, per_es, "sector")
    return {(k, d, v, days[(k, d)], n) for (k, d), (v, n) in ddd.items() if (k, d) in days}


def ddj_1000jh_by_period(lake: lake_fixture.Lake, scope: str, year: int, _y: int, per_es: bool) -> Answer:
    ddd, days = _ddd(lake, scope, year, per_es, lambda r: r["period"]), _days(lake, year, per_es, "period")
    return {(k, d, v, days[(k, d)], n) for (k, d), (v, n) in ddd.items() if (k, d) in days}


def ddj_1000jh_by_specialty(lake: lake_fixture.Lake, scope: str, year: int, _y: int, per_es: bool) -> Answer:
    ddd, days = _ddd(lake, scope, year, per_es, lambda r: r["specialty"]), _days(lake, year, per_es, "specialty")
    return {(k, d, ddd.get((k, d), (0.0, 0))[0], pd, ddd.get((k, d), (0.0, 0))[1]) for (k, d), pd in days.items()}


def ddj_1000jh_by_uf(lake: lake_fixture.Lake, scope: str, year: int, _y: int, per_es: bool) -> Answer:
    ddd = _ddd(lake, scope, year, per_es, lambda r: r["reallocated_uf"] or r["code_uf"])
    days = _days(lake, year, per_es, "code_uf")
    return {(k, d, ddd.get((k, d), (0.0, 0))[0], days.get((k, d), 0), ddd.get((k, d), (0.0, 0))[1]) for k, d in {*ddd, *days}}


def _kept(lake: lake_fixture.Lake, year: int) -> list[dict[str, Any]]:
    return [r for r in lake.rows["isolates"] if int(r["year"]) == year and r["kept"]]


def _share(pairs: list[tuple[tuple[str, str], bool]]) -> Answer:
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for key, positive in pairs:
        yes, total = found.get(key, (0, 0))
        found[key] = (yes + positive, total + 1)
    return {(k, d, float(yes), float(total), total) for (k, d), (yes, total) in found.items()}


def pct_r(lake: lake_fixture.Lake, year: int, per_es: bool, specimen: str, sector: str) -> Answer:
    isolates = {r["isolate_id"]: r for r in _kept(lake, year)
                if specimen in ("", r["specimen"]) and sector in ("", r["sector"])}  # fmt: skip
    return _share([((_key(i, per_es), f"{i['species']}|{r['antibiotic']}"), r["sir"] == "R")
                   for r in lake.rows["results"] if (i := isolates.get(r["isolate_id"]))])  # fmt: skip


def pct_phenotype(lake: lake_fixture.Lake, phenotype: str, year: int, per_es: bool, dimension: str) -> Answer:
    return _share([((_key(i, per_es), i[dimension]), i[phenotype]) for i in _kept(lake, year) if i[phenotype] is not None])


def pct_phenotype_by_period(lake: lake_fixture.Lake, phenotype: str, year: int, per_es: bool) -> Answer:
    """The quarterly view (DOMAIN.md §6): each import period's own decisions (``kept``), every species the
    phenotype concerns pooled, by the period the isolate was imported in."""
    return _share([((_key(i, per_es), i["period"]), i[phenotype]) for i in _kept(lake, year) if i[phenotype] is not None])


def density_1000jh_by_period(lake: lake_fixture.Lake, phenotype: str, specimen: str, year: int, _y: int, per_es: bool
                             ) -> Answer:  # fmt: skip
    """Each period's cases (its own decisions) over the same period's patient-days, paired within each
    establishment (a period with resistance data and no patient-days, or the reverse, is left out), then added up."""
    reported: dict[tuple[str, str], int] = {}
    for row in lake.rows["isolates"]:
        if int(row["year"]) == year:
            counted = bool(row["blood_kept"]) if specimen == "blood" else bool(row["kept"])
            key = (row["es"], row["period"])
            reported[key] = reported.get(key, 0) + (counted and row[phenotype] is True)
    days = _days(lake, year, True, "period")
    found: dict[tuple[str, str], tuple[int, int]] = {}
    for (es, period), cases in reported.items():
        if (es, period) in days:
            key = (es if per_es else "scope", period)
            total, patient_days = found.get(key, (0, 0))
            found[key] = (total + cases, patient_days + days[(es, period)])
    return {(k, d, float(cases), float(pd), cases) for (k, d), (cases, pd) in found.items()}


def density_1000jh(lake: lake_fixture.Lake, phenotype: str, specimen: str, year: int, _y: int, per_es: bool) -> Answer:
    cases: dict[str, int] = {}
    for row in lake.rows["isolates"]:
        counted = bool(row["blood_kept"]) if specimen == "blood" else row["kept"]
        if int(row["year"]) == year and counted and row[phenotype]:
            cases[_key(row, per_es)] = cases.get(_key(row, per_es), 0) + 1
    return {(k, "total", float(cases.get(k, 0)), days, cases.get(k, 0)) for (k, _), days in _days(lake, year, per_es).items()}


def density_1000jh_by_sector(lake: lake_fixture.Lake, phenotype: str, specimen: str, year: int, _y: int, per_es: bool
                             ) -> Answer:  # fmt: skip
    """Cases of a sector over the same sector's patient-days; either side may be missing (no sector: left out)."""
    cases: dict[tuple[str, Any], int] = {}
    for row in lake.rows["isolates"]:
        counted = bool(row["blood_kept"]) if specimen == "blood" else row["kept"]
        if int(row["year"]) == year and counted and row[phenotype] and row["sector"] is not None:
            key = (_key(row, per_es), row["sector"])
            cases[key] = cases.get(key, 0) + 1
    days = _days(lake, year, per_es, "sector")
    return {(k, d, float(cases.get((k, d), 0)), days.get((k, d), 0), cases.get((k, d), 0)) for k, d in {*cases, *days}}


def antifungal_r(lake: lake_fixture.Lake, memberships: str, year: int, per_es: bool) -> Answer:
    """DOMAIN.md §10.10: for each class, a kept isolate of a species it is reported for with at least one of
    the class's agents tested counts; resistant when one of them is R."""
    members = [tuple(entry.split("|")) for entry in memberships.split(",") if entry]
    results: dict[str, dict[str, str]] = {}
    for row in lake.rows["results"]:
        results.setdefault(row["isolate_id"], {})[row["antibiotic"]] = row["sir"]
    pairs = []
    for isolate in _kept(lake, year):
        for class_id in sorted({c for c, _, _ in members}):
            agents = {a for c, species, a in members if c == class_id and species == isolate["species"]}
            tested = [sir for code, sir in results.get(isolate["isolate_id"], {}).items() if code in agents]
            if tested:
                pairs.append(((_key(isolate, per_es), f"{isolate['species']}|{class_id}"), "R" in tested))
    return _share(pairs)


def carbapenemase(lake: lake_fixture.Lake, untyped: str, negative: str, year: int, per_es: bool) -> Answer:
    """Kept EPC per type (no flag: untyped) over the scope's kept EPC, every type found for every scope key."""
    types: dict[str, list[str]] = {}
    for row in _kept(lake, year):
        if row["epc"]:
            found = row["carbapenemase"] if row["carbapenemase"] not in (None, negative) else untyped
            types.setdefault(_key(row, per_es), []).append(found)
    every = {t for found in types.values() for t in found}
    return {(k, t, float(found.count(t)), float(len(found)), len(found)) for k, found in types.items() for t in every}


def cumulative_antibiogram(lake: lake_fixture.Lake, year: int, per_es: bool, specimen: str, sector: str) -> Answer:
    """M39's first isolates per species x antibiotic: R among S + SFP + R (tests/support/m39_reference.py)."""
    isolates = m39_reference.from_lake(lake.rows, year, {es for es, _ in lake_fixture.ESTABLISHMENTS})
    rows, _ = m39_reference.antibiogram(isolates, specimen or None, sector or None, per_es=per_es, minimum=0)
    return {(r.get("establishment", "scope"), f"{r['species']}|{r['antibiotic']}", round(r["pct_r"] * r["n"] / 100),
             float(r["n"]), r["n"]) for r in rows}  # fmt: skip


AWARE_GROUPS = (AwareCategory.ACCESS, AwareCategory.WATCH, AwareCategory.RESERVE)
DDJ_DIMENSIONS = ("total", "family", "molecule", "route")
#: Each query with parameter sets to try and its plain-Python answer.
CASES: dict[str, tuple[list[tuple[Any, ...]], Callable[..., Answer]]] = {
    "ddj_1000jh": ([("antibiotic", d, 2025, 2025, e) for d in DDJ_DIMENSIONS for e in (True, False)]
                   + [("antifungal", "total", 2024, 2024, True)], ddj_1000jh),
    "aware_ddd": ([(*(listed(default_aware().keys(c)) for c in AWARE_GROUPS), 2025, True),
                   (",J01CR02|,J01CA04|O,", ",J01CA04|,J01MA02|,", ",J01DH02|P,", 2024, False)], aware_ddd),
    "carbapenemase": ([("non précisé", "négatif", 2025, True), ("non précisé", "négatif", 2024, False)], carbapenemase),
    "cumulative_antibiogram": ([(2025, True, "", ""), (2024, False, "URINE", ""), (2024, True, "", "MED")],
                               cumulative_antibiogram),
    "ddj_1000jh_by_period": ([("antibiotic", 2025, 2025, True), ("antifungal", 2024, 2024, False)], ddj_1000jh_by_period),
    "ddj_1000jh_by_sector": ([("antibiotic", 2025, 2025, False), ("antifungal", 2024, 2024, True)], ddj_1000jh_by_sector),
    "ddj_1000jh_by_specialty": ([("antifungal", 2025, 2025, False), ("antibiotic", 2024, 2024, True)], ddj_1000jh_by_specialty),
    "ddj_1000jh_by_uf": ([("antibiotic", 2025, 2025, True), ("antifungal", 2024, 2024, False)], ddj_1000jh_by_uf),
    "pct_r": ([(2025, False, "", ""), (2024, True, "", ""), (2025, True, "URINE", ""), (2025, False, "", "MED"),
               (2024, False, "HEMOC", "REA")], pct_r),
    "antifungal_r": ([(memberships(), 2025, True), (memberships(), 2024, False),
                      (",fluconazole|CANALB|FLU,azoles|CANALB|FLU,azoles|CANALB|VOR,echinocandines|CANGLA|CAS,", 2025, False)],
                     antifungal_r),
    "pct_phenotype": ([("sarm", 2025, True, "species_group"), ("c3g_r", 2024, False, "species_group")]
                      + [(p, 2025, e, "species") for p in ("c3g_r", "epc", "carba_r") for e in (True, False)], pct_phenotype),
    "pct_phenotype_by_period": ([("sarm", 2025, True), ("eblse", 2024, False), ("fq_r", 2025, False)], pct_phenotype_by_period),
    "density_1000jh_by_period": ([("sarm", "blood", 2025, 2025, True), ("eblse", "all", 2024, 2024, False),
                                  ("epc", "all", 2025, 2025, True)], density_1000jh_by_period),
    "density_1000jh": ([("sarm", "blood", 2025, 2025, False), ("eblse", "all", 2024, 2024, True)], density_1000jh),
    "density_1000jh_by_sector": ([("epc", "all", 2025, 2025, True), ("sarm", "blood", 2024, 2024, False),
                                  ("c3g_r", "all", 2024, 2024, False)], density_1000jh_by_sector),
}  # fmt: skip


def test_every_query_file_has_its_cases():
    assert sorted(CASES) == QUERIES


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_file_runs_on_duckdb_with_bound_parameters(query, tmp_path):
    text = resources.files("chalicelib.queries").joinpath(f"{query}.sql").read_text()
    tables = {name: TableSource((), columns) for name, columns in COLUMNS.items()}
    parameters = CASES[query][0][0]
    assert text.count("?") == len(parameters)
    assert DuckDbQueryEngine(FakeObjectStore(), "lake", str(tmp_path)).run(query, parameters, tables) == []


@pytest.fixture(scope="module")
def fixture_lake(tmp_path_factory):
    lake, objects = lake_fixture.build(), FakeObjectStore()
    keys = lake.keys(objects)
    engine = DuckDbQueryEngine(objects, lake_fixture.BUCKET, str(tmp_path_factory.mktemp("cache")))
    return lake, engine, {name: TableSource(keys.get(name, ()), columns) for name, columns in COLUMNS.items()}


def _rounded(answer: Answer) -> set[tuple[str, str, float, float, int]]:
    return {(str(k), str(d), round(float(num), 4), round(float(den), 4), int(n)) for k, d, num, den, n in answer}


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_file_matches_a_plain_python_computation_of_the_fixture_lake(query, fixture_lake):
    lake, engine, tables = fixture_lake
    cases, expected = CASES[query]
    for parameters in cases:
        found = {
            (r["scope_key"], r["dim"], r["numerator"], r["denominator"], r["n"]) for r in engine.run(query, parameters, tables)
        }
        want = _rounded(expected(lake, *parameters))
        assert want, f"{query}{parameters}: the fixture should give rows"
        assert _rounded(found) == want, f"{query}{parameters}"


def test_a_column_added_to_a_dataset_reads_null_in_older_files(tmp_path):
    """patient_days.specialty came later: files written before it still answer (as Athena does through Glue)."""
    from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter

    objects, old = FakeObjectStore(), tuple(c for c in COLUMNS["patient_days"] if c[0] != "specialty")
    key = "lake/patient_days/year=2025/region=52/es=440000990/old.parquet"
    objects.put("lake", key, DuckDbLakeWriter().parquet(old, [("440000990", "2025", "0412", "MED", 900, None, "u1")]), "x")
    tables = {name: TableSource((key,) if name == "patient_days" else (), columns) for name, columns in COLUMNS.items()}
    engine = DuckDbQueryEngine(objects, "lake", str(tmp_path))
    assert engine.run("ddj_1000jh_by_specialty", ("antifungal", 2025, 2025, False), tables) == []
    assert engine.run("density_1000jh", ("sarm", "all", 2025, 2025, False), tables)[0]["denominator"] == 900
