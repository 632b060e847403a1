"""The lake's declaration (chalicelib/domain/lake.py) is the one source of its schema: the Glue
tables of the stack, the DuckDB views the indicator queries read and the test fixtures all derive
from it, with the same columns and types, and a column declared appears in all three."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.domain import lake
from chalicelib.domain.codes import Finess
from chalicelib.domain.indicators import PHENOTYPE_LABELS
from chalicelib.domain.lake import CLOSED, ISOLATES, PARTITIONS, PHENOTYPES, QUERIED, Column, Dataset
from chalicelib.domain.resistance.dedup_setting import INITIAL
from chalicelib.domain.resistance.phenotypes import Phenotypes
from chalicelib.services.indicators import LakeTables, sources
from tests.fakes.stores import FakeObjectStore, FakeUploadStore
from tests.support import lake_fixture

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
from infra.cloud import lake_catalogue

BUCKET = "lake"
YEAR = 2025
#: DuckDB's names of the declared types, as DESCRIBE gives them.
DUCKDB_TYPES = {"INTEGER": "INTEGER", "BIGINT": "BIGINT", "BOOLEAN": "BOOLEAN", "DATE": "DATE", "VARCHAR": "VARCHAR",
                "DOUBLE": "DOUBLE"}  # fmt: skip


def declared(dataset: Dataset, *extra: Column) -> dict[str, str]:
    return {name: sql_type.replace(" ", "") for name, sql_type in (*dataset.columns, *extra)}


def glue(datasets: dict[str, Dataset]) -> dict[str, dict[str, str]]:
    """Each Glue table's columns with their Glue type, partition keys apart (checked once, below)."""
    tables = lake_catalogue.glue_tables(BUCKET)
    assert {table.name for table in tables} == {f"{state}_{name}" for state in ("draft", "closed") for name in datasets}
    assert all(table.partition_keys == (("year", "string"), ("region", "string"), ("es", "string")) for table in tables)
    return {table.name: dict(table.columns) for table in tables}


def views(tmp_path: Path, world: lake_fixture.Lake) -> dict[str, dict[str, str]]:
    """The columns of the views the DuckDB engine makes over the fixture lake's closed files."""
    objects = FakeObjectStore()
    world.keys(objects, prefix=CLOSED)
    lake_store = S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), BUCKET)
    tables = LakeTables(FakeUploadStore(), lake_store).closed(YEAR, INITIAL)
    connection = duckdb.connect()
    try:
        DuckDbQueryEngine(objects, BUCKET, str(tmp_path)).views(connection, tables)
        return {name: dict(connection.execute(f"SELECT column_name, column_type FROM (DESCRIBE {name})").fetchall())
                for name in tables}  # fmt: skip
    finally:
        connection.close()


def fixture_files(tmp_path: Path, world: lake_fixture.Lake) -> dict[str, dict[str, str]]:
    """The columns of the fixture lake's Parquet files, by dataset (one file read per dataset)."""
    objects = FakeObjectStore()
    found = {}
    connection = duckdb.connect()
    try:
        for dataset, keys in world.keys(objects).items():
            if keys:
                path = tmp_path / f"{dataset}.parquet"
                path.write_bytes(objects.get(BUCKET, keys[0]))
                found[dataset] = dict(
                    connection.execute(
                        "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [str(path)]
                    ).fetchall()
                )
    finally:
        connection.close()
    return found


def _duckdb_type(sql_type: str) -> str:
    return DUCKDB_TYPES.get(sql_type, sql_type)


def test_every_glue_table_has_exactly_the_declared_columns_with_their_types() -> None:
    tables = glue(QUERIED)
    for name, dataset in QUERIED.items():
        expected = {column: lake_catalogue.hive_type(sql_type) for column, sql_type in declared(dataset).items()}
        assert tables[f"draft_{name}"] == expected
        assert tables[f"closed_{name}"] == expected


def test_every_duckdb_view_has_exactly_the_declared_columns_then_the_partitions(tmp_path: Path) -> None:
    found = views(tmp_path, lake_fixture.build())
    assert set(found) == set(QUERIED)
    for name, dataset in QUERIED.items():
        expected = {column: _duckdb_type(sql_type) for column, sql_type in declared(dataset, *PARTITIONS).items()}
        assert found[name] == expected, name


