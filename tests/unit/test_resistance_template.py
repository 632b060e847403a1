"""The antibiogram template imports cleanly through the real import: the file as downloaded, and its
« Exemple » sheet saved as a file of its own, each through reading, validation, mappings, the
deduplication workflow and the lake, on the service layer with in-memory stores."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from chalicelib.adapters.xlsx_templates import DATA_SHEET, EXAMPLE_SHEET, template
from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.files.resistance_example import EXAMPLE_KEPT, EXAMPLE_ROWS, EXAMPLE_UF
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.resistance.model import MappingKind
from chalicelib.domain.structure import Unit
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import files
from tests.support.workflow import runner

FINESS = "440000990"
ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
REFERENT = Principal(Email("r@chu.fr"), memberships={Finess(FINESS): Status.REFERENT})


def a_new_laboratory() -> tuple[FakeWorld, str]:
    """An establishment whose structure holds the example's UF, and a laboratory never seen before (no mappings)."""
    world = fake_world()
    services = world.services
    services.tenants.create_establishment(ADMIN, FINESS, "CHU", "CHU", "52")
    lab = services.tenants.create_laboratory(ADMIN, "Labo", None).lab_id
    services.tenants.link_laboratory(ADMIN, FINESS, lab)
    world.units.replace_units(Finess(FINESS), [Unit.create(EXAMPLE_UF, "Médecine interne A", "03", "38")])
    world.access.put_membership(Membership(Finess(FINESS), Email("r@chu.fr"), Status.REFERENT, "t"))
    world.workflows.runner = runner(lambda: services.deduplication)
    return world, lab


def import_as_a_new_laboratory(content: bytes, filename: str, period: str = "2025-T1") -> dict[str, Any]:
    """Send ``content``; confirm the proposed mappings when asked (one click per kind); resume; the outcome."""
    world, lab = a_new_laboratory()
    raw = world.services.settings.buckets["raw"]
    upload, _, _ = world.services.uploads.create(REFERENT, FINESS, "resistance", period, filename, len(content), lab)
    world.objects.put(raw, upload.raw_key, content, "application/octet-stream")
    first = world.services.uploads.process_object(raw, upload.raw_key, "v1")
    _, waiting = world.services.uploads.get(REFERENT, FINESS, upload.upload_id)
    for kind in MappingKind:
        world.services.mappings.confirm_all_proposals(REFERENT, lab, kind.value)
    unmapped = world.services.mappings.list_labels(REFERENT, lab, None, "unmapped")
    world.services.uploads.resume(REFERENT, FINESS, upload.upload_id)
    second = world.services.uploads.process_object(raw, upload.raw_key, "v2")
    final, report = world.services.uploads.get(REFERENT, FINESS, upload.upload_id)
    return {
        "first": first, "waiting": waiting, "unmapped": unmapped, "second": second, "final": final.status,
        "report": report, "lake": world.objects.list_keys(world.services.settings.buckets["lake"], "lake/isolates/"),
    }  # fmt: skip


def example_sheet_as_a_file() -> bytes:
    """The « Exemple » sheet saved alone, as a person would send it."""
    sheet = load_workbook(io.BytesIO(template(FileType.RESISTANCE)))[EXAMPLE_SHEET]
    return files.xlsx([[value or "" for value in row] for row in sheet.iter_rows(values_only=True)])


@pytest.fixture(scope="module")
def downloaded() -> dict[str, Any]:
    return import_as_a_new_laboratory(template(FileType.RESISTANCE), "modele_resistance.xlsx")


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return import_as_a_new_laboratory(example_sheet_as_a_file(), "exemple.xlsx")


def test_the_example_sheet_holds_every_example_isolate_under_the_template_headers():
    book = load_workbook(io.BytesIO(template(FileType.RESISTANCE)))
    rows = [tuple(value or "" for value in row) for row in book[EXAMPLE_SHEET].iter_rows(values_only=True)]
    assert rows[0] == tuple(cell.value for cell in book[DATA_SHEET][1])
    assert rows[1:] == list(EXAMPLE_ROWS)


@pytest.mark.parametrize("outcome", ["downloaded", "example"])
def test_a_new_laboratory_only_confirms_the_proposed_mappings_of_the_template(outcome, request):
    found = request.getfixturevalue(outcome)
    assert found["first"] is UploadStatus.NEEDS_MAPPING
    assert found["waiting"]["errors"] == []
    assert found["unmapped"] == []  # every label of the example is proposed automatically


@pytest.mark.parametrize("outcome", ["downloaded", "example"])
def test_the_template_imports_without_any_error_or_warning(outcome, request):
    found = request.getfixturevalue(outcome)
    assert found["second"] is UploadStatus.VALIDATED
    assert found["final"] is UploadStatus.DEDUPLICATED
    assert found["report"]["errors"] == []
    assert found["report"]["warnings"] == []
    assert found["lake"], "the isolates reach the lake"


def test_the_downloaded_template_counts_its_one_example_isolate(downloaded):
    summary = downloaded["report"]["summary"]
    assert summary["isolates_read"] == 1
    assert summary["isolates_kept"] == 1
    assert downloaded["report"]["rows_accepted"] == 1


def test_the_example_sheet_counts_its_isolates_and_the_deduplication_removes_its_repeat(example):
    summary = example["report"]["summary"]
    assert summary["isolates_read"] == len(EXAMPLE_ROWS) == 6
    assert sum(summary["excluded"].values()) == 0
    assert summary["isolates_kept"] == EXAMPLE_KEPT == 5


def test_the_example_imports_for_the_whole_year_too():
    found = import_as_a_new_laboratory(example_sheet_as_a_file(), "exemple.xlsx", period="2025")
    assert (found["final"], found["report"]["errors"], found["report"]["warnings"]) == (UploadStatus.DEDUPLICATED, [], [])
