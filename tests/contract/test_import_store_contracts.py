"""The import ports on their fakes and on DynamoDB/S3 (emulator)."""

from __future__ import annotations

import pytest

from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import Conflict
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.structure import Unit
from chalicelib.domain.uploads import Upload, raw_key
from chalicelib.services.ports import CurrentDataset
from tests.fakes.stores import FakeObjectStore, FakePeriodStatusStore, FakeSettingsStore, FakeUnitStore, FakeUploadStore

CHU = Finess("440000990")


@pytest.fixture(params=["fake", "aws"])
def ports(request):
    if request.param == "fake":
        return {
            "uploads": FakeUploadStore(),
            "units": FakeUnitStore(),
            "settings": FakeSettingsStore(),
            "objects": FakeObjectStore(),
            "bucket": "lake",
            "closed": None,
        }
    world = request.getfixturevalue("aws")
    a = world.adapters
    return {
        "uploads": a.uploads,
        "units": a.units,
        "settings": a.settings,
        "objects": a.objects,
        "bucket": world.settings.buckets["lake"],
        "closed": world,
    }


def an_upload(upload_id: str, created_at: str = "2026-01-01T00:00:00", period: str = "2025-T1") -> Upload:
    when = Period.parse(period)
    return Upload(
        upload_id, CHU, FileType.CONSUMPTION, when, "c.xlsx", 10, UploadStatus.PENDING, Email("a@chu.fr"), created_at, created_at,
        raw_key(CHU, FileType.CONSUMPTION, when, upload_id, "c.xlsx"),
    )  # fmt: skip


def test_an_upload_is_claimed_once_per_version(ports):
    store = ports["uploads"]
    store.create(an_upload("u1"))
    assert store.claim(CHU, "u1", "v1", "t") is True
    assert store.claim(CHU, "u1", "v1", "t") is False  # the event delivered twice
    store.finish(CHU, "u1", "VALIDATED", "t2", '{"rows_read": 3}', None)
    found = store.get(CHU, "u1")
    assert (found.status, found.version_id, found.summary_json) == (UploadStatus.VALIDATED, "v1", '{"rows_read": 3}')


def test_uploads_are_listed_newest_first_and_filtered(ports):
    store = ports["uploads"]
    store.create(an_upload("u1", "2026-01-01T00:00:00"))
    store.create(an_upload("u2", "2026-01-02T00:00:00", "2025-T2"))
    assert [u.upload_id for u in store.list_uploads(CHU)] == ["u2", "u1"]
    assert [u.upload_id for u in store.list_uploads(CHU, "consumption", "2025-T1")] == ["u1"]


def test_the_current_pointer_moves_only_from_where_it_was_read(ports):
    store = ports["uploads"]
    first = CurrentDataset(CHU, "consumption", "2025-T1", "u1", ("k1",), 1)
    store.replace_current(first, None)
    with pytest.raises(Conflict):
        store.replace_current(CurrentDataset(CHU, "consumption", "2025-T1", "u3", ("k3",), 2), None)
    store.replace_current(CurrentDataset(CHU, "consumption", "2025-T1", "u2", ("k2",), 2), 1)
    with pytest.raises(Conflict):
        store.replace_current(CurrentDataset(CHU, "consumption", "2025-T1", "u3", ("k3",), 2), 1)
    assert store.current(CHU, "consumption", "2025-T1").lake_keys == ("k2",)
    assert [c.upload_id for c in store.current_for_year(CHU, 2025)] == ["u2"]
    assert store.current_for_year(CHU, 2024) == []


def test_the_structure_is_replaced_whole_and_keeps_leading_zeros(ports):
    units = ports["units"]
    units.replace_units(CHU, [Unit.create("0412", "Médecine", "03", "38"), Unit.create("1204", "Chirurgie", "03", "137")])
    units.replace_units(CHU, [Unit.create("0412", "Médecine A", "03", "38", specialty="hématologie")])
    [only] = units.units(CHU)
    assert (only.code_uf, only.libelle, only.sector, only.specialty) == ("0412", "Médecine A", "MED", "hématologie")
    assert units.delete_unit(CHU, "0412") is True and units.delete_unit(CHU, "0412") is False


def test_beds_are_per_year(ports):
    units = ports["units"]
    units.replace_beds(CHU, 2025, {"0412": 30, "1204": 24})
    units.replace_beds(CHU, 2025, {"0412": 28})
    units.replace_beds(CHU, 2024, {"0412": 31})
    assert units.beds(CHU, 2025) == {"0412": 28}
    assert units.beds(CHU, 2024) == {"0412": 31}


