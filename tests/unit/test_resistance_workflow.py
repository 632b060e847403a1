"""The deduplication workflow's data flow on fakes: a laboratory file through on_upload and the five
tasks; the lake's isolates and results against the file and the domain functions, written from the
columns computed by ``publish`` and from those ``prepare_isolates`` prepared alike."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import duckdb
import pytest

from chalicelib.adapters.duckdb_results_writer import DuckDbColumnarWriter
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.lake import ISOLATES, PHENOTYPES, RESULTS
from chalicelib.domain.resistance.dedup import DEFAULT_RULE, deduplicate, deduplicate_blood
from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir, VanGene
from chalicelib.domain.resistance.phenotypes import phenotypes
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.services.context import Context
from chalicelib.services.deduplication import DeduplicationWorkflow, pseudonym
from chalicelib.services.deduplication_messages import Failure, Step
from chalicelib.services.publisher import LakePublisher
from chalicelib.services.resistance_rules import BLOOD, classifier, decide, group_lookup
from infra.local.demo_antibiograms import ANTIBIOTICS, EXTRA, antibiogram_rows
from tests.fakes.identity import CountingIds
from tests.fakes.stores import FakePseudonymKeys
from tests.fakes.wiring import FakeWorld
from tests.support import files
from tests.support.laboratory import a_world_with_a_laboratory
from tests.support.workflow import parallel_output

FINESS = "440000990"
UFS = ["0412", "1204", "0997"]
CODE_OF = dict(ANTIBIOTICS + EXTRA)


def a_world() -> tuple[FakeWorld, Principal, str]:
    return a_world_with_a_laboratory(FINESS, UFS)


def workflow_of(world: FakeWorld, columnar: DuckDbColumnarWriter) -> DeduplicationWorkflow:
    reference = default_reference()
    adapters = world.services.adapters
    return DeduplicationWorkflow(
        uploads=world.uploads, tenants=world.tenants, units=world.units, raw=adapters.raw, lake=adapters.lake,
        keys=FakePseudonymKeys(), publisher=LakePublisher(world.uploads, adapters.lake), decide=decide,
        classify=classifier(reference), group_of=group_lookup(reference),
        context=Context(world.clock, CountingIds(), world.audit),
        columnar=columnar, reports=world.services.adapters.reports, work=world.services.adapters.work_objects,
    )  # fmt: skip


def parquet_rows(data: bytes, tmp_path, name: str) -> list[tuple[Any, ...]]:
    path = tmp_path / f"{name}.parquet"
    path.write_bytes(data)
    return duckdb.connect().execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> dict[str, Any]:
    """One file imported, its publish run with and without the prepared columns; what each wrote (rows sorted)
    and the workflow's objects."""
    tmp_path = tmp_path_factory.mktemp("lake")
    world, referent, lab = a_world()
    rows = antibiogram_rows(UFS, 2025, 7, 600, 25)
    raw_bucket, lake_bucket = world.services.settings.buckets["raw"], world.services.settings.buckets["lake"]
    found: dict[str, Any] = {"rows": rows, "world": world}

    def lake_files() -> dict[str, list[tuple[Any, ...]]]:
        keys = [k for k in world.objects.list_keys(lake_bucket, "lake/") if "/isolates/" in k or "/results/" in k]
        return {k.split("/")[1]: sorted(parquet_rows(world.objects.get(lake_bucket, k), tmp_path, k.split("/")[1])) for k in keys}

    def run(start: dict[str, Any]) -> None:
        found["payloads"] = [start]
        payload: Step = Step.model_validate(start)
        for task in ("pseudonymise", "deduplicate", "phenotypes"):
            payload = getattr(world.services.deduplication, task)(payload)
            found["payloads"].append(payload.to_wire())
        found["work"] = {k: world.objects.get(lake_bucket, k) for k in world.objects.list_keys(lake_bucket, "work/")}
        found["raw_work"] = world.objects.list_keys(raw_bucket, "work/")
        by_columns = workflow_of(world, DuckDbColumnarWriter()).publish(payload)
        found["by_columns"] = (by_columns.summary, lake_files())
        branch = workflow_of(world, DuckDbColumnarWriter()).publish_results(payload)
        shaped = Step.model_validate(parallel_output([payload, branch, payload]))  # as the state machine hands it on
        in_parallel = workflow_of(world, DuckDbColumnarWriter()).publish(shaped)
        found["in_parallel"] = (in_parallel.summary, lake_files(), branch.work_key)
        prepared = workflow_of(world, DuckDbColumnarWriter())
        found["part_key"] = prepared.prepare_isolates(payload).work_key
        found["part_written"] = world.objects.head(lake_bucket, found["part_key"]) is not None
        found["joined"] = (prepared.publish(shaped).summary, lake_files())
        world.services.deduplication.finish(by_columns)

    world.workflows.runner = run
    content = files.csv(rows)
    upload, _, _ = world.services.uploads.create(referent, FINESS, "resistance", "2025", "a.csv", len(content), lab)
    world.objects.put(raw_bucket, upload.raw_key, content, "text/csv")
    assert world.services.uploads.process_object(raw_bucket, upload.raw_key, "v1") is UploadStatus.VALIDATED
    final = world.uploads.get(Finess(FINESS), upload.upload_id)
    assert final is not None and final.status is UploadStatus.DEDUPLICATED
    found["upload_id"] = upload.upload_id
    found["raw_left"] = world.objects.list_keys(raw_bucket, "")
    found["work_left"] = world.objects.list_keys(lake_bucket, "work/")
    found["report"] = json.loads(world.objects.get(lake_bucket, f"reports/{FINESS}/{upload.upload_id}.json"))
    return found


