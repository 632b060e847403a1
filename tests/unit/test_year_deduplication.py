"""Quarterly antibiograms deduplicated over the year (DOMAIN.md §6): a year of isolates sent as four
quarterly files, with repeats across quarters, through the real import path on fakes; the yearly
indicators (DuckDB SQL) against a plain-Python computation from DOMAIN.md, exactly for the counts and
to 1e-9 for the ratios; the same isolates sent as one annual file give the same figures; the quarters'
own decisions (``kept``) are unchanged."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.lake import ISOLATES_YEAR, PHENOTYPES
from chalicelib.domain.lake import PATIENT_DAYS as PATIENT_DAYS_FILE
from chalicelib.domain.precision import poisson_exact, wilson
from chalicelib.domain.resistance.dedup_setting import INITIAL
from chalicelib.services.indicators import Computation, LakeTables
from chalicelib.services.ports import CurrentDataset
from chalicelib.services.year_dedup import YEAR_FILE_TYPE
from infra.local.demo_antibiograms import antibiogram_rows
from tests.fakes.wiring import FakeWorld
from tests.support import files
from tests.support.laboratory import a_world_with_a_laboratory
from tests.support.workflow import run_tasks, runner

FINESS = "440000990"
UFS = ["0412", "1204", "0997"]
YEAR = 2025
PATIENT_DAYS = 41_000
BLOOD = "HEMOC"


def run_workflow(world: FakeWorld) -> None:
    world.workflows.runner = runner(lambda: world.services.deduplication)


def send(world: FakeWorld, referent: Principal, lab: str, period: str, rows: list[list[str]]) -> str:
    content = files.csv(rows)
    upload, _, _ = world.services.uploads.create(referent, FINESS, "resistance", period, f"{period}.csv", len(content), lab)
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(raw, upload.raw_key, "v1")
    final = world.uploads.get(Finess(FINESS), upload.upload_id)
    assert final is not None and final.status is UploadStatus.DEDUPLICATED, final
    return upload.upload_id


def with_patient_days(world: FakeWorld) -> None:
    """The year's patient-days, current as an import would leave them (densities need a denominator)."""
    lake = world.services.settings.buckets["lake"]
    establishment = world.tenants.get_establishment(Finess(FINESS))
    assert establishment is not None
    key = PATIENT_DAYS_FILE.key(YEAR, establishment.region.value, establishment.finess, "jh")
    rows = [PATIENT_DAYS_FILE.row(finess=FINESS, period=str(YEAR), code_uf="0412", sector=None, patient_days=PATIENT_DAYS,
                                  admissions=900, upload_id="jh", specialty=None)]  # fmt: skip
    world.objects.put(lake, key, DuckDbLakeWriter().parquet(PATIENT_DAYS_FILE.columns, rows), "application/octet-stream")
    world.uploads.replace_current(CurrentDataset(Finess(FINESS), "patient_days", str(YEAR), "jh", (key,), 1), None)


def quarter_of(row: list[str]) -> int:
    return (int(row[4].split("/")[1]) - 1) // 3 + 1


def year_rows() -> list[list[str]]:
    """A year of isolates, about a third of them repeats of an earlier one within 20 days (often the next quarter)."""
    return antibiogram_rows(UFS, YEAR, 11, 900, 25, repeat_share=0.35)


@pytest.fixture(scope="module")
def quarterly() -> dict[str, Any]:
    return a_quarterly_year()


@pytest.fixture
def changed() -> dict[str, Any]:
    """A quarterly year of its own, for a test that changes it."""
    return a_quarterly_year()


def a_quarterly_year() -> dict[str, Any]:
    world, referent, lab = a_world_with_a_laboratory(FINESS, UFS)
    run_workflow(world)
    with_patient_days(world)
    rows = year_rows()
    header, data = rows[0], rows[1:]
    uploads = {}
    for quarter in range(1, 5):
        period = f"{YEAR}-T{quarter}"
        uploads[period] = send(world, referent, lab, period, [header, *(row for row in data if quarter_of(row) == quarter)])
    return {"world": world, "referent": referent, "lab": lab, "uploads": uploads, "rows": rows}


@pytest.fixture(scope="module")
def annual() -> dict[str, Any]:
    world, referent, lab = a_world_with_a_laboratory(FINESS, UFS)
    run_workflow(world)
    with_patient_days(world)
    upload = send(world, referent, lab, str(YEAR), year_rows())
    return {"world": world, "referent": referent, "uploads": {str(YEAR): upload}}


