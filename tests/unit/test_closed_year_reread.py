"""A period closed again copies the year's new decisions under a new name: the embedded engine, which keeps
lake files by key, reads the new decisions, never the copy closed before (a national figure from stale
yearly deduplication)."""

from __future__ import annotations

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.lake import ISOLATES, ISOLATES_YEAR, RESULTS
from chalicelib.domain.tenants import Establishment
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.ports import TableSource
from tests.fakes.stores import FakeObjectStore

CHU = Establishment(Finess("440000990"), "CHU", "CHU", RegionCode("52"))


def full(dataset, **values):
    return dataset.row(**{name: values.get(name) for name in dataset.names})


def test_the_engine_reads_the_yearly_decisions_of_the_last_closure_not_a_file_it_kept_from_the_one_before(tmp_path):
    objects = FakeObjectStore()
    lake = S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), "lake")
    engine = DuckDbQueryEngine(objects, "lake", str(tmp_path))
    isolate = {"finess": "440000990", "isolate_id": "i1", "species": "ESCCOL", "kept": False}
    lake.copy_closed(lake.write(ISOLATES, 2025, CHU, "u1", [full(ISOLATES, **isolate)]))
    lake.copy_closed(lake.write(RESULTS, 2025, CHU, "u1", [full(RESULTS, isolate_id="i1", antibiotic="CTX", sir="R")]))

    def closed_pct_r() -> list[dict]:
        tables = {name: TableSource(tuple(lake.closed_keys(name, 2025)), columns) for name, columns in COLUMNS.items()}
        return engine.run("pct_r", (2025, False, "", ""), tables)

    first = lake.write(ISOLATES_YEAR, 2025, CHU, "annee-1", [full(ISOLATES_YEAR, isolate_id="i1", kept_year=False)])
    lake.copy_closed_year(first)
    assert closed_pct_r() == []  # a duplicate over the year: not counted
    second = lake.write(ISOLATES_YEAR, 2025, CHU, "annee-2", [full(ISOLATES_YEAR, isolate_id="i1", kept_year=True)])
    lake.copy_closed_year(second)  # the next quarter closed: the decisions made again
    assert [(r["dim"], r["n"]) for r in closed_pct_r()] == [("ESCCOL|CTX", 1)]
