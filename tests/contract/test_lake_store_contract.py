"""The lake port on the objects in memory and on S3 (emulator): rows written by source, read and removed by key,
a closed year's objects listed."""

from __future__ import annotations

import pytest

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.lake import BEDS, CLOSED, ISOLATES_YEAR, LAKE, closed_year_key, lake_key
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


CHU = Establishment(Finess("440000990"), "CHU", "CHU", RegionCode("52"))


def test_rows_made_as_parquet_are_written_where_the_same_rows_would_be_and_removed_from_there(world):
    lake, _ = world
    body = DuckDbLakeWriter().parquet(COLUMNS, [beds_row("0412", 20)])
    key = lake.write_parquet(BEDS, 2025, CHU, "u1", body)
    assert key == lake_key("beds", 2025, "52", "440000990", "u1")
    assert [(row["code_uf"], row["beds"]) for row in lake.rows(key)] == [("0412", 20)]
    lake.remove_written(BEDS, 2025, CHU, "u1")
    lake.remove_written(BEDS, 2025, CHU, "u1")
    lake.copy_closed(lake.write(BEDS, 2025, CHU, "u2", [beds_row("0412", 1)]))
    assert lake.closed_keys("beds", 2025) == [lake_key("beds", 2025, "52", "440000990", "u2", area=CLOSED)]


def test_several_objects_are_selected_by_column_some_values_only_or_the_groups_seen_across_values(world):
    lake, write = world
    first, second = lake_key("beds", 2025, "52", "440000990", "u1"), lake_key("beds", 2025, "52", "440000990", "u2")
    write(first, [beds_row("0412", 20), beds_row("1204", 3)])
    write(second, [beds_row("0412", 21), beds_row("0999", 3)])
    assert sorted(lake.select([first, second], ("code_uf", "beds"))) == [("0412", 20), ("0412", 21), ("0999", 3), ("1204", 3)]
    assert sorted(lake.select([first, second], ("beds",), only=("code_uf", ["0412"]))) == [(20,), (21,)]
    assert sorted(lake.select([first, second], ("code_uf",), spread=(("code_uf",), "beds"))) == [("0412",), ("0412",)]
    assert lake.select([], ("code_uf",)) == []


def test_a_current_object_closed_is_listed_for_its_year_region_and_establishment_until_its_copy_is_removed(world):
    lake, _ = world
    key = lake.write(BEDS, 2025, CHU, "u1", [beds_row("0412", 20)])
    lake.copy_closed(key)
    closed = lake_key("beds", 2025, "52", "440000990", "u1", area=CLOSED)
    assert lake.closed_keys("beds", 2025) == lake.closed_keys("beds", 2025, "52") == [closed]
    assert lake.closed_keys("beds", 2025, "52", "440000990") == [closed]
    assert lake.closed_keys("beds", 2025, "11") == [] and lake.closed_keys("beds", 2025, "52", "750000010") == []
    assert [row["beds"] for row in lake.rows(closed)] == [20]
    lake.remove_closed(key)
    lake.remove_closed(key)
    assert lake.closed_keys("beds", 2025) == [] and [row["beds"] for row in lake.rows(key)] == [20]


def test_a_year_s_decisions_closed_again_replace_the_establishment_s_one_closed_copy_of_the_year(world):
    lake, _ = world
    first = lake.write(ISOLATES_YEAR, 2025, CHU, "annee-1", [])
    second = lake.write(ISOLATES_YEAR, 2025, CHU, "annee-2", [])
    lake.copy_closed_year(first)
    lake.copy_closed_year(second)
    assert lake.closed_keys("isolates_year", 2025) == [closed_year_key(second)] != [closed_year_key(first)]
    assert closed_year_key(second).endswith("/es=440000990/annee-2.parquet")  # new content, new name


def another_process(lake: S3LakeStore) -> S3LakeStore:
    """The same lake as another function's container sees it (its own listings kept)."""
    return S3LakeStore(lake._objects, DuckDbLakeReader(lake._objects), DuckDbLakeWriter(), lake._bucket)


def test_a_listing_is_given_again_while_the_closed_area_has_not_changed_and_made_anew_after_any_change(world, monkeypatch):
    closure, _ = world
    api = another_process(closure)
    nothing_yet = api.closed_version()
    assert api.closed_keys("beds", 2025, version=nothing_yet) == []
    u1 = closure.write(BEDS, 2025, CHU, "u1", [beds_row("0412", 20)])
    closure.copy_closed(u1)
    closed = lake_key("beds", 2025, "52", "440000990", "u1", area=CLOSED)
    assert api.closed_keys("beds", 2025, version=nothing_yet) == []  # the listing made in that state
    assert api.closed_keys("beds", 2025) == [closed]  # without a version: listed
    after_copy = api.closed_version()
    assert after_copy != nothing_yet
    assert api.closed_keys("beds", 2025, version=after_copy) == [closed]
    listings = []
    monkeypatch.setattr(api._objects, "list_keys", lambda *a: listings.append(a) or [])
    assert api.closed_keys("beds", 2025, version=after_copy) == [closed]
    assert listings == []  # given again, not listed
    monkeypatch.undo()
    states = {nothing_yet, after_copy}
    for change in (
        lambda: closure.remove_closed(u1),
        lambda: closure.copy_closed_year(closure.write(ISOLATES_YEAR, 2025, CHU, "a", [])),
    ):
        change()
        state = api.closed_version()
        assert state not in states
        states.add(state)
    assert api.closed_keys("beds", 2025, version=state) == []
    assert api.closed_keys("isolates_year", 2025, version=state) == [
        closed_year_key(lake_key("isolates_year", 2025, "52", "440000990", "a"))
    ]


def test_the_closed_area_s_state_is_in_no_dataset_s_listing(world):
    lake, _ = world
    lake.copy_closed(lake.write(BEDS, 2025, CHU, "u1", [beds_row("0412", 20)]))
    from chalicelib.domain.lake import DATASETS

    for dataset in DATASETS:
        assert all(key.endswith(".parquet") for key in lake.closed_keys(dataset, 2025, version=lake.closed_version()))


def test_a_listing_is_given_again_only_so_long_and_the_listings_kept_hold_so_many_keys():
    from chalicelib.adapters.s3_lake import Listings

    now = [0.0]
    listings, made = Listings(max_age=60, max_keys=2, clock=lambda: now[0]), []

    def listed(name, size=1):
        return lambda: made.append(name) or [name] * size

    assert listings.get("a/", "v", listed("a")) == ["a"]
    now[0] = 60
    assert listings.get("a/", "v", listed("a2")) == ["a"]  # still fresh
    now[0] = 61
    assert listings.get("a/", "v", listed("a3")) == ["a3"]  # too old: listed again
    listings.get("b/", "v", listed("b"))
    listings.get("c/", "v", listed("c"))  # a third key: the least recently used listing forgotten
    assert listings.get("a/", "v", listed("a4")) == ["a4"]
    assert listings.get("big/", "v", listed("big", 3)) == ["big"] * 3  # larger than all kept: given, not kept
    assert listings.get("big/", "v", listed("big2", 3)) == ["big2"] * 3
    listings.clear()
    assert listings.get("a/", "v", listed("a5")) == ["a5"]  # forgotten: listed anew
    assert made == ["a", "a3", "b", "c", "a4", "big", "big2", "a5"]
