"""The work objects port (DuckDB Parquet adapter) over the in-memory object store and over S3 (emulator)."""

from __future__ import annotations

import pytest

from chalicelib.adapters.duckdb_work_objects import DuckDbWorkObjects
from chalicelib.services.ports import WorkObject, work_key
from tests.fakes.stores import FakeObjectStore

F, U = "440000990", "u1"
COLUMNS = (("row", "INTEGER"), ("code", "VARCHAR"), ("kept", "BOOLEAN"), ("age", "INTEGER"), ("big", "BIGINT"))
DATA = [[7, 3, 5], ["ESCCOL", "", None], [True, None, False], [None, 80, 0], [2**40, -1, 0]]


@pytest.fixture(params=["memory", "aws"])
def stores(request):
    """The adapter, its object store and its buckets (raw, lake)."""
    if request.param == "memory":
        objects, raw, lake = FakeObjectStore(), "raw", "lake"
    else:
        world = request.getfixturevalue("aws")
        objects, raw, lake = world.adapters.objects, world.settings.buckets["raw"], world.settings.buckets["lake"]
    return DuckDbWorkObjects(objects, raw, lake), objects, raw, lake


def test_columns_come_back_as_written_in_order_with_their_text_values(stores):
    work, *_ = stores
    work.put(F, U, WorkObject.DECISIONS, COLUMNS, DATA, {"rule": "R-1", "names": '["a", "it\'s"]'})
    found = work.get(F, U, WorkObject.DECISIONS)
    assert found.columns == dict(zip((name for name, _ in COLUMNS), DATA, strict=True))  # None stays NULL, "" stays ""
    assert found.metadata == {"rule": "R-1", "names": '["a", "it\'s"]'}


def test_an_object_of_no_row_keeps_its_columns(stores):
    work, *_ = stores
    work.put(F, U, WorkObject.TABLE, COLUMNS, [[] for _ in COLUMNS])
    assert work.get(F, U, WorkObject.TABLE).columns == {name: [] for name, _ in COLUMNS}


def test_the_identifiers_and_the_table_live_in_the_raw_bucket_the_others_in_the_lake_under_the_work_area(stores):
    work, objects, raw, lake = stores
    keys = {name: work.put(F, U, name, COLUMNS[:1], [[1]]) for name in WorkObject}
    assert keys == {name: work_key(F, U, name) for name in WorkObject}
    assert all(key.startswith(f"work/{F}/{U}/") and key.endswith(".parquet") for key in keys.values())
    in_raw = {WorkObject.PATIENTS, WorkObject.TABLE}
    assert sorted(objects.list_keys(raw, "work/")) == sorted(keys[name] for name in in_raw)
    assert sorted(objects.list_keys(lake, "work/")) == sorted(keys[name] for name in WorkObject if name not in in_raw)


def test_parquet_made_elsewhere_is_kept_as_given(stores):
    work, *_ = stores
    body = DuckDbWorkObjects(FakeObjectStore(), "r", "l")
    body.put(F, U, WorkObject.ISOLATES_PART, COLUMNS, DATA)
    given = body.get_parquet(F, U, WorkObject.ISOLATES_PART)
    work.put_parquet(F, U, WorkObject.ISOLATES_PART, given)
    assert work.get_parquet(F, U, WorkObject.ISOLATES_PART) == given and given[:4] == b"PAR1"
    assert work.get(F, U, WorkObject.ISOLATES_PART).columns["code"] == ["ESCCOL", "", None]


def test_an_absent_object_is_a_lookup_error_and_exists_says_so(stores):
    work, *_ = stores
    assert not work.exists(F, U, WorkObject.PSEUDONYMS)
    with pytest.raises(LookupError):
        work.get(F, U, WorkObject.PSEUDONYMS)
    work.put(F, U, WorkObject.PSEUDONYMS, COLUMNS[:1], [[1]])
    assert work.exists(F, U, WorkObject.PSEUDONYMS)


def test_an_object_goes_alone_and_the_work_area_goes_whole_whatever_wrote_it(stores):
    work, objects, raw, lake = stores
    for name in WorkObject:
        work.put(F, U, name, COLUMNS[:1], [[1]])
    work.put(F, "other", WorkObject.TABLE, COLUMNS[:1], [[1]])
    objects.put(raw, f"work/{F}/{U}/patients.json", b"{}", "application/json")  # an earlier version's object
    work.delete(F, U, WorkObject.PATIENTS)
    assert not work.exists(F, U, WorkObject.PATIENTS) and work.exists(F, U, WorkObject.TABLE)
    work.delete(F, U, WorkObject.PATIENTS)  # absent: nothing happens
    work.delete_all(F, U)
    assert objects.list_keys(raw, f"work/{F}/{U}/") == [] and objects.list_keys(lake, f"work/{F}/{U}/") == []
    assert work.exists(F, "other", WorkObject.TABLE)


def test_columns_that_do_not_match_their_declaration_are_refused(stores):
    work, *_ = stores
    with pytest.raises(ValueError):
        work.put(F, U, WorkObject.TABLE, COLUMNS, DATA[:2])
    with pytest.raises(ValueError):
        work.put(F, U, WorkObject.TABLE, COLUMNS[:2], [[1, 2], ["a"]])
    with pytest.raises(ValueError):
        work.put(F, U, WorkObject.TABLE, (("day", "DATE; DROP"),), [[1]])