def test_the_prepared_columns_joined_publish_the_same_lake_files_as_the_columns_computed_at_publish(imported):
    assert imported["part_written"] and imported["joined"] == imported["by_columns"]  # the prepared columns, joined
    summary, lake = imported["by_columns"]
    assert set(lake) == {"isolates", "results"}
    assert imported["report"]["summary"]["isolates_kept"] == summary["isolates_kept"]


def test_the_lake_columns_are_unchanged(imported, tmp_path):
    world = imported["world"]
    lake_bucket = world.services.settings.buckets["lake"]
    for dataset, columns in (("isolates", ISOLATES.columns), ("results", RESULTS.columns)):
        key = next(k for k in world.objects.list_keys(lake_bucket, f"lake/{dataset}/"))
        path = tmp_path / f"{dataset}.parquet"
        path.write_bytes(world.objects.get(lake_bucket, key))
        described = duckdb.connect().execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        assert [(d[0], d[1]) for d in described] == list(columns)


def test_every_result_of_the_file_reaches_the_lake_once(imported):
    header, *rows = imported["rows"]
    upload_id = imported["upload_id"]
    _, lake = imported["by_columns"]
    sir = {"S": "S", "SFP": "SFP", "R": "R", "I": "SFP"}
    expected = sorted(
        (FINESS, "2025", upload_id, f"{upload_id}:{number}", CODE_OF[header[column]], sir[cell.strip().upper()])
        for number, row in enumerate(rows, start=2)
        for column, cell in enumerate(row)
        if header[column] in CODE_OF and cell.strip()
    )
    assert sorted(lake["results"]) == expected
    assert len({row[3] for row in lake["isolates"]}) == len(rows)


def test_published_decisions_and_phenotypes_are_the_domains_on_the_lake_isolates(imported):
    """Isolates rebuilt from the lake (dictionaries), judged by the domain functions, agree with what was published."""
    _, lake = imported["by_columns"]
    names = [name for name, _ in ISOLATES.columns]
    published = [dict(zip(names, row, strict=True)) for row in lake["isolates"]]
    results: dict[str, dict[str, Sir]] = {}
    for *_, isolate_id, code, value in lake["results"]:
        results.setdefault(isolate_id, {})[code] = Sir(value)
    isolates = [
        Isolate(
            row["isolate_id"], int(row["isolate_id"].split(":")[1]), row["code_uf"], row["pseudonym"], row["age"], row["sex"],
            row["specimen_date"], row["specimen"], row["species"], results.get(row["isolate_id"], {}), row["esbl"],
            Carbapenemase(row["carbapenemase"]) if row["carbapenemase"] else None, VanGene(row["van"]) if row["van"] else None,
        )
        for row in published
    ]  # fmt: skip
    main = deduplicate(isolates, DEFAULT_RULE, lambda _i: "2025")
    blood = {d.isolate_id: d.kept for d in deduplicate_blood(isolates, lambda i: i.specimen == BLOOD, lambda _i: "2025")}
    assert [(r["kept"], r["duplicate_of"]) for r in published] == [(d.kept, d.duplicate_of) for d in main]
    assert [r["blood_kept"] for r in published] == [blood.get(i.isolate_id) for i in isolates]
    assert 0 < sum(r["kept"] for r in published) < len(published) and any(blood.values())
    group_of = group_lookup(default_reference())
    for row, isolate in zip(published, isolates, strict=True):
        found = phenotypes(isolate, group_of)
        assert [row[name] for name in PHENOTYPES] == [getattr(found, name) for name in PHENOTYPES]
    assert all(r["specimen_date"] >= date(2025, 1, 1) and r["dedup_rule"] == DEFAULT_RULE.id for r in published)
    summary, _ = imported["by_columns"]
    assert summary["phenotypes"] == {name: sum(1 for r in published if r["kept"] and r[name] is True) for name in PHENOTYPES}
    assert summary["isolates_kept"] + summary["duplicates"] == len(published)
    assert summary["blood_isolates_kept"] == sum(1 for r in published if r["blood_kept"])
    assert any(summary["phenotypes"].values())


