"""The quarterly view of resistance (issue #20; DOMAIN.md §3, §6): % of a phenotype and incidence density by
period of the data, each quarter under its own deduplication ("quarterly views keep the per-quarter result",
never the whole year's decisions), an isolate counting in the period of the import it came in; a yearly sender
gives its year; a density's quarter is its cases over the same quarter's patient-days and a quarter without
them is left out, as the consumption's quarterly view. Resistance may come by another periodicity than
patient-days (§3): periods pair within each establishment before a region or the nation adds them up.

Over a small quarterly lake of its own: the SQL equals the plain-Python references of
``test_query_files.py`` and the figures worked out by hand below."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.domain.codes import Finess
from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.lake import PATIENT_DAYS
from chalicelib.domain.precision import poisson_exact, wilson
from chalicelib.domain.resistance.dedup import BLOOD_RULE, DEFAULT_RULE
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.indicators.open_data import open_cells
from chalicelib.services.ports import CurrentDataset, TableSource
from tests.fakes.stores import FakeObjectStore
from tests.fakes.wiring import FakeWorld
from tests.support import lake_fixture
from tests.support.laboratory import a_world_with_a_laboratory
from tests.unit import test_year_deduplication as year_dedup
from tests.unit.test_query_files import density_1000jh_by_period, pct_phenotype_by_period

QUARTERLY, YEARLY, MIXED = "440000990", "490000999", "750000002"  # MIXED: antibiograms by quarter, patient-days by year
REGION = {QUARTERLY: "52", YEARLY: "52", MIXED: "11"}


def isolate(es: str, period: str, name: str, *, kept: bool = True, sarm: bool | None = None, blood: bool | None = None,
            eblse: bool | None = None) -> dict[str, Any]:  # fmt: skip
    group = "staphylococci" if sarm is not None else "enterobacterales"
    return {"year": "2025", "region": REGION[es], "es": es, "finess": es, "period": period, "isolate_id": f"{es}-{name}",
            "species_group": group, "kept": kept, "blood_kept": blood, "sarm": sarm, "eblse": eblse}  # fmt: skip


def days(es: str, period: str, n: int) -> dict[str, Any]:
    return {"year": "2025", "region": REGION[es], "es": es, "finess": es, "period": period, "code_uf": "0412",
            "sector": "MED", "patient_days": n}  # fmt: skip


def quarterly_lake() -> lake_fixture.Lake:
    isolates = [
        # T1: two S. aureus, one SARM (a blood culture), one E. coli EBLSE.
        isolate(QUARTERLY, "2025-T1", "a", sarm=True, blood=True), isolate(QUARTERLY, "2025-T1", "b", sarm=False),
        isolate(QUARTERLY, "2025-T1", "c", eblse=True),
        # T2: the SARM of T1 again, kept by T2's own decisions (a duplicate for the year: not here), and a repeat
        # within T2 that T2 dropped; one S. aureus whose cefoxitin was not tested (unknown, never negative).
        isolate(QUARTERLY, "2025-T2", "a2", sarm=True, blood=True), isolate(QUARTERLY, "2025-T2", "a3", sarm=True, kept=False),
        isolate(QUARTERLY, "2025-T2", "d", sarm=False), isolate(QUARTERLY, "2025-T2", "e"),
        # T3: resistance data but no patient-days that quarter.
        isolate(QUARTERLY, "2025-T3", "f", sarm=True),
        isolate(YEARLY, "2025", "g", sarm=True), isolate(YEARLY, "2025", "h", sarm=False),
        isolate(YEARLY, "2025", "i", sarm=False),
        isolate(MIXED, "2025-T1", "j", sarm=True), isolate(MIXED, "2025-T2", "k", sarm=False),
    ]  # fmt: skip
    patient_days = [days(QUARTERLY, "2025-T1", 2000), days(QUARTERLY, "2025-T2", 2500), days(QUARTERLY, "2025-T4", 1800),
                    days(YEARLY, "2025", 9000), days(MIXED, "2025", 12000)]  # fmt: skip
    # The whole year's decisions say T2's repeat of T1's SARM is a duplicate: the quarterly view never reads them.
    year = [{"year": "2025", "region": "52", "es": QUARTERLY, "finess": QUARTERLY, "isolate_id": f"{QUARTERLY}-a2",
             "kept_year": False, "blood_kept_year": False}]  # fmt: skip
    rows = {name: [] for name in lake_fixture.QUERIED}
    rows.update({"isolates": isolates, "patient_days": patient_days, "isolates_year": year})
    return lake_fixture.Lake(rows)


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    lake, objects = quarterly_lake(), FakeObjectStore()
    keys = lake.keys(objects)
    engine = DuckDbQueryEngine(objects, lake_fixture.BUCKET, str(tmp_path_factory.mktemp("cache")))
    tables = {name: TableSource(keys.get(name, ()), columns) for name, columns in COLUMNS.items()}

    def run(query: str, *parameters: Any) -> list[tuple[Any, ...]]:
        found = engine.run(query, parameters, tables)
        return [(r["scope_key"], r["dim"], r["numerator"], r["denominator"], r["n"]) for r in found]

    return lake, run


def test_each_quarter_s_share_counts_its_own_kept_isolates_and_a_yearly_sender_gives_its_year(quarters):
    _, run = quarters
    assert run("pct_phenotype_by_period", "sarm", 2025, True) == [
        (QUARTERLY, "2025-T1", 1.0, 2.0, 2),
        (QUARTERLY, "2025-T2", 1.0, 2.0, 2),  # a2 (a duplicate for the year) counts, a3 (T2's own duplicate) not
        (QUARTERLY, "2025-T3", 1.0, 1.0, 1),  # a share needs no patient-days
        (YEARLY, "2025", 1.0, 3.0, 3),
        (MIXED, "2025-T1", 1.0, 1.0, 1),
        (MIXED, "2025-T2", 0.0, 1.0, 1),
    ]
    assert run("pct_phenotype_by_period", "sarm", 2025, False) == [
        ("scope", "2025", 1.0, 3.0, 3), ("scope", "2025-T1", 2.0, 3.0, 3), ("scope", "2025-T2", 1.0, 3.0, 3),
        ("scope", "2025-T3", 1.0, 1.0, 1),
    ]  # fmt: skip


def test_each_quarter_s_density_is_its_cases_over_its_own_patient_days_and_a_quarter_without_them_is_left_out(quarters):
    _, run = quarters
    assert run("density_1000jh_by_period", "sarm", "all", 2025, 2025, True) == [
        (QUARTERLY, "2025-T1", 1.0, 2000.0, 1),
        (QUARTERLY, "2025-T2", 1.0, 2500.0, 1),  # T3: no patient-days; T4: no antibiograms; MIXED: no quarter of days
        (YEARLY, "2025", 1.0, 9000.0, 1),
    ]
    assert run("density_1000jh_by_period", "eblse", "all", 2025, 2025, True) == [
        (QUARTERLY, "2025-T1", 1.0, 2000.0, 1), (QUARTERLY, "2025-T2", 0.0, 2500.0, 0), (YEARLY, "2025", 0.0, 9000.0, 0),
    ]  # fmt: skip
    assert run("density_1000jh_by_period", "sarm", "blood", 2025, 2025, False) == [
        ("scope", "2025", 0.0, 9000.0, 0), ("scope", "2025-T1", 1.0, 2000.0, 1), ("scope", "2025-T2", 1.0, 2500.0, 1),
    ]  # fmt: skip
    # The nation's T1 adds only the establishments with both: never MIXED's yearly patient-days under a quarter.
    assert run("density_1000jh_by_period", "sarm", "all", 2025, 2025, False) == [
        ("scope", "2025", 1.0, 9000.0, 1), ("scope", "2025-T1", 1.0, 2000.0, 1), ("scope", "2025-T2", 1.0, 2500.0, 1),
    ]  # fmt: skip


@pytest.mark.parametrize("per_es", [True, False])
@pytest.mark.parametrize("phenotype", ["sarm", "eblse"])
def test_the_queries_equal_their_plain_python_references_over_the_quarters(quarters, phenotype, per_es):
    lake, run = quarters
    assert set(run("pct_phenotype_by_period", phenotype, 2025, per_es)) == pct_phenotype_by_period(lake, phenotype, 2025, per_es)
    for specimen in ("all", "blood"):
        found = set(run("density_1000jh_by_period", phenotype, specimen, 2025, 2025, per_es))
        assert found == density_1000jh_by_period(lake, phenotype, specimen, 2025, 2025, per_es)


# --- Through the import path: four quarterly antibiogram files, patient-days of three quarters -----------------------
#: Patient-days of each quarter; the fourth has none (its figures are left out of the densities).
QUARTER_DAYS = {"2025-T1": 10_000, "2025-T2": 11_000, "2025-T3": 9_500}


def with_quarterly_patient_days(world: FakeWorld) -> None:
    lake = world.services.settings.buckets["lake"]
    establishment = world.tenants.get_establishment(Finess(year_dedup.FINESS))
    assert establishment is not None
    for period, n in QUARTER_DAYS.items():
        key = PATIENT_DAYS.key(year_dedup.YEAR, establishment.region.value, establishment.finess, f"jh-{period}")
        rows = [PATIENT_DAYS.row(finess=year_dedup.FINESS, period=period, code_uf="0412", sector=None, patient_days=n,
                                 admissions=300, upload_id=f"jh-{period}", specialty=None)]  # fmt: skip
        world.objects.put(lake, key, DuckDbLakeWriter().parquet(PATIENT_DAYS.columns, rows), "application/octet-stream")
        current = CurrentDataset(Finess(year_dedup.FINESS), "patient_days", period, f"jh-{period}", (key,), 1)
        world.uploads.replace_current(current, None)


@pytest.fixture(scope="module")
def imported() -> dict[str, Any]:
    world, referent, lab = a_world_with_a_laboratory(year_dedup.FINESS, year_dedup.UFS)
    year_dedup.run_workflow(world)
    with_quarterly_patient_days(world)
    header, *data = year_dedup.year_rows()
    for quarter in range(1, 5):
        rows = [header, *(row for row in data if year_dedup.quarter_of(row) == quarter)]
        year_dedup.send(world, referent, lab, f"{year_dedup.YEAR}-T{quarter}", rows)
    isolates = year_dedup.lake_rows(world, "isolates")
    results: dict[str, dict[str, str]] = {}
    for row in year_dedup.lake_rows(world, "results"):
        results.setdefault(row["isolate_id"], {})[row["antibiotic"]] = row["sir"]
    # The reference: DOMAIN.md §6 within each quarter alone, whatever the other quarters hold.
    kept, blood = set(), set()
    for period in {i["period"] for i in isolates}:
        own = [i for i in isolates if i["period"] == period]
        kept |= year_dedup.reference_kept(own, results)
        blood |= year_dedup.reference_kept(own, results, blood=True)
    return {"world": world, "referent": referent, "isolates": isolates, "kept": kept, "blood": blood,
            "year_kept": year_dedup.reference_kept(isolates, results)}  # fmt: skip


def by_period(found: dict[str, Any], name: str, **options: str) -> dict[str, Any]:
    return found["world"].services.indicators.compute(
        found["referent"], name, f"establishment:{year_dedup.FINESS}", str(year_dedup.YEAR), "period", options
    )


def test_the_reference_keeps_each_quarter_s_own_isolates_not_the_year_s(imported):
    assert len(imported["kept"]) - len(imported["year_kept"]) >= 10  # repeats across quarters: the two views differ


@pytest.mark.parametrize("phenotype", ["sarm", "eblse", "epc", "c3g_r", "fq_r"])
def test_each_quarter_s_share_of_a_phenotype_is_the_reference_of_that_quarter_alone(imported, phenotype):
    answer = by_period(imported, "pct_phenotype", phenotype=phenotype)
    expected = {}
    for period in sorted({i["period"] for i in imported["isolates"]}):
        known = [i for i in imported["isolates"] if i["period"] == period and i["isolate_id"] in imported["kept"]
                 and i[phenotype] is not None]  # fmt: skip
        if known:
            expected[period] = (sum(i[phenotype] is True for i in known), len(known))
    assert len(expected) == 4
    assert {r["period"]: (int(r["numerator"]), r["n"]) for r in answer["rows"]} == expected
    for row in answer["rows"]:
        positive, n = expected[row["period"]]
        interval = wilson(positive, n)
        assert interval is not None
        assert row["value"] == pytest.approx(round(100 * positive / n, 3), abs=1e-9)
        assert (row["ci_low"], row["ci_high"]) == (round(100 * interval.low, 3), round(100 * interval.high, 3))
    assert answer["rule"] == DEFAULT_RULE.id and answer["dedup_setting"]["period"] == "annee"


@pytest.mark.parametrize("specimen", ["all", "blood"])
@pytest.mark.parametrize("phenotype", ["sarm", "eblse", "c3g_r"])
def test_each_quarter_s_density_is_its_own_cases_over_its_own_patient_days(imported, phenotype, specimen):
    answer = by_period(imported, "density_1000jh", phenotype=phenotype, specimen=specimen)
    chosen = imported["blood" if specimen == "blood" else "kept"]
    cases = {p: sum(i["period"] == p and i["isolate_id"] in chosen and i[phenotype] is True for i in imported["isolates"])
             for p in QUARTER_DAYS}  # fmt: skip
    assert [(r["period"], r["n"], r["denominator"]) for r in answer["rows"]] == [
        (p, cases[p], float(QUARTER_DAYS[p])) for p in sorted(QUARTER_DAYS)
    ]  # the fourth quarter has no patient-days: left out
    for row in answer["rows"]:
        interval = poisson_exact(row["n"])
        days = QUARTER_DAYS[row["period"]]
        assert row["value"] == pytest.approx(round(1000 * row["n"] / days, 3), abs=1e-9)
        assert (row["ci_low"], row["ci_high"]) == (round(interval.low / days * 1000, 3), round(interval.high / days * 1000, 3))
    assert answer["rule"] == (BLOOD_RULE if specimen == "blood" else DEFAULT_RULE).id


def test_open_data_by_period_count_establishments_and_isolates_cell_by_cell():
    rows = [{"period": "2025-T1", "value": 20.0, "numerator": 3.0, "denominator": 15.0, "n": 15},
            {"period": "2025-T2", "value": 25.0, "numerator": 2.0, "denominator": 8.0, "n": 8},
            {"period": "2025", "value": 10.0, "numerator": 4.0, "denominator": 40.0, "n": 40}]  # fmt: skip
    per_es = [{"period": p, "establishment": es, "n": 5} for p in ("2025-T1", "2025-T2") for es in ("A", "B", "C")]
    per_es += [{"period": "2025", "establishment": es, "n": 20} for es in ("D", "E")]
    first, second, year = open_cells(rows, per_es, INDICATORS["pct_phenotype"])
    assert (first["value"], first["establishments"]) == (20.0, 3)
    assert second == {"period": "2025-T2", "value": None, "suppressed": True}  # 8 isolates
    assert year == {"period": "2025", "value": None, "suppressed": True}  # 2 establishments send once a year
