"""LakeReader with DuckDB: Parquet objects of the lake, read into rows."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Sequence
from typing import Any

import duckdb

from chalicelib.services.ports import ObjectStore


class DuckDbLakeReader:
    def __init__(self, objects: ObjectStore) -> None:
        self._objects = objects

    def rows(self, bucket: str, key: str) -> list[dict[str, Any]]:
        data = self._objects.get(bucket, key)
        with tempfile.TemporaryDirectory(prefix="consores-read-") as work:
            path = os.path.join(work, "part.parquet")
            with open(path, "wb") as handle:
                handle.write(data)
            connection = duckdb.connect()
            try:
                cursor = connection.execute("SELECT * FROM read_parquet(?)", [path])
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            finally:
                connection.close()

    def select(
        self,
        bucket: str,
        keys: Sequence[str],
        columns: Sequence[str],
        only: tuple[str, Collection[str]] | None = None,
        spread: tuple[Sequence[str], str] | None = None,
    ) -> list[tuple[Any, ...]]:
        if not keys:
            return []
        names = [_identifier(name) for name in columns]
        with tempfile.TemporaryDirectory(prefix="consores-read-") as work:
            paths = []
            for number, key in enumerate(keys):
                path = os.path.join(work, f"{number}.parquet")
                with open(path, "wb") as handle:
                    handle.write(self._objects.get(bucket, key))
                paths.append(path)
            connection = duckdb.connect()
            try:
                listed = ", ".join("'" + path.replace("'", "''") + "'" for path in paths)  # our temporary paths
                read = f"SELECT * FROM read_parquet([{listed}], union_by_name = true)"  # noqa: S608 - our paths
                connection.execute(f"CREATE TEMPORARY VIEW source AS {read}")
                query = f"SELECT {', '.join(names)} FROM source"  # noqa: S608 - checked names
                parameters: list[Any] = []
                conditions = []
                if only is not None:  # the values from a file: a long Python list as a parameter costs seconds
                    column, values = only
                    wanted = os.path.join(work, "only.txt")
                    with open(wanted, "w", encoding="utf-8") as handle:
                        handle.writelines(f"{value}\n" for value in values if "\n" not in value and "\t" not in value)
                    listing = "read_csv(?, header = false, delim = '\t', quote = '', escape = '', columns = {'v': 'VARCHAR'})"
                    conditions.append(f"{_identifier(column)} IN (SELECT v FROM {listing})")  # noqa: S608 - checked name
                    parameters.append(wanted)
                if spread is not None:
                    group = ", ".join(_identifier(name) for name in spread[0])
                    conditions.append(
                        f"({group}) IN (SELECT ({group}) FROM source GROUP BY {group} "  # noqa: S608 - checked names
                        f"HAVING COUNT(DISTINCT {_identifier(spread[1])}) > 1)"
                    )
                if conditions:
                    query += " WHERE " + " AND ".join(conditions)
                return connection.execute(query, parameters).fetchall()
            finally:
                connection.close()


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not an identifier: {name!r}")
    return name