def lake_rows(world: FakeWorld, dataset: str) -> list[dict[str, Any]]:
    lake = world.services.settings.buckets["lake"]
    keys = [key for current in world.uploads.current_for_year(Finess(FINESS), YEAR) for key in current.lake_keys]
    reader = DuckDbLakeReader(world.objects)
    return [row for key in keys if key.split("/")[1] == dataset for row in reader.rows(lake, key)]


def indicator(found: dict[str, Any], name: str, **options: str) -> list[dict[str, Any]]:
    by = options.pop("by", None)
    answer = found["world"].services.indicators.compute(
        found["referent"], name, f"establishment:{FINESS}", str(YEAR), by, options
    )
    return answer["rows"]


# --- the reference: DOMAIN.md §6 and §7 in plain Python, over the isolates as imported ---------------


def reference_kept(isolates: list[dict[str, Any]], results: dict[str, dict[str, str]], blood: bool = False) -> set[str]:
    """§6 over the whole year: per patient × species, in order of specimen date (same date: most antibiotics
    tested first, then file order), an isolate is a duplicate when it does not disagree with an isolate already
    kept (S against R on a common antibiotic, ESBL or carbapenemase positive against negative); blood cultures:
    the first blood isolate per patient × species."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for isolate in isolates:
        if blood and isolate["specimen"] != BLOOD:
            continue
        groups.setdefault((isolate["pseudonym"], isolate["species"]), []).append(isolate)
    kept: set[str] = set()
    for members in groups.values():
        members.sort(key=lambda i: (i["specimen_date"], -len(results.get(i["isolate_id"], {})), i["period"], row_of(i)))
        chosen: list[dict[str, Any]] = []
        for isolate in members:
            if blood:
                if not chosen:
                    chosen.append(isolate)
                continue
            if all(disagree(isolate, other, results) for other in chosen):
                chosen.append(isolate)
        kept.update(i["isolate_id"] for i in chosen)
    return kept


def row_of(isolate: dict[str, Any]) -> int:
    return int(str(isolate["isolate_id"]).rsplit(":", 1)[1])


def disagree(a: dict[str, Any], b: dict[str, Any], results: dict[str, dict[str, str]]) -> bool:
    for flag in ("esbl", "carbapenemase"):
        x, y = positive(a, flag), positive(b, flag)
        if x is not None and y is not None and x != y:
            return True
    mine, theirs = results.get(a["isolate_id"], {}), results.get(b["isolate_id"], {})
    return any({mine[code], theirs[code]} == {"S", "R"} for code in mine.keys() & theirs.keys())


def positive(isolate: dict[str, Any], flag: str) -> bool | None:
    value = isolate[flag]
    if flag == "carbapenemase":
        value = None if value is None else value != "négatif"
    if value is None and isolate["eblse" if flag == "esbl" else "epc"] is True:
        return True  # the species label's hint
    return value


def reference(found: dict[str, Any]) -> dict[str, Any]:
    world = found["world"]
    isolates = lake_rows(world, "isolates")
    results: dict[str, dict[str, str]] = {}
    for row in lake_rows(world, "results"):
        results.setdefault(row["isolate_id"], {})[row["antibiotic"]] = row["sir"]
    kept = reference_kept(isolates, results)
    blood_kept = reference_kept(isolates, results, blood=True)
    chosen = [i for i in isolates if i["isolate_id"] in kept]
    pct_r: dict[str, Counter[str]] = {"n": Counter(), "r": Counter()}
    for isolate in chosen:
        for code, sir in results.get(isolate["isolate_id"], {}).items():
            key = f"{isolate['species']}|{code}"
            pct_r["n"][key] += 1
            pct_r["r"][key] += sir == "R"
    phenotype: dict[str, dict[str, tuple[int, int]]] = {}
    density: dict[tuple[str, str], int] = {}
    for name in PHENOTYPES:
        known = [i for i in chosen if i[name] is not None]
        groups = {i["species_group"] for i in known}
        phenotype[name] = {
            g: (sum(i[name] is True for i in known if i["species_group"] == g), sum(i["species_group"] == g for i in known))
            for g in groups
        }
        density[(name, "all")] = sum(i[name] is True for i in chosen)
        density[(name, "blood")] = sum(i[name] is True for i in isolates if i["isolate_id"] in blood_kept)
    return {"pct_r": pct_r, "phenotype": phenotype, "density": density, "kept": kept, "blood_kept": blood_kept}


@pytest.fixture(scope="module")
def expected(quarterly: dict[str, Any]) -> dict[str, Any]:
    return reference(quarterly)


# --- the tests ------------------------------------------------------------------------------------


def test_the_generated_year_has_repeats_across_quarters(quarterly, expected):
    isolates = lake_rows(quarterly["world"], "isolates")
    per_quarter = sum(i["kept"] for i in isolates)
    assert len(expected["kept"]) < per_quarter  # the whole-year rule counts fewer: Q1's isolate makes Q2's repeat one
    assert per_quarter - len(expected["kept"]) >= 10


def test_a_patient_has_one_pseudonym_in_every_quarter_of_the_establishment(quarterly):
    isolates = lake_rows(quarterly["world"], "isolates")
    data = quarterly["rows"][1:]
    by_quarter = {q: [row for row in data if quarter_of(row) == q] for q in range(1, 5)}
    upload_of = {upload: int(period[-1]) for period, upload in quarterly["uploads"].items()}
    pseudonyms: dict[str, set[str]] = {}
    quarters: dict[str, set[int]] = {}
    for isolate in isolates:
        upload, row = str(isolate["isolate_id"]).rsplit(":", 1)
        patient = by_quarter[upload_of[upload]][int(row) - 2][1]  # row 1 is the header
        pseudonyms.setdefault(patient, set()).add(isolate["pseudonym"])
        quarters.setdefault(patient, set()).add(upload_of[upload])
    assert all(len(found) == 1 for found in pseudonyms.values())
    assert sum(len(found) > 1 for found in quarters.values()) >= 10  # patients seen in several quarters
    assert len({next(iter(found)) for found in pseudonyms.values()}) == len(pseudonyms)  # two patients, two pseudonyms


def spread(isolates: list[dict[str, Any]]) -> set[str]:
    """The isolates of a patient × species found in more than one period."""
    periods: dict[tuple[str, str], set[str]] = {}
    for isolate in isolates:
        periods.setdefault((isolate["pseudonym"], isolate["species"]), set()).add(isolate["period"])
    return {i["isolate_id"] for i in isolates if len(periods[(i["pseudonym"], i["species"])]) > 1}


def year_kept(world: FakeWorld) -> dict[str, bool]:
    """Each isolate's yearly decision as the indicators read it: the yearly file's, else its period's."""
    decided = {row["isolate_id"]: row["kept_year"] for row in lake_rows(world, "isolates_year")}
    return {i["isolate_id"]: decided.get(i["isolate_id"], i["kept"]) for i in lake_rows(world, "isolates")}


