"""A year file holding the quarters of a quarterly establishment (DOMAIN.md §3, §10.2).

Declared for the year, it is validated as a whole; if any row is in error nothing is
imported, otherwise each quarter's rows become that quarter's current data — all of
them or none. Only an accepted import ever sets the year's periodicity.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.domain.drugs import demo_catalogue
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.services.ports import CurrentDataset
from chalicelib.services.ports.catalogue import SOURCE_REFERENCE
from tests.fakes.stores import FakeUploadStore
from tests.fakes.wiring import FakeWorld
from tests.support import files
from tests.unit.test_import_atomicity import Injected, inject
from tests.unit.test_uploads_racing import CHU, REFERENT, a_world, process
from tests.unit.test_uploads_racing import send_file as send

HEADER = files.PATIENT_DAYS_T1[0]
QUARTERS = ["2025-T1", "2025-T2", "2025-T3", "2025-T4"]


def year_rows(*extra: list[str]) -> list[list[str]]:
    """0412 and 1204 in each quarter of 2025, then ``extra`` rows."""
    return [HEADER, *[[uf, q, "2000", "300"] for q in QUARTERS for uf in ("0412", "1204")], *extra]


def quarterly(world: FakeWorld) -> FakeWorld:
    world.settings.put_periodicities(CHU, 2025, {"consumption_periodicity": "quarter", "resistance_periodicity": "year"})
    return world


def current(world: FakeWorld, kind: str = "patient_days") -> dict[str, str | None]:
    """Which upload is current for each quarter of 2025."""
    found = {q: world.uploads.current(CHU, kind, q) for q in QUARTERS}
    return {q: c.upload_id if c else None for q, c in found.items()}


def lake_periods(world: FakeWorld, dataset: str = "patient_days") -> dict[str, set[str]]:
    """The periods of the rows of each lake file of the dataset."""
    lake = world.services.settings.buckets["lake"]
    found: dict[str, set[str]] = {}
    for bucket, key in list(world.objects.objects):
        if bucket == lake and key.startswith(f"lake/{dataset}/"):
            found[key] = {row["period"] for row in DuckDbLakeReader(world.objects).rows(lake, key)}
    return found


def report(world: FakeWorld, upload_id: str) -> dict[str, Any]:
    return world.services.uploads.get(REFERENT, CHU.value, upload_id)[1]


def test_a_year_file_with_t1_to_t4_for_a_quarterly_establishment_imports_four_quarters():
    world = quarterly(a_world())
    upload_id = send(world, "2025", year_rows())
    assert process(world, upload_id) is UploadStatus.VALIDATED
    assert current(world) == dict.fromkeys(QUARTERS, upload_id)
    assert world.uploads.current(CHU, "patient_days", "2025") is None
    pointed = {q: world.uploads.current(CHU, "patient_days", q).lake_keys for q in QUARTERS}  # type: ignore[union-attr]
    files_by_key = lake_periods(world)
    assert {q: [files_by_key[key] for key in keys] for q, keys in pointed.items()} == {q: [{q}] for q in QUARTERS}
    assert report(world, upload_id)["summary"]["periods"] == QUARTERS
    assert world.uploads.get(CHU, upload_id).periods == tuple(QUARTERS)  # type: ignore[union-attr]  # listed by the API


def test_a_file_of_its_declared_period_lists_no_other_periods():
    world = quarterly(a_world())
    upload_id = send(world, "2025-T1", [HEADER, ["0412", "2025-T1", "2000", ""]])
    assert process(world, upload_id) is UploadStatus.VALIDATED
    assert world.uploads.get(CHU, upload_id).periods == ()  # type: ignore[union-attr]


def test_a_year_file_of_consumption_imports_each_quarter_with_its_own_lines():
    world = quarterly(a_world())
    world.catalogue.put_many(demo_catalogue().entries, SOURCE_REFERENCE, world.clock.now())
    rows = [files.CONSUMPTION_T1[0], *[["0412", "0900011", "", "100", q] for q in QUARTERS]]
    upload_id = send(world, "2025", rows, "conso.csv", "consumption")
    assert process(world, upload_id) is UploadStatus.VALIDATED
    assert current(world, "consumption") == dict.fromkeys(QUARTERS, upload_id)
    assert sorted(map(sorted, lake_periods(world, "consumption").values())) == [[q] for q in QUARTERS]


def test_one_bad_row_refuses_the_whole_year_file():
    world = quarterly(a_world())
    upload_id = send(world, "2025", year_rows(["0412", "2025-T3", "beaucoup", ""]))
    assert process(world, upload_id) is UploadStatus.REJECTED
    assert current(world) == dict.fromkeys(QUARTERS)
    assert lake_periods(world) == {}


def test_a_closed_quarter_refuses_the_whole_file_and_names_it():
    world = quarterly(a_world())
    world.periods.start_closing(CHU, "2025-T2", "2026-03-01T00:00:00+00:00", "r@chu.fr")
    world.periods.finish_closing(CHU, "2025-T2", "2026-03-01T00:00:00+00:00")
    upload_id = send(world, "2025", year_rows())
    assert process(world, upload_id) is UploadStatus.REJECTED
    assert current(world) == dict.fromkeys(QUARTERS) and lake_periods(world) == {}
    [problem] = [p for p in report(world, upload_id)["errors"] if p["code"] == "period.closed"]
    assert "2025-T2" in problem["message"] and "2025-T1" not in problem["message"]
    assert world.uploads.get(CHU, upload_id).error_code == "ERR_PERIOD_CLOSED"  # type: ignore[union-attr]


def test_a_refused_file_leaves_the_periodicity_setting_unchanged():
    world = a_world()  # nothing chosen for 2025 yet
    upload_id = send(world, "2025", year_rows(["0412", "2025-T3", "-5", ""]))
    assert world.settings.periodicities(CHU, 2025) is None  # sending a file sets nothing either
    assert process(world, upload_id) is UploadStatus.REJECTED
    assert world.settings.periodicities(CHU, 2025) is None


def test_the_first_accepted_year_file_of_quarters_makes_the_year_quarterly():
    world = a_world()
    assert process(world, send(world, "2025", year_rows())) is UploadStatus.VALIDATED
    assert world.settings.periodicities(CHU, 2025) == {"consumption_periodicity": "quarter"}
    # ...and a quarter file is then accepted: the eight uploads of the issue are two.
    assert process(world, send(world, "2025-T2", [HEADER, ["0412", "2025-T2", "1", ""]])) is UploadStatus.VALIDATED


def test_the_first_accepted_year_file_of_year_rows_makes_the_year_yearly():
    world = a_world()
    assert process(world, send(world, "2025", [HEADER, ["0412", "2025", "8000", ""]])) is UploadStatus.VALIDATED
    assert world.settings.periodicities(CHU, 2025) == {"consumption_periodicity": "year"}


def test_a_quarter_file_sent_after_the_year_file_replaces_its_quarter_only():
    world = quarterly(a_world())
    year = send(world, "2025", year_rows())
    assert process(world, year) is UploadStatus.VALIDATED
    later = send(world, "2025-T2", [HEADER, ["0412", "2025-T2", "1500", ""]])
    assert process(world, later) is UploadStatus.VALIDATED
    assert current(world) == {"2025-T1": year, "2025-T2": later, "2025-T3": year, "2025-T4": year}
    assert sorted(map(sorted, lake_periods(world).values())) == [[q] for q in QUARTERS]  # the year's T2 file went


def test_a_year_file_sent_before_a_quarter_file_but_finished_after_it_imports_nothing():
    world = quarterly(a_world())
    year = send(world, "2025", year_rows(), name="annee.csv")
    later = send(world, "2025-T3", [HEADER, ["0412", "2025-T3", "1500", ""]], name="t3.csv")
    assert process(world, later) is UploadStatus.VALIDATED
    assert process(world, year) is UploadStatus.REJECTED
    assert current(world) == {"2025-T1": None, "2025-T2": None, "2025-T3": later, "2025-T4": None}
    assert sorted(map(sorted, lake_periods(world).values())) == [["2025-T3"]]
    [problem] = [p for p in report(world, year)["errors"] if p["code"] == "upload.superseded"]
    assert "pour la période 2025-T3 (« t3.csv »" in problem["message"] and "aucune période" in problem["message"]


class FailingThirdPointer(FakeUploadStore):
    """The pointer of 2025-T3 cannot be written, once."""

    def __init__(self, base: FakeUploadStore) -> None:
        self.__dict__.update(base.__dict__)
        self.failed = False

    def replace_current(self, new: CurrentDataset, expected_version: int | None) -> None:
        if new.period == "2025-T3" and not self.failed:
            self.failed = True
            raise OSError("the store did not answer")
        super().replace_current(new, expected_version)


def test_when_the_third_quarter_cannot_be_made_current_the_first_two_are_put_back():
    world = quarterly(a_world())
    first = send(world, "2025", year_rows())
    assert process(world, first) is UploadStatus.VALIDATED
    before, files_before = current(world), lake_periods(world)
    failing = FailingThirdPointer(world.uploads)
    world.services.uploads._uploads = failing  # type: ignore[attr-defined]
    world.services.uploads._processors[FileType.PATIENT_DAYS].publisher._uploads = failing  # type: ignore[attr-defined]
    second = send(world, "2025", year_rows())
    assert process(world, second) is UploadStatus.FAILED
    assert failing.failed
    assert {q: failing.current(CHU, "patient_days", q).upload_id for q in QUARTERS} == before  # type: ignore[union-attr]
    assert lake_periods(world) == files_before


@pytest.mark.parametrize("declared", ["2025-T1", "2025"])
def test_a_file_of_the_wrong_periods_is_refused_with_one_file_level_error(declared):
    world = a_world()
    world.settings.put_periodicities(CHU, 2025, {"consumption_periodicity": "year" if declared == "2025" else "quarter"})
    upload_id = send(world, declared, year_rows())
    assert process(world, upload_id) is UploadStatus.REJECTED
    errors = report(world, upload_id)["errors"]
    assert [(e["code"], e.get("row")) for e in errors] == [("period.not_in_file", None)]
    assert json.loads(world.uploads.get(CHU, upload_id).summary_json)["errors"] == 1  # type: ignore[union-attr]


def test_a_year_file_waiting_on_the_catalogue_never_blocks_the_quarters_whose_accepted_data_is_current():
    world = quarterly(a_world())
    world.catalogue.put_many(demo_catalogue().entries, SOURCE_REFERENCE, world.clock.now())
    rows = [files.CONSUMPTION_T1[0], *[["0412", "0900011", "", "100", q] for q in QUARTERS]]
    assert process(world, send(world, "2025", rows, "conso.csv", "consumption")) is UploadStatus.VALIDATED
    unknown = [*rows, ["0412", "1234567", "", "10", "2025-T2"]]
    assert process(world, send(world, "2025", unknown, "conso2.csv", "consumption")) is UploadStatus.NEEDS_CATALOGUE
    assert not [c for c in world.services.controls.run(CHU, 2025) if c.id == "ucd_unresolved"]


def a_second_year_file() -> tuple[FakeWorld, str]:
    """A quarterly world where a year file is current for its four quarters, and a second one sent."""
    world = quarterly(a_world())
    assert process(world, send(world, "2025", year_rows())) is UploadStatus.VALIDATED
    rows = [HEADER, *[[uf, q, "1000", "100"] for q in QUARTERS for uf in ("0412", "1204")]]
    return world, send(world, "2025", rows)


def seen(world: FakeWorld) -> tuple[Any, ...]:
    """Per quarter, the upload current and the lake files it names (present), and every lake file."""
    lake = world.services.settings.buckets["lake"]
    pointers = [world.uploads.current(CHU, "patient_days", q) for q in QUARTERS]
    named = [(p.upload_id, sorted(p.lake_keys)) if p else None for p in pointers]
    assert all((lake, key) in world.objects.objects for p in pointers if p for key in p.lake_keys)
    data = sorted(key for bucket, key in world.objects.objects if bucket == lake and key.startswith("lake/patient_days/"))
    return (named, data)


def test_whichever_write_fails_a_year_file_of_quarters_is_all_or_nothing():
    world, second = a_second_year_file()
    before = seen(world)
    writes = inject(world, None)
    assert process(world, second) is UploadStatus.VALIDATED
    after, count = seen(world), len(writes)
    assert before != after and count >= 8
    for fail_at in range(1, count + 1):
        world, second = a_second_year_file()
        names = inject(world, fail_at)
        with contextlib.suppress(Injected):  # the event is delivered again, or the sweeper settles it
            process(world, second)
        upload = world.uploads.get(CHU, second)
        assert upload is not None
        where = f"write {fail_at} ({names[fail_at - 1]}) failed"
        state = seen(world)
        if state == after:
            assert upload.status is UploadStatus.VALIDATED, f"{where}: data current, upload {upload.status}"
        elif names[fail_at - 1] == "objects.delete_all_versions":
            assert state[0] == after[0], f"{where}: half-written {state}"  # a replaced file left behind, never read
        else:
            assert state == before, f"{where}: half-written {state}"
            assert upload.status is UploadStatus.FAILED, f"{where}: nothing imported, upload {upload.status}"
