"""The YearRecords contract: what the stores hold of a year, every establishment at once, on the
in-memory fake and on DynamoDB (against the emulator)."""

from __future__ import annotations

import pytest

from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.completeness import YearFacts
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.uploads import Upload
from chalicelib.services.ports import CurrentDataset
from tests.fakes.stores import FakePeriodStatusStore, FakeSettingsStore, FakeUploadStore
from tests.fakes.year_records import FakeYearRecords

CHU, CLINIQUE, QUIET = Finess("440000990"), Finess("490000155"), Finess("750000010")


@pytest.fixture(params=["fake", "dynamodb"])
def world(request):
    """(uploads, periods, settings, records) over one set of stores."""
    if request.param == "fake":
        periods = FakePeriodStatusStore()
        uploads, settings = FakeUploadStore(periods), FakeSettingsStore()
        return uploads, periods, settings, FakeYearRecords(uploads, periods, settings)
    adapters = request.getfixturevalue("aws").adapters
    return adapters.uploads, adapters.periods, adapters.settings, adapters.year_records


def a_waiting_file(finess: Finess, period: str, status: UploadStatus = UploadStatus.NEEDS_MAPPING) -> Upload:
    return Upload(f"u-{period}-{status}", finess, FileType.RESISTANCE, Period.parse(period), "ab.xlsx", 10, status,
                  Email("r@chu.fr"), "t", "t", f"raw/{period}")  # fmt: skip


def seeded(world):
    uploads, periods, settings, records = world
    for period in ("2025-T1", "2025-T2", "2024-T4"):
        uploads.replace_current(CurrentDataset(CHU, "consumption", period, f"c-{period}", (), 1), None)
    uploads.replace_current(CurrentDataset(CLINIQUE, "structure", "2025", "s", (), 1), None)
    uploads.create(a_waiting_file(CHU, "2025-T3"))
    uploads.create(a_waiting_file(CHU, "2025-T4", UploadStatus.REJECTED))  # not waiting on anyone
    uploads.create(a_waiting_file(CLINIQUE, "2024-T1"))  # another year
    for period in ("2025-T1", "2024-T4"):
        periods.start_closing(CHU, period, "t", "r@chu.fr")
        periods.finish_closing(CHU, period, "t")
    periods.start_closing(CLINIQUE, "2025-T1", "t", "r@clinique.fr")  # closing, not closed
    settings.put_periodicities(CHU, 2025, {"consumption_periodicity": "quarter"})
    settings.put_periodicities(CLINIQUE, 2024, {"consumption_periodicity": "year"})
    return records


def test_each_establishments_year_comes_back_with_what_it_imported_holds_back_and_closed(world):
    found = seeded(world).of_year(2025)
    assert found[CHU.value] == YearFacts(
        2025,
        {"consumption_periodicity": "quarter"},
        frozenset({("consumption", "2025-T1"), ("consumption", "2025-T2")}),
        frozenset({("resistance", "2025-T3")}),
        frozenset({"2025-T1"}),
    )
    assert found[CLINIQUE.value] == YearFacts(2025, {}, frozenset({("structure", "2025")}), frozenset(), frozenset())
    assert QUIET.value not in found  # nothing of the year: the service reads it as nothing sent


def test_another_year_reads_its_own_facts_only(world):
    found = seeded(world).of_year(2024)
    assert found[CHU.value].imported == frozenset({("consumption", "2024-T4")})
    assert found[CLINIQUE.value].waiting == frozenset({("resistance", "2024-T1")})
    assert found[CLINIQUE.value].periodicities == {"consumption_periodicity": "year"}


def test_asked_for_some_establishments_it_answers_for_them_only(world):
    found = seeded(world).of_year(2025, [CLINIQUE, QUIET])
    assert set(found) == {CLINIQUE.value}