def test_the_yearly_decisions_are_one_current_file_of_the_isolates_met_in_several_quarters(quarterly, expected):
    world = quarterly["world"]
    current = world.uploads.current(Finess(FINESS), YEAR_FILE_TYPE, str(YEAR))
    assert current is not None and len(current.lake_keys) == 1
    decided = lake_rows(world, "isolates_year")
    assert sorted(decided[0]) == sorted(name for name, _ in ISOLATES_YEAR.columns)
    assert {row["isolate_id"] for row in decided} == spread(lake_rows(world, "isolates"))
    assert {i for i, kept in year_kept(world).items() if kept} == expected["kept"]
    blood = {row["isolate_id"]: row["blood_kept_year"] for row in decided}
    isolates = lake_rows(world, "isolates")
    assert {i["isolate_id"] for i in isolates if blood.get(i["isolate_id"], i["blood_kept"])} == expected["blood_kept"]
    lake = world.services.settings.buckets["lake"]
    assert len(world.objects.list_keys(lake, "lake/isolates_year/")) == 1  # each recomputation replaced the last
    report = json.loads(world.objects.get(lake, f"reports/{FINESS}/{quarterly['uploads'][f'{YEAR}-T4']}.json"))
    kept_year = sum(row["kept_year"] for row in decided)
    expected_summary = {"rule": "patient-espece-antibiotype-annee-v1", "isolates": len(decided), "kept_year": kept_year}
    assert report["summary"]["year"] == expected_summary


def test_each_quarter_keeps_its_own_decisions(quarterly):
    isolates = lake_rows(quarterly["world"], "isolates")
    for period in quarterly["uploads"]:
        own = [i for i in isolates if i["period"] == period]
        assert own and all(i["dedup_rule"] == "patient-espece-antibiotype-v1" for i in own)
    decided = year_kept(quarterly["world"])
    assert all(i["kept"] for i in isolates if decided[i["isolate_id"]])  # the year only ever drops isolates
    assert all(decided[i["isolate_id"]] == i["kept"] for i in isolates if i["period"] == f"{YEAR}-T1")  # Q1: nothing before


