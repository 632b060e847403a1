"""The EARS-Net export's ports, on the in-memory fakes and on DynamoDB / S3 (emulator): same behaviour."""

from __future__ import annotations

import threading

import pytest
import requests

from chalicelib.services.ports import ExportRecord
from tests.fakes.ears_net import FakeExportStore, FakePatientCounters
from tests.fakes.stores import FakeObjectStore


@pytest.fixture(params=["fake", "aws"])
def ports(request):
    if request.param == "fake":
        return {"exports": FakeExportStore(), "counters": FakePatientCounters(), "objects": FakeObjectStore(), "aws": None}
    world = request.getfixturevalue("aws")
    a = world.adapters
    return {"exports": a.exports, "counters": a.patient_counters, "objects": a.objects, "aws": world}


def record(export_id: str, at: str, status: str = "published") -> ExportRecord:
    return ExportRecord(export_id, 2025, status, at, "national@sante.fr", "api", '{"counts": {"isolates": 3}}')


def test_exports_are_kept_and_listed_newest_first(ports):
    store = ports["exports"]
    store.put_export(record("e1", "2026-04-01T08:00:00.000+00:00"))
    store.put_export(record("e2", "2026-04-02T08:00:00.000+00:00", "rejected"))
    store.put_export(record("e1", "2026-04-01T08:00:00.000+00:00", "rejected"))  # replaced by its id
    assert [r.export_id for r in store.list_exports()] == ["e2", "e1"]
    assert store.get_export("e1") == record("e1", "2026-04-01T08:00:00.000+00:00", "rejected")
    assert store.get_export("absent") is None


def test_export_settings_round_trip(ports):
    store = ports["exports"]
    assert store.export_settings() is None
    document = {"export_date": "03-31", "culture_sets": {"2025": 3400}, "hospital_representativeness": "LOW"}
    store.put_export_settings(document)
    assert store.export_settings() == document


def test_patient_counters_are_per_laboratory_stable_and_in_order(ports):
    counters = ports["counters"]
    assert counters.counters("FR001", ["p2", "p1", "p2"]) == {"p2": 1, "p1": 2}
    assert counters.counters("FR002", ["p1"]) == {"p1": 1}
    assert counters.counters("FR001", ["p3", "p1"]) == {"p3": 3, "p1": 2}
    assert counters.counters("FR001", []) == {}


def test_two_exports_numbering_at_once_never_share_a_number(ports):
    counters = ports["counters"]
    found: list[dict[str, int]] = []

    def number(prefix: str) -> None:
        found.append(counters.counters("FR001", [f"{prefix}{i}" for i in range(30)]))

    threads = [threading.Thread(target=number, args=(prefix,)) for prefix in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [n for answer in found for n in answer.values()]
    assert sorted(numbers) == list(range(1, 61))


def test_a_presigned_get_downloads_the_object(ports):
    objects = ports["objects"]
    world = ports["aws"]
    bucket = world.settings.buckets["exports"] if world else "exports"
    objects.put(bucket, "ears-net/2025/e1/amrtest.csv", b"RecordId\r\n", "text/csv")
    url = objects.presigned_get(bucket, "ears-net/2025/e1/amrtest.csv", "AMRTEST_2025.csv", 900)
    assert "amrtest.csv" in url
    if world is not None:
        answer = requests.get(url, timeout=10)
        assert answer.status_code == 200 and answer.content == b"RecordId\r\n"
        assert "AMRTEST_2025.csv" in answer.headers.get("Content-Disposition", "")
