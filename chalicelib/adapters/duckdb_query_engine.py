"""QueryEngine on DuckDB (the embedded runtime): the Athena SQL transpiled with
SQLGlot, run over the lake's Parquet objects copied into a local cache.

Lake objects are immutable (one per upload; closed copies are deleted, never
rewritten), so a cached copy is valid as long as its key is listed. A table
behind many objects (a national year: one per establishment) is read from one
consolidated local file, made on first use and named by the objects' keys.

One in-memory database per engine, opened once: each query runs on its own cursor (a
connection to that database, its temporary views its own), so a report's hundred queries
do not each open a database (10 ms apiece) and the Parquet footers read once stay cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import sqlglot

from chalicelib.adapters.query_files import referenced
from chalicelib.domain.lake import PARTITIONS
from chalicelib.services.ports import ObjectStore, TableSource

#: From this many objects behind one table, their rows are read from one consolidated local file.
CONSOLIDATE_FROM = 200
CONSOLIDATED = "consolidated"
CONSOLIDATED_KEPT = 24


@cache
def transpiled(query: str) -> str:
    text = resources.files("chalicelib.queries").joinpath(f"{query}.sql").read_text(encoding="utf-8")
    return str(sqlglot.transpile(text, read="trino", write="duckdb")[0])


class DuckDbQueryEngine:
    def __init__(self, objects: ObjectStore, bucket: str, cache_dir: str) -> None:
        self._objects = objects
        self._bucket = bucket
        self._cache = cache_dir
        self._lock = threading.Lock()
        self._database: duckdb.DuckDBPyConnection | None = None

    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        connection = self._cursor()
        try:
            # Behind a national table stand thousands of files: bind only what the query reads.
            self.views(connection, {name: source for name, source in tables.items() if name in referenced(query)})
            cursor = connection.execute(transpiled(query), list(parameters))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()

    def views(self, connection: duckdb.DuckDBPyConnection, tables: Mapping[str, TableSource]) -> None:
        """One temporary view per table (the connection's own): its objects' rows with every declared
        column, then the partition columns."""
        for name, source in tables.items():
            relation = _complete(connection, self._relation(source), source)
            connection.execute(f"CREATE TEMPORARY VIEW {_identifier(name)} AS {relation}")

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the engine's database (opened on first use): one per query, whichever thread."""
        with self._lock:
            if self._database is None:
                database = duckdb.connect()
                # Each view is bound when created, described, then bound by the query: read each footer once.
                database.execute("SET GLOBAL parquet_metadata_cache = true")
                self._database = database
            return self._database.cursor()

    def _relation(self, source: TableSource) -> str:
        if not source.keys:
            columns = ", ".join(
                f"CAST(NULL AS {sql_type}) AS {_identifier(name)}" for name, sql_type in (*source.columns, *PARTITIONS)
            )
            return f"SELECT {columns} WHERE FALSE"
        local = [self._local(key) for key in source.keys]
        if len(local) >= CONSOLIDATE_FROM:
            return f"SELECT * FROM read_parquet({_literal(self._consolidated(source.keys, local))})"  # noqa: S608 - our path
        return f"SELECT * FROM {_files(local)}"  # noqa: S608 - table names checked, paths are ours

    def _consolidated(self, keys: Sequence[str], local: Sequence[str]) -> str:
        """One local Parquet file holding these objects' rows (partition columns included), made once and
        reused while a table lists the same objects: a national year is thousands of small files, whose
        opening costs more than their reading. Lake objects are immutable, so their keys name the content."""
        digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:32]
        path = os.path.join(self._cache, CONSOLIDATED, f"{digest}.parquet")
        with self._lock:
            if os.path.exists(path):
                os.utime(path)  # recently used: kept by the eviction below
                return path
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = path + ".part"
            connection = duckdb.connect()
            try:
                connection.execute(
                    f"COPY (SELECT * FROM {_files(local)} ORDER BY year, region, es) TO {_literal(temporary)} "  # noqa: S608
                    "(FORMAT parquet, COMPRESSION zstd)"
                )
            finally:
                connection.close()
            os.replace(temporary, path)
            _evict(os.path.dirname(path), keep=CONSOLIDATED_KEPT)
        return path

    def _local(self, key: str) -> str:
        path = os.path.join(self._cache, key)
        with self._lock:
            if not os.path.exists(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                temporary = path + ".part"
                with open(temporary, "wb") as handle:
                    handle.write(self._objects.get(self._bucket, key))
                os.replace(temporary, path)
        return path


def _files(paths: Sequence[str]) -> str:
    listed = ", ".join(_literal(path) for path in paths)
    return f"read_parquet([{listed}], hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"


def _evict(directory: str, keep: int) -> None:
    """The ``keep`` most recently used consolidated files stay; the others go (their objects changed since)."""
    found = sorted((entry.stat().st_mtime, entry.path) for entry in os.scandir(directory) if entry.name.endswith(".parquet"))
    for _, path in found[:-keep]:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def _complete(connection: duckdb.DuckDBPyConnection, relation: str, source: TableSource) -> str:
    """The relation with every declared column: one added to a dataset later reads
    NULL in older files (as Athena does through the Glue schema)."""
    if not source.keys:
        return relation
    present = {row[0] for row in connection.execute(f"DESCRIBE {relation}").fetchall()}
    missing = [f"CAST(NULL AS {sql_type}) AS {_identifier(name)}" for name, sql_type in source.columns if name not in present]
    return f"SELECT *, {', '.join(missing)} FROM ({relation})" if missing else relation  # noqa: S608 - declared names


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not an identifier: {name!r}")
    return name


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
