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
        self, bucket: str, keys: Sequence[str], columns: Sequence[str], only: tuple[str, Collection[str]] | None = None
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
                query = f"SELECT {', '.join(names)} FROM read_parquet(?, union_by_name = true)"  # noqa: S608 - checked names
                parameters: list[Any] = [paths]
                if only is not None:
                    column, values = only
                    query += f" WHERE {_identifier(column)} IN (SELECT UNNEST(?::VARCHAR[]))"
                    parameters.append(sorted(values))
                return connection.execute(query, parameters).fetchall()
            finally:
                connection.close()


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not an identifier: {name!r}")
    return name