def test_periodicities_are_per_year(ports):
    settings = ports["settings"]
    assert settings.periodicities(CHU, 2025) is None
    settings.put_periodicities(CHU, 2025, {"consumption_periodicity": "quarter", "resistance_periodicity": "year"})
    assert settings.periodicities(CHU, 2025) == {"consumption_periodicity": "quarter", "resistance_periodicity": "year"}


def test_the_antifungal_statement_is_per_year_and_never_stated_until_put(ports):
    settings = ports["settings"]
    assert settings.antifungals_reported(CHU, 2025) is None
    settings.put_antifungals_reported(CHU, 2025, False)
    settings.put_antifungals_reported(CHU, 2024, True)
    assert (settings.antifungals_reported(CHU, 2025), settings.antifungals_reported(CHU, 2024)) == (False, True)
    assert settings.periodicities(CHU, 2025) is None, "a statement alone sets no periodicity"


def test_periodicities_and_the_antifungal_statement_leave_each_other_as_they_are(ports):
    settings = ports["settings"]
    settings.put_antifungals_reported(CHU, 2025, False)
    settings.put_periodicities(CHU, 2025, {"consumption_periodicity": "year", "resistance_periodicity": "quarter"})
    settings.put_periodicities(CHU, 2025, {"consumption_periodicity": "quarter"})
    assert settings.antifungals_reported(CHU, 2025) is False
    settings.put_antifungals_reported(CHU, 2025, True)
    assert settings.periodicities(CHU, 2025) == {"consumption_periodicity": "quarter", "resistance_periodicity": "quarter"}


def test_the_statements_of_a_year_are_read_together_for_many_establishments(ports):
    settings = ports["settings"]
    others = [Finess(f"4400{i:04d}{0}") for i in range(130)]  # more than one batch of keys
    for index, finess in enumerate(others):
        if index % 3:
            settings.put_antifungals_reported(finess, 2025, index % 3 == 1)
    settings.put_antifungals_reported(others[0], 2024, False)
    found = settings.antifungal_statements(2025, [*others, others[1]])
    assert found == {f.value: i % 3 == 1 for i, f in enumerate(others) if i % 3}


def test_objects_are_written_read_listed_and_deleted_with_every_version(ports):
    objects, bucket = ports["objects"], ports["bucket"]
    objects.put(bucket, "reports/a.json", b"1", "application/json")
    objects.put(bucket, "reports/a.json", b"2", "application/json")
    objects.put(bucket, "reports/b.json", b"3", "application/json")
    assert objects.get(bucket, "reports/a.json") == b"2"
    assert objects.head(bucket, "reports/a.json")["size"] == 1
    assert objects.list_keys(bucket, "reports/") == ["reports/a.json", "reports/b.json"]
    objects.delete_all_versions(bucket, "reports/a.json")
    assert objects.head(bucket, "reports/a.json") is None
    assert objects.list_keys(bucket, "reports/") == ["reports/b.json"]


def test_a_presigned_post_names_the_key_and_type(ports):
    post = ports["objects"].presigned_post(ports["bucket"], "uploads/x/c.csv", "text/csv", 1000, 900)
    assert post["fields"]["key"] == "uploads/x/c.csv" and post["fields"]["Content-Type"] == "text/csv"


@pytest.mark.parametrize("kind", ["fake", "dynamodb"])
def test_a_closed_year_closes_its_quarters(kind, request):
    if kind == "fake":
        store = FakePeriodStatusStore()
        store.closed.add((CHU, "2025"))
    else:
        world = request.getfixturevalue("aws")
        world.adapters.periods._table.put_item(Item={"finess": CHU.value, "period": "2025", "status": "closed"})
        store = world.adapters.periods
    assert store.is_closed(CHU, "2025-T3") and store.is_closed(CHU, "2025")
    assert not store.is_closed(CHU, "2026-T1")


def test_the_pointer_never_moves_once_the_period_or_its_year_is_closing(ports, request):
    from chalicelib.domain.errors import PeriodClosed

    store = ports["uploads"]
    periods = store.periods if ports["closed"] is None else ports["closed"].adapters.periods
    periods.start_closing(CHU, "2025", "t", "r@chu.fr")
    with pytest.raises(PeriodClosed):
        store.replace_current(CurrentDataset(CHU, "consumption", "2025-T3", "u1", ("k1",), 1), None)
    periods.abort_closing(CHU, "2025", "t2")
    store.replace_current(CurrentDataset(CHU, "consumption", "2025-T3", "u1", ("k1",), 1), None)
    assert store.current(CHU, "consumption", "2025-T3").upload_id == "u1"