def test_pct_r_of_the_year_is_the_reference_over_the_whole_year(quarterly, expected):
    rows = indicator(quarterly, "pct_r")
    found = {f"{r['species']}|{r['antibiotic']}": r for r in rows}
    assert set(found) == set(expected["pct_r"]["n"])
    for key, row in found.items():
        tested, resistant = expected["pct_r"]["n"][key], expected["pct_r"]["r"][key]
        assert (row["n"], row["numerator"], row["denominator"]) == (tested, resistant, tested), key
        assert row["value"] == pytest.approx(round(100 * resistant / tested, 3), abs=1e-9)  # the API's 3 decimals
        interval = wilson(resistant, tested)
        assert interval is not None
        assert (row["ci_low"], row["ci_high"]) == (round(100 * interval.low, 3), round(100 * interval.high, 3))


@pytest.mark.parametrize("phenotype", PHENOTYPES)
def test_pct_phenotype_of_the_year_is_the_reference_over_the_whole_year(quarterly, expected, phenotype):
    rows = indicator(quarterly, "pct_phenotype", phenotype=phenotype)
    found = {r["species_group"]: (int(r["numerator"]), r["n"]) for r in rows}
    assert found == expected["phenotype"][phenotype]
    for row in rows:
        positive, known = expected["phenotype"][phenotype][row["species_group"]]
        assert row["value"] == pytest.approx(round(100 * positive / known, 3), abs=1e-9)
        interval = wilson(positive, known)
        assert interval is not None
        assert (row["ci_low"], row["ci_high"]) == (round(100 * interval.low, 3), round(100 * interval.high, 3))


@pytest.mark.parametrize("specimen", ["all", "blood"])
@pytest.mark.parametrize("phenotype", PHENOTYPES)
def test_density_of_the_year_is_the_reference_over_the_whole_year(quarterly, expected, phenotype, specimen):
    [row] = indicator(quarterly, "density_1000jh", phenotype=phenotype, specimen=specimen)
    cases = expected["density"][(phenotype, specimen)]
    assert (row["n"], row["numerator"], row["denominator"]) == (cases, cases, PATIENT_DAYS)
    assert row["value"] == pytest.approx(round(1000 * cases / PATIENT_DAYS, 3), abs=1e-9)
    interval = poisson_exact(cases)
    assert (row["ci_low"], row["ci_high"]) == (
        round(interval.low / PATIENT_DAYS * 1000, 3), round(interval.high / PATIENT_DAYS * 1000, 3)
    )


@pytest.mark.parametrize("specimen", ["all", "blood"])
@pytest.mark.parametrize("phenotype", PHENOTYPES)
def test_the_sectors_of_the_year_add_up_to_the_reference_over_the_whole_year(quarterly, expected, phenotype, specimen):
    rows = indicator(quarterly, "density_1000jh", phenotype=phenotype, specimen=specimen, by="sector")
    assert sum(row["n"] for row in rows) == expected["density"][(phenotype, specimen)]  # every UF has a sector here


def test_carbapenemase_types_of_the_year_count_the_epc_kept_over_the_whole_year(quarterly, expected):
    rows = indicator(quarterly, "carbapenemase")
    assert sum(row["numerator"] for row in rows) == expected["density"][("epc", "all")]


def test_the_density_of_blood_cultures_states_the_yearly_blood_culture_rule(quarterly):
    answer = quarterly["world"].services.indicators.compute(
        quarterly["referent"], "density_1000jh", f"establishment:{FINESS}", str(YEAR), None,
        {"phenotype": "eblse", "specimen": "blood"},
    )  # fmt: skip
    assert answer["rule"] == "hemoculture-patient-espece-annee-v1"


