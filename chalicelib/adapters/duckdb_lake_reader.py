"""LakeReader with DuckDB: one Parquet object of the lake, read into rows."""

from __future__ import annotations

import os
import tempfile
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