def test_unfinished_uploads_are_found_and_abandoned_only_as_they_were_read(ports):
    store = ports["uploads"]
    for upload_id in ("waiting", "processing", "done", "recent"):
        store.create(an_upload(upload_id, created_at="2026-01-01T00:00:00"))
    store.claim(CHU, "processing", "v1", "2026-01-01T00:10:00")
    store.claim(CHU, "done", "v1", "2026-01-01T00:10:00")
    store.finish(CHU, "done", "VALIDATED", "2026-01-01T00:11:00", "{}", None)
    store.claim(CHU, "recent", "v1", "2026-01-02T00:00:00")
    found = {u.upload_id: u for u in store.unfinished("2026-01-01T12:00:00")}
    assert set(found) == {"waiting", "processing"}  # a VALIDATED consumption file is done; "recent" is newer
    assert store.abandon(found["processing"], "FAILED", "2026-01-01T13:00:00", "{}", "ERR_INTERRUPTED") is True
    assert store.get(CHU, "processing").error_code == "ERR_INTERRUPTED"
    store.claim(CHU, "waiting", "v2", "2026-01-01T12:30:00")  # it moved after it was read
    assert store.abandon(found["waiting"], "FAILED", "2026-01-01T13:00:00", "{}", "ERR_INTERRUPTED") is False
    assert store.get(CHU, "waiting").status is UploadStatus.PROCESSING


def test_a_pointer_is_removed_only_at_its_version_and_while_its_period_is_open(ports):
    store = ports["uploads"]
    first = CurrentDataset(CHU, "consumption", "2025-T2", "u1", ("lake/a.parquet",), 1)
    store.replace_current(first, None)
    with pytest.raises(Conflict):
        store.remove_current(CurrentDataset(CHU, "consumption", "2025-T2", "u1", ("lake/a.parquet",), 7))
    store.remove_current(first)
    assert store.current(CHU, "consumption", "2025-T2") is None


def test_the_annotated_report_is_claimed_once_until_its_claim_is_stale(ports):
    store = ports["uploads"]
    store.create(an_upload("u1"))
    assert store.claim_annotated_report(CHU, "u1", "2026-01-01T10:00:00", "2026-01-01T09:45:00") is True
    assert store.claim_annotated_report(CHU, "u1", "2026-01-01T10:01:00", "2026-01-01T09:46:00") is False  # under way
    assert store.claim_annotated_report(CHU, "u1", "2026-01-01T10:20:00", "2026-01-01T10:05:00") is True  # it died
    assert store.claim_annotated_report(CHU, "nobody", "2026-01-01T10:20:00", "2026-01-01T10:05:00") is False
    assert store.get(CHU, "u1").status is UploadStatus.PENDING  # the upload itself is unchanged


def test_uploads_waiting_on_the_catalogue_are_found_and_reopened_once_from_that_status(ports):
    store = ports["uploads"]
    for upload_id in ("catalogue", "mapping", "done"):
        store.create(an_upload(upload_id))
        store.claim(CHU, upload_id, "v1", "2026-01-01T00:10:00")
    store.finish(CHU, "catalogue", "NEEDS_CATALOGUE", "t", '{"unknown_ucds": ["9999999"]}', None)
    store.finish(CHU, "mapping", "NEEDS_MAPPING", "t", "{}", None)
    store.finish(CHU, "done", "VALIDATED", "t", "{}", None)
    assert [(u.upload_id, u.unknown_ucds) for u in store.waiting_on_catalogue()] == [("catalogue", ("9999999",))]
    assert store.reopen(CHU, "catalogue", "t2", UploadStatus.NEEDS_MAPPING) is False  # not what it waits for
    assert store.reopen(CHU, "done", "t2", UploadStatus.VALIDATED) is False  # never a finished upload
    assert store.reopen(CHU, "catalogue", "t2", UploadStatus.NEEDS_CATALOGUE) is True
    assert store.reopen(CHU, "catalogue", "t3", UploadStatus.NEEDS_CATALOGUE) is False  # once
    assert store.get(CHU, "catalogue").status is UploadStatus.PENDING
    assert store.waiting_on_catalogue() == []
