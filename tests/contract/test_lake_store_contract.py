"""The lake port on the objects in memory and on S3 (emulator): rows written by source, read and removed by key,
a closed year's objects listed."""

from __future__ import annotations

import pytest

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.lake import BEDS, CLOSED, LAKE, lake_key
from chalicelib.domain.tenants import Establishment
from tests.fakes.stores import FakeObjectStore

BUCKET = "the-lake"
COLUMNS = [(column.name, column.type) for column in BEDS.columns]


@pytest.fixture(params=["fake", "aws"])
def world(request):
    """The store, and a way to write a Parquet object where the lake keeps it."""
    if request.param == "fake":
        objects, bucket = FakeObjectStore(), BUCKET
    else:
        aws = request.getfixturevalue("aws")
        objects, bucket = aws.adapters.objects, aws.settings.buckets["lake"]

    def write(key: str, rows: list[tuple[object, ...]]) -> None:
        objects.put(bucket, key, DuckDbLakeWriter().parquet(COLUMNS, rows), "application/vnd.apache.parquet")

    return S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), bucket), write


def beds_row(code_uf: str, beds: int) -> tuple[object, ...]:
    values = {"finess": "440000990", "year": 2025, "code_uf": code_uf, "beds": beds, "upload_id": "u1"}
    return tuple(values.get(name) for name, _ in COLUMNS)


def test_a_source_s_rows_are_written_under_the_lake_layout_and_written_again_in_place(world):
    lake, _ = world
    chu = Establishment(Finess("440000990"), "CHU", "CHU", RegionCode("52"))
    key = lake.write(BEDS, 2025, chu, "u1", [beds_row("0412", 20)])
    assert key == lake_key("beds", 2025, "52", "440000990", "u1")
    assert lake.write(BEDS, 2025, chu, "u1", [beds_row("0412", 21), beds_row("1204", 3)]) == key
    assert sorted((row["code_uf"], row["beds"]) for row in lake.rows(key)) == [("0412", 21), ("1204", 3)]


def test_the_rows_of_an_object_are_read_back_by_its_key(world):
    lake, write = world
    key = lake_key("beds", 2025, "52", "440000990", "u1")
    write(key, [beds_row("0412", 20), beds_row("1204", 12)])
    rows = lake.rows(key)
    assert sorted((row["code_uf"], row["beds"]) for row in rows) == [("0412", 20), ("1204", 12)]


def an_object(write, key: str, beds: int = 1) -> str:
    write(key, [beds_row("0412", beds)])
    return key


def test_a_removed_object_is_gone_from_its_listing_and_removing_it_again_does_nothing(world):
    lake, write = world
    kept = an_object(write, lake_key("beds", 2025, "52", "440000990", "u1", area=CLOSED))
    removed = an_object(write, lake_key("beds", 2025, "52", "750000010", "u2", area=CLOSED))
    an_object(write, removed, beds=2)  # a second version
    lake.remove(removed)
    lake.remove(removed)
    assert lake.closed_keys("beds", 2025) == [kept]


def test_a_closed_year_lists_its_closed_objects_of_one_dataset_sorted(world):
    lake, write = world
    second = an_object(write, lake_key("beds", 2025, "52", "750000010", "u2", area=CLOSED))
    first = an_object(write, lake_key("beds", 2025, "11", "440000990", "u1", area=CLOSED))
    an_object(write, lake_key("beds", 2025, "52", "440000990", "u3", area=LAKE))  # a draft
    an_object(write, lake_key("beds", 2024, "52", "440000990", "u4", area=CLOSED))  # another year
    an_object(write, lake_key("structure", 2025, "52", "440000990", "u5", area=CLOSED))  # another dataset
    assert lake.closed_keys("beds", 2025) == sorted([first, second])


def test_a_year_never_closed_lists_nothing(world):
    lake, _ = world
    assert lake.closed_keys("isolates", 2025) == []