def test_pseudonyms_are_the_keyed_hash_of_the_identifiers(imported):
    header, *rows = imported["rows"]
    _, lake = imported["by_columns"]
    secret = FakePseudonymKeys().secret_for(Finess(FINESS))
    by_row = {f"{imported['upload_id']}:{n}": row[header.index("IPP")] for n, row in enumerate(rows, start=2)}
    assert all(row[4] == pseudonym(secret, by_row[row[3]]) for row in lake["isolates"])


def test_identifiers_stay_in_the_raw_bucket_and_every_work_object_goes(imported, tmp_path):
    header, *rows = imported["rows"]
    identifiers = {row[header.index("IPP")] for row in rows}
    # The work objects are compressed Parquet: their values are read, not their bytes searched.
    values = {key: repr(parquet_rows(body, tmp_path, "work")) for key, body in imported["work"].items()}
    assert values and all(not any(identifier in text for identifier in identifiers) for text in values.values())
    assert [k.rsplit("/", 1)[1] for k in imported["raw_work"]] == ["isolates.parquet"]  # the identifiers' object is gone
    assert imported["raw_left"] == [] and imported["work_left"] == []


def test_payloads_are_ids_and_pointers(imported):
    for payload in imported["payloads"]:
        assert set(payload) <= {"finess", "upload_id", "period", "raw_work_key", "work_key"}
        assert len(json.dumps(payload)) < 400


def test_the_results_file_of_the_parallel_branch_is_the_one_made_current(imported):
    summary, lake, key = imported["in_parallel"]
    assert (summary, lake) == imported["by_columns"]
    current = imported["world"].uploads.current(Finess(FINESS), "resistance", "2025")
    assert current is not None and key in current.lake_keys and key.startswith("lake/results/")


def test_a_failed_import_leaves_no_lake_file_of_its_own():
    world, referent, lab = a_world()
    lake_bucket, raw_bucket = world.services.settings.buckets["lake"], world.services.settings.buckets["raw"]
    workflow = world.services.deduplication

    def run(payload: dict[str, Any]) -> None:
        start = Step.model_validate(payload)
        written = workflow.publish_results(start).work_key
        assert world.objects.list_keys(lake_bucket, "lake/results/") == [written]
        part = workflow.prepare_isolates(workflow.phenotypes(start)).work_key
        assert world.objects.head(lake_bucket, part) is not None
        workflow.fail(Failure.model_validate({**payload, "error": {"Error": "Lambda.Unknown"}}))  # the first branch failed

    world.workflows.runner = run
    content = files.csv(antibiogram_rows(UFS, 2025, 7, 50, 25))
    upload, _, _ = world.services.uploads.create(referent, FINESS, "resistance", "2025", "a.csv", len(content), lab)
    world.objects.put(raw_bucket, upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(raw_bucket, upload.raw_key, "v1")
    final = world.uploads.get(Finess(FINESS), upload.upload_id)
    assert final is not None and final.status is UploadStatus.FAILED
    assert world.objects.list_keys(lake_bucket, "lake/") == [] and world.objects.list_keys(lake_bucket, "work/") == []


def test_the_demo_laboratory_s_carbapenemase_types_reach_the_lake_as_reference_types_on_epc_only(imported):
    _, lake = imported["by_columns"]
    names = [name for name, _ in ISOLATES.columns]
    isolates = [dict(zip(names, row, strict=True)) for row in lake["isolates"]]
    typed = Counter(i["carbapenemase"] for i in isolates if i["epc"])
    assert set(typed) <= {c.value for c in Carbapenemase} - {Carbapenemase.NEGATIVE.value} and len(typed) >= 2
    assert {i["carbapenemase"] for i in isolates if i["epc"] is False} == {Carbapenemase.NEGATIVE.value}
    assert all(i["species_group"].casefold() == "enterobacterales" for i in isolates if i["epc"])