def comparable(rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((r.get("species"), r.get("antibiotic"), r.get("species_group"), r["numerator"], r["n"]) for r in rows)


def test_one_annual_file_of_the_same_isolates_gives_the_same_year(quarterly, annual):
    # The yearly rule on one file is that file's rule: no yearly decisions to publish, the period's stand.
    assert annual["world"].uploads.current(Finess(FINESS), YEAR_FILE_TYPE, str(YEAR)) is None
    assert not lake_rows(annual["world"], "isolates_year")
    assert comparable(indicator(annual, "pct_r")) == comparable(indicator(quarterly, "pct_r"))
    for phenotype in ("eblse", "sarm", "c3g_r"):
        assert comparable(indicator(annual, "pct_phenotype", phenotype=phenotype)) == comparable(
            indicator(quarterly, "pct_phenotype", phenotype=phenotype)
        )
        for specimen in ("all", "blood"):
            assert comparable(indicator(annual, "density_1000jh", phenotype=phenotype, specimen=specimen)) == comparable(
                indicator(quarterly, "density_1000jh", phenotype=phenotype, specimen=specimen)
            )


def test_removing_a_quarter_decides_the_year_again(changed):
    world, referent = changed["world"], changed["referent"]
    before = year_kept(world)
    world.services.datasets.remove(referent, FINESS, "resistance", f"{YEAR}-T1", "Mauvais fichier")
    after = year_kept(world)
    q1 = changed["uploads"][f"{YEAR}-T1"]
    assert set(after) == {i for i in before if not i.startswith(q1)}
    assert reference(changed)["kept"] == {i for i, kept in after.items() if kept}
    assert sum(after.values()) > sum(v for i, v in before.items() if not i.startswith(q1))  # Q2 repeats of Q1 count again
    # Sent again: the year counts them once more.
    header, data = changed["rows"][0], changed["rows"][1:]
    changed["uploads"][f"{YEAR}-T1"] = send(
        world, referent, changed["lab"], f"{YEAR}-T1", [header, *(row for row in data if quarter_of(row) == 1)]
    )
    assert sum(year_kept(world).values()) == sum(before.values())


def test_an_antibiogram_current_before_a_crash_gets_its_yearly_decisions_when_the_sweeper_settles_it(changed):
    world, referent = changed["world"], changed["referent"]
    before = year_kept(world)
    world.services.datasets.remove(referent, FINESS, "resistance", f"{YEAR}-T4", "Mauvais fichier")
    workflow = world.services.deduplication

    def crashing(payload: dict[str, Any]) -> None:  # the Lambda dies once the upload is current, before the year follows
        message = run_tasks(workflow, payload, ("pseudonymise", "deduplicate", "phenotypes"))
        year, workflow._year = workflow._year, None
        try:
            workflow.publish(message)
        finally:
            workflow._year = year

    world.workflows.runner = crashing
    header, data = changed["rows"][0], changed["rows"][1:]
    content = files.csv([header, *(row for row in data if quarter_of(row) == 4)])
    lab = changed["lab"]
    upload, _, _ = world.services.uploads.create(referent, FINESS, "resistance", f"{YEAR}-T4", "t4.csv", len(content), lab)
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(raw, upload.raw_key, "v1")
    assert sum(year_kept(world).values()) > sum(before.values())  # T4's repeats not judged over the year yet

    assert world.services.sweeper.sweep(interrupted=True) == 1
    assert world.uploads.get(Finess(FINESS), upload.upload_id).status is UploadStatus.DEDUPLICATED
    assert sum(year_kept(world).values()) == sum(before.values())


def test_down_to_one_quarter_the_yearly_decisions_go(changed):
    world, referent = changed["world"], changed["referent"]
    for quarter in (2, 3, 4):
        world.services.datasets.remove(referent, FINESS, "resistance", f"{YEAR}-T{quarter}", "Mauvais fichier")
    assert world.uploads.current(Finess(FINESS), YEAR_FILE_TYPE, str(YEAR)) is None
    lake = world.services.settings.buckets["lake"]
    assert world.objects.list_keys(lake, "lake/isolates_year/") == []


def test_the_quarters_closed_copies_carry_the_yearly_decisions(changed):
    world = changed["world"]
    for quarter in (1, 2, 3, 4):
        world.periods.start_closing(Finess(FINESS), f"{YEAR}-T{quarter}", "2026-01-01T00:00:00", "r@chu.fr")
        world.services.closure.task_close({"finess": FINESS, "period": f"{YEAR}-T{quarter}", "by": "r@chu.fr"})
    lake = world.services.settings.buckets["lake"]
    closed = world.objects.list_keys(lake, "closed/isolates_year/")
    assert len(closed) == 1 and closed[0].rsplit("/", 1)[1].startswith("annee-")
    periods = world.services.closure.periods(changed["referent"], FINESS, str(YEAR))
    datasets = {p["period"]: p["datasets"] for p in periods}
    assert datasets[str(YEAR)] == ["patient_days"]  # the fixture's; the yearly decisions are no data sent for the year
    assert all(datasets[f"{YEAR}-T{q}"] == ["resistance"] for q in range(1, 5))
    # What regions and the nation read (closed copies) is the establishment's own year.
    computation = Computation(world.services.adapters.query_engine, world.settings)
    tables = LakeTables(world.uploads, world.services.adapters.lake)
    pct_r = INDICATORS["pct_r"]
    closed = computation.rows(pct_r, YEAR, None, {}, tables.closed(YEAR, INITIAL), per_es=False)
    draft = computation.rows(pct_r, YEAR, None, {}, tables.draft(FINESS, YEAR, INITIAL), per_es=False)
    assert comparable(closed) == comparable(draft)
    assert comparable(closed) == comparable(indicator(changed, "pct_r"))

