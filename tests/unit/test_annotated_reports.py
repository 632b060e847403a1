"""The annotated report is written once, in the background, and served from the lake bucket
(issue #13, "reports that never block"): the route never renders."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from openpyxl import load_workbook

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.structure import Unit
from chalicelib.services.annotated_reports import Preparing, Ready
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import files

ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
CHU = Finess("440000990")
OTHER = Finess("750000010")
REFERENT = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})
STRANGER = Principal(Email("s@other.fr"), memberships={OTHER: Status.REFERENT})


def a_world() -> FakeWorld:
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU.value, "CHU", "CHU", "52")
    world.services.tenants.create_establishment(ADMIN, OTHER.value, "Autre", "CH", "11")
    world.units.replace_units(CHU, [Unit.create("0412", "Médecine", "03", "38")])
    world.access.put_membership(Membership(CHU, Email("r@chu.fr"), Status.REFERENT, "t"))
    world.access.put_membership(Membership(OTHER, Email("s@other.fr"), Status.REFERENT, "t"))
    return world


def a_refused_file(world: FakeWorld) -> str:
    content = files.csv([["code_uf", "annee", "lits"], ["0412", "2025", "trente"], ["0412", "2025", "-3"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "beds", "2025", "lits.csv", len(content), None)
    world.objects.put(world.services.settings.buckets["raw"], upload.raw_key, content, "text/csv")
    status = world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, "v1")
    assert status is UploadStatus.REJECTED
    return upload.upload_id


def produce_when_started(world: FakeWorld) -> None:
    world.workflows.annotated_report_runner = world.services.annotated_reports.build


def annotated_keys(world: FakeWorld) -> list[str]:
    lake = world.services.settings.buckets["lake"]
    return [key for bucket, key in world.objects.objects if bucket == lake and key.endswith(".xlsx")]


def test_the_first_request_starts_the_production_and_answers_that_it_is_being_prepared():
    world = a_world()
    upload_id = a_refused_file(world)
    answer = world.services.annotated_reports.download(REFERENT, CHU.value, upload_id)
    assert isinstance(answer, Preparing) and answer.retry_after > 0 and "préparation" in answer.message
    assert [payload for _, payload in world.workflows.annotated_reports] == [{"finess": CHU.value, "upload_id": upload_id}]
    assert annotated_keys(world) == []  # nothing rendered in the request


def test_once_produced_the_report_is_served_from_the_lake_bucket_and_never_produced_again():
    world = a_world()
    upload_id = a_refused_file(world)
    assert isinstance(world.services.annotated_reports.download(REFERENT, CHU.value, upload_id), Preparing)
    [(_, payload)] = world.workflows.annotated_reports
    world.services.annotated_reports.build(payload)
    world.clock.advance(hours=1)
    answer = world.services.annotated_reports.download(REFERENT, CHU.value, upload_id)
    assert isinstance(answer, Ready)
    lake = world.services.settings.buckets["lake"]
    assert answer.url.startswith(f"memory://{lake}/reports/{CHU}/{upload_id}.xlsx")
    assert answer.filename == "rapport-beds-2025-lits.xlsx" and answer.filename in answer.url
    assert len(world.workflows.annotated_reports) == 1
    assert annotated_keys(world) == [f"reports/{CHU}/{upload_id}.xlsx"]
    [key] = annotated_keys(world)
    book = load_workbook(io.BytesIO(world.objects.get(world.services.settings.buckets["lake"], key)))
    assert "Problèmes" in book.sheetnames


def test_requests_while_it_is_being_prepared_start_nothing_more():
    world = a_world()
    upload_id = a_refused_file(world)
    for _ in range(3):
        assert isinstance(world.services.annotated_reports.download(REFERENT, CHU.value, upload_id), Preparing)
        world.clock.advance(seconds=2)
    assert len(world.workflows.annotated_reports) == 1


def test_a_production_that_died_is_started_again_once_its_claim_is_stale():
    world = a_world()
    upload_id = a_refused_file(world)
    world.services.annotated_reports.download(REFERENT, CHU.value, upload_id)
    world.clock.advance(minutes=16)
    assert isinstance(world.services.annotated_reports.download(REFERENT, CHU.value, upload_id), Preparing)
    first, second = world.workflows.annotated_reports
    assert first[1] == second[1] and first[0] != second[0]  # a new execution name: a new workflow


def test_concurrent_requests_produce_it_once():
    world = a_world()
    upload_id = a_refused_file(world)
    produced: list[str] = []
    lock = threading.Lock()

    def build(payload):
        with lock:
            produced.append(payload["upload_id"])
        return world.services.annotated_reports.build(payload)

    world.workflows.annotated_report_runner = build
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: world.services.annotated_reports.download(REFERENT, CHU.value, upload_id), range(16)))
    assert produced == [upload_id]
    assert any(isinstance(a, Preparing) for a in answers)
    assert isinstance(world.services.annotated_reports.download(REFERENT, CHU.value, upload_id), Ready)


def test_building_twice_writes_the_file_once():
    world = a_world()
    upload_id = a_refused_file(world)
    payload = {"finess": CHU.value, "upload_id": upload_id}
    world.services.annotated_reports.build(payload)
    lake = world.services.settings.buckets["lake"]
    first = world.objects.get(lake, f"reports/{CHU}/{upload_id}.xlsx")
    world.objects.put(lake, f"reports/{CHU}/{upload_id}.rows.json", b"not json", "application/json")  # would fail if read
    world.services.annotated_reports.build(payload)
    assert world.objects.get(lake, f"reports/{CHU}/{upload_id}.xlsx") == first


def test_another_establishment_gets_not_found_and_starts_nothing():
    world = a_world()
    produce_when_started(world)
    upload_id = a_refused_file(world)
    with pytest.raises(NotFound):
        world.services.annotated_reports.download(STRANGER, CHU.value, upload_id)
    with pytest.raises(NotFound):
        world.services.annotated_reports.download(STRANGER, OTHER.value, upload_id)
    assert world.workflows.annotated_reports == []


def test_an_upload_still_in_progress_has_no_annotated_report_yet():
    world = a_world()
    content = files.csv(files.BEDS)
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "beds", "2025", "lits.csv", len(content), None)
    with pytest.raises(Conflict):
        world.services.annotated_reports.download(REFERENT, CHU.value, upload.upload_id)
    assert world.workflows.annotated_reports == []


def test_an_upload_the_sweeper_settled_has_an_annotated_report_of_its_problems_alone():
    world = a_world()
    content = files.csv([["code_uf", "annee", "lits"], ["0412", "2025", "30"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "beds", "2025", "lits.csv", len(content), None)
    world.uploads.claim(CHU, upload.upload_id, "v1", world.clock.now().isoformat(timespec="milliseconds"))  # then it died
    assert world.services.sweeper.sweep(interrupted=True) == 1
    produce_when_started(world)
    assert isinstance(world.services.annotated_reports.download(REFERENT, CHU.value, upload.upload_id), Preparing)
    assert isinstance(world.services.annotated_reports.download(REFERENT, CHU.value, upload.upload_id), Ready)
    [key] = annotated_keys(world)
    workbook = load_workbook(io.BytesIO(world.objects.get(world.services.settings.buckets["lake"], key)))
    assert any("interrompu" in str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)