def test_the_fixture_lake_writes_every_declared_column_with_its_type_and_no_other(tmp_path: Path) -> None:
    found = fixture_files(tmp_path, lake_fixture.build())
    assert set(found) == {name for name in QUERIED if name != "isolates_year"}  # no yearly decisions in the fixture
    for name, columns in found.items():
        assert columns == {column: _duckdb_type(sql_type) for column, sql_type in declared(QUERIED[name]).items()}, name


def test_a_column_added_to_a_declaration_appears_in_the_glue_tables_the_views_and_the_fixtures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = Column("added_column", "VARCHAR")
    widened = {**QUERIED, "isolates": replace(ISOLATES, columns=(*ISOLATES.columns, added))}
    monkeypatch.setattr(lake_catalogue, "QUERIED", widened)
    monkeypatch.setattr(lake_fixture, "QUERIED", widened)
    monkeypatch.setattr(sources, "COLUMNS", {name: dataset.columns for name, dataset in widened.items()})
    world = lake_fixture.build()
    assert glue(widened)["closed_isolates"]["added_column"] == "string"
    assert views(tmp_path, world)["isolates"]["added_column"] == "VARCHAR"
    assert fixture_files(tmp_path, world)["isolates"]["added_column"] == "VARCHAR"
    assert "added_column" not in glue(widened)["closed_results"]


def test_a_row_names_every_declared_column_and_no_other() -> None:
    values = dict.fromkeys(lake.RESULTS.names)
    assert lake.RESULTS.row(**{**values, "sir": "R"})[lake.RESULTS.position("sir")] == "R"
    with pytest.raises(ValueError, match="added_column"):
        lake.RESULTS.row(**values, added_column="x")
    with pytest.raises(ValueError, match="sir"):
        lake.RESULTS.row(**{name: None for name in lake.RESULTS.names if name != "sir"})
    with pytest.raises(ValueError, match="kept"):
        lake.ISOLATES_YEAR.ordered({name: [] for name in lake.ISOLATES_YEAR.names if name != "kept_year"})


def test_a_dataset_declares_each_column_once_with_a_lake_type() -> None:
    with pytest.raises(ValueError, match="twice"):
        Dataset("x", "x", (Column("a", "VARCHAR"), Column("a", "INTEGER")))
    with pytest.raises(ValueError, match="type"):
        Dataset("x", "x", (Column("a", "TEXT"),))


def test_the_keys_keep_the_layout_of_the_lake() -> None:
    finess = Finess("440000990")
    assert lake.ISOLATES.key(2025, "52", finess, "u1") == "lake/isolates/year=2025/region=52/es=440000990/u1.parquet"
    assert lake.closed_key("lake/results/year=2025/region=52/es=440000990/u1.parquet") == (
        "closed/results/year=2025/region=52/es=440000990/u1.parquet"
    )
    assert lake.partition_prefix(CLOSED, "isolates", 2025, "52") == "closed/isolates/year=2025/region=52/"
    assert lake.partition_prefix(CLOSED, "isolates", 2025, None, "440000990") == "closed/isolates/year=2025/"
    assert lake.location_template("lake", "isolates") == "lake/isolates/year=${year}/region=${region}/es=${es}/"
    parsed = lake.LakeKey.parse("closed/isolates/year=2025/region=52/es=440000990/u1.parquet")
    assert parsed is not None and (parsed.area, parsed.dataset, parsed.year, parsed.region, parsed.es) == (
        "closed", "isolates", "2025", "52", "440000990",
    )  # fmt: skip
    assert lake.LakeKey.parse("raw/isolates/u1.parquet") is None


def test_the_isolates_carry_one_boolean_column_per_declared_phenotype() -> None:
    assert [column for column in ISOLATES.columns if column.name in PHENOTYPES] == [Column(p, "BOOLEAN") for p in PHENOTYPES]
    assert list(PHENOTYPE_LABELS) == list(PHENOTYPES)
    flags = [name for name in Phenotypes.__dataclass_fields__ if name not in ("carbapenemase_type", "findings", "rule")]
    assert flags == list(PHENOTYPES)


@pytest.mark.parametrize("query", ["pct_phenotype", "density_1000jh", "density_1000jh_by_sector"])
def test_a_query_choosing_a_phenotype_lists_exactly_the_declared_ones(query: str) -> None:
    text = resources.files("chalicelib.queries").joinpath(f"{query}.sql").read_text(encoding="utf-8")
    case = re.search(r"CASE p\.phenotype(.*?)END", text, re.DOTALL)
    assert case is not None
    branches = re.findall(r"WHEN '(\w+)' THEN i\.(\w+)", case.group(1))
    assert branches == [(name, name) for name in PHENOTYPES]
