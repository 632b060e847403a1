"""The EARS-Net export files' port on the objects in memory and on S3 (emulator): each export's files and the
year's ledger, in a bucket the store alone names."""

from __future__ import annotations

import pytest
import requests

from chalicelib.adapters.s3_export_files import S3ExportFiles
from tests.fakes.stores import FakeObjectStore


@pytest.fixture(params=["fake", "aws"])
def files(request):
    if request.param == "fake":
        return S3ExportFiles(FakeObjectStore(), "the-exports"), None
    world = request.getfixturevalue("aws")
    return S3ExportFiles(world.adapters.objects, world.settings.buckets["exports"]), world


def test_an_export_s_files_are_kept_apart_from_another_export_s_and_another_year_s(files):
    store, _ = files
    first = store.put(2025, "e1", "amrtest.csv", b"RecordId\r\n1\r\n", "text/csv")
    second = store.put(2025, "e2", "amrtest.csv", b"RecordId\r\n2\r\n", "text/csv")
    other_year = store.put(2024, "e1", "amrtest.csv", b"RecordId\r\n3\r\n", "text/csv")
    assert len({first, second, other_year}) == 3 and first.endswith("amrtest.csv")
    assert first == "ears-net/2025/e1/amrtest.csv"  # the layout the export records already kept name


def test_a_year_has_no_ledger_before_its_first_publication_then_the_last_one_written(files):
    store, _ = files
    assert store.ledger(2025) is None
    store.put_ledger(2025, b"RecordId\r\nA\r\n")
    store.put_ledger(2025, b"RecordId\r\nA\r\nB\r\n")
    assert store.ledger(2025) == b"RecordId\r\nA\r\nB\r\n" and store.ledger(2024) is None
    store.put(2025, "e1", "amrtest.csv", b"RecordId\r\n", "text/csv")
    assert store.ledger(2025) == b"RecordId\r\nA\r\nB\r\n"


def test_a_file_named_by_its_key_is_downloaded_under_the_name_given(files):
    store, world = files
    key = store.put(2025, "e1", "amrtest.csv", b"RecordId\r\n", "text/csv")
    url = store.url(key, "AMRTEST_2025_e1.csv", 900)
    assert "amrtest.csv" in url
    if world is not None:
        answer = requests.get(url, timeout=10)
        assert answer.status_code == 200 and answer.content == b"RecordId\r\n"
        assert "AMRTEST_2025_e1.csv" in answer.headers.get("Content-Disposition", "")
