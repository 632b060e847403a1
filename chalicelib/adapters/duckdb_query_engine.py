"""QueryEngine on DuckDB (the embedded runtime): the Athena SQL transpiled with
SQLGlot, run over the lake's Parquet objects copied into a local cache.

Lake objects are immutable (one per upload; closed copies are deleted, never
rewritten), so a cached copy is valid as long as its key is listed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import sqlglot

from chalicelib.services.ports import ObjectStore, TableSource

PARTITIONS = (("year", "VARCHAR"), ("region", "VARCHAR"), ("es", "VARCHAR"))


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

    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        connection = duckdb.connect()
        try:
            for name, source in tables.items():
                connection.execute(f"CREATE VIEW {_identifier(name)} AS {_complete(connection, self._relation(source), source)}")
            cursor = connection.execute(transpiled(query), list(parameters))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()

    def _relation(self, source: TableSource) -> str:
        if not source.keys:
            columns = ", ".join(
                f"CAST(NULL AS {sql_type}) AS {_identifier(name)}" for name, sql_type in (*source.columns, *PARTITIONS)
            )
            return f"SELECT {columns} WHERE FALSE"
        paths = ", ".join(_literal(self._local(key)) for key in source.keys)
        return (
            f"SELECT * FROM read_parquet([{paths}], hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"  # noqa: S608 - table names checked, paths are ours
        )

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
