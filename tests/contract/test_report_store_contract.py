"""The reports port on its fake and on S3 (emulator)."""

from __future__ import annotations

import pytest

from chalicelib.adapters.s3_reports import S3ReportStore
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.imports import FileType, Problem, Report, Severity, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.uploads import Upload, raw_key
from chalicelib.services.ports import KeptRows
from tests.fakes.stores import FakeReportStore

CHU, OTHER = Finess("440000990"), Finess("750000010")


@pytest.fixture(params=["fake", "aws"])
def reports(request):
    if request.param == "fake":
        return FakeReportStore()
    world = request.getfixturevalue("aws")
    return S3ReportStore(world.adapters.objects, world.settings.buckets["lake"])


def an_upload(upload_id: str, finess: Finess = CHU) -> Upload:
    when = Period.parse("2025-T1")
    return Upload(
        upload_id, finess, FileType.RESISTANCE, when, "a.xlsx", 10, UploadStatus.PENDING, Email("a@chu.fr"), "t", "t",
        raw_key(finess, FileType.RESISTANCE, when, upload_id, "a.xlsx"),
    )  # fmt: skip


def a_report() -> Report:
    report = Report(rows_read=12, rows_accepted=11, summary={"isolates_read": 11, "excluded": {"dépistage": 1}})
    report.add(Problem("row.date", "Date illisible « 31/02 »", Severity.ERROR, 4, "Date", "31/02"))
    report.add(Problem("row.uf", "UF inconnue", Severity.WARNING, 7, "UF", "0999"))
    report.add(Problem("file.empty_column", "Colonne vide", Severity.WARNING))
    report.unmapped = {"species": [{"label": "E. colli", "rows": 2}]}
    return report


def test_an_upload_has_no_report_before_one_is_written(reports):
    assert reports.get(an_upload("u1")) is None


def test_a_report_is_read_back_as_written(reports):
    reports.put(an_upload("u1"), a_report())
    assert reports.get(an_upload("u1")) == a_report()


def test_a_report_written_again_replaces_the_one_before(reports):
    upload = an_upload("u1")
    reports.put(upload, a_report())
    patched = reports.get(upload)
    assert patched is not None
    patched.summary = {**patched.summary, "isolates_kept": 9}
    patched.add(Problem("workflow.failed", "Le traitement a échoué"))
    reports.put(upload, patched)
    found = reports.get(upload)
    assert found is not None and found.summary["isolates_kept"] == 9
    assert [p.code for p in found.errors] == ["row.date", "workflow.failed"] and len(found.warnings) == 2


def test_each_upload_has_its_own_report(reports):
    reports.put(an_upload("u1"), a_report())
    reports.put(an_upload("u1", OTHER), Report(rows_read=1))
    assert reports.get(an_upload("u2")) is None
    mine, theirs = reports.get(an_upload("u1")), reports.get(an_upload("u1", OTHER))
    assert mine == a_report() and theirs is not None and theirs.rows_read == 1


def test_the_rows_kept_for_the_annotated_copy_are_read_back_as_kept_and_none_before(reports):
    upload = an_upload("u1")
    assert reports.rows(upload) is None
    reports.put_rows(upload, KeptRows(2, [["UF", "Date"], ["0412", "31/02"]], [2, 4]))
    reports.put_rows(upload, KeptRows(1, [["UF", "Date"], ["0412", "(masqué)"]], [1, 4]))
    assert reports.rows(upload) == KeptRows(1, [["UF", "Date"], ["0412", "(masqué)"]], [1, 4])
    assert reports.rows(an_upload("u1", OTHER)) is None and reports.get(upload) is None


def test_the_annotated_copy_is_found_once_written_and_downloaded_under_its_name(reports):
    upload = an_upload("u1")
    assert reports.annotated(upload) is None
    written = reports.put_annotated(upload, b"PK\x03\x04 xlsx")
    assert reports.annotated(upload) == written and reports.annotated(an_upload("u2")) is None
    url = reports.annotated_url(upload, "rapport_annote.xlsx", 300)
    assert url.startswith(("memory://", "http")) and "rapport_annote.xlsx" in url
