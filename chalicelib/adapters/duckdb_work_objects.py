"""WorkObjects as Parquet files in the object store, written and read with DuckDB.

Each object is one Parquet file under the import's work area (``work_key``), in
the raw bucket for the identifiers and the isolate table, in the lake bucket for
the others. Columns reach DuckDB as NumPy arrays (integers without NULL as
int64, everything else as Python objects, cast to the declared SQL type), so
values come back exactly as given: None is NULL and "" stays "", row order kept.
The text values (``metadata``) are the file's key/value metadata.

No pyarrow (see ARCHITECTURE.md "Limits"): NumPy and DuckDB only.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np

from chalicelib.services.ports import ObjectStore, WorkColumns, WorkObject, work_key

PARQUET = "application/vnd.apache.parquet"
_TYPES = frozenset({"INTEGER", "BIGINT", "VARCHAR", "BOOLEAN"})
_DATABASE: list[duckdb.DuckDBPyConnection] = []  # one in-memory database per process, opened on first use
_OPENING = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A connection of its own (its registrations are its own) to the process's database: opening a
    database takes longer than writing or reading a work object of 20,000 rows."""
    with _OPENING:
        if not _DATABASE:
            _DATABASE.append(duckdb.connect())
        return _DATABASE[0].cursor()


class DuckDbWorkObjects:
    def __init__(self, objects: ObjectStore, raw_bucket: str, lake_bucket: str) -> None:
        self._objects = objects
        self._raw = raw_bucket
        self._lake = lake_bucket

    def put(
        self,
        finess: str,
        upload_id: str,
        name: WorkObject,
        columns: Sequence[tuple[str, str]],
        data: Sequence[Sequence[Any]],
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        if len(data) != len(columns):
            raise ValueError(f"{len(data)} columns of data for {len(columns)} columns")
        sizes = {len(column) for column in data}
        if len(sizes) > 1:
            raise ValueError(f"columns of different lengths: {sorted(sizes)}")
        unknown = {sql_type for _, sql_type in columns} - _TYPES
        if unknown:
            raise ValueError(f"unsupported types {sorted(unknown)}")
        return self.put_parquet(finess, upload_id, name, _parquet(columns, data, metadata or {}))

    def put_parquet(self, finess: str, upload_id: str, name: WorkObject, body: bytes) -> str:
        key = work_key(finess, upload_id, name)
        self._objects.put(self._bucket(name), key, body, PARQUET)
        return key

    def get(self, finess: str, upload_id: str, name: WorkObject) -> WorkColumns:
        return _read(self.get_parquet(finess, upload_id, name))

    def get_parquet(self, finess: str, upload_id: str, name: WorkObject) -> bytes:
        bucket, key = self._bucket(name), work_key(finess, upload_id, name)
        if self._objects.head(bucket, key) is None:
            raise LookupError(f"no work object {key}")
        return self._objects.get(bucket, key)

    def exists(self, finess: str, upload_id: str, name: WorkObject) -> bool:
        return self._objects.head(self._bucket(name), work_key(finess, upload_id, name)) is not None

    def delete(self, finess: str, upload_id: str, name: WorkObject) -> None:
        self._objects.delete_all_versions(self._bucket(name), work_key(finess, upload_id, name))

    def delete_all(self, finess: str, upload_id: str) -> None:
        area = work_key(finess, upload_id)
        for bucket in (self._raw, self._lake):
            for key in self._objects.list_keys(bucket, area):
                self._objects.delete_all_versions(bucket, key)

    def _bucket(self, name: WorkObject) -> str:
        return self._raw if name.in_raw_bucket else self._lake


def _parquet(columns: Sequence[tuple[str, str]], data: Sequence[Sequence[Any]], metadata: Mapping[str, str]) -> bytes:
    arrays = {
        f"c{position}": _array(column, sql_type)
        for position, ((_, sql_type), column) in enumerate(zip(columns, data, strict=True))
    }
    select = ", ".join(f"CAST(c{position} AS {sql_type}) AS {_name(name)}" for position, (name, sql_type) in enumerate(columns))
    pairs = ", ".join(f"{_name(key)}: {_literal(value)}" for key, value in metadata.items())
    options = f", KV_METADATA {{{pairs}}}" if pairs else ""
    with tempfile.TemporaryDirectory(prefix="consores-work-") as work:
        target = os.path.join(work, "object.parquet")
        connection = _cursor()
        try:
            connection.register("work_columns", arrays)
            # Names and text values quoted, types among _TYPES (checked by put), our temporary path: no input as SQL.
            statement = (
                f"COPY (SELECT {select} FROM work_columns) TO {_literal(target)} (FORMAT parquet, COMPRESSION zstd{options})"  # noqa: S608
            )
            connection.execute(statement)
        finally:
            connection.close()
        with open(target, "rb") as handle:
            return handle.read()


def _array(column: Sequence[Any], sql_type: str) -> np.ndarray[Any, Any]:
    if sql_type in ("INTEGER", "BIGINT") and None not in column:
        return np.fromiter(column, dtype=np.int64, count=len(column))
    values = np.empty(len(column), dtype=object)
    values[:] = column
    return values


def _read(body: bytes) -> WorkColumns:
    with tempfile.TemporaryDirectory(prefix="consores-work-") as work:
        path = os.path.join(work, "object.parquet")
        with open(path, "wb") as handle:
            handle.write(body)
        connection = _cursor()
        try:
            found = connection.execute(f"SELECT * FROM read_parquet({_literal(path)})").fetchnumpy()  # noqa: S608
            pairs = connection.execute(f"SELECT key, value FROM parquet_kv_metadata({_literal(path)})").fetchall()  # noqa: S608
        finally:
            connection.close()
    columns = {name: values.tolist() for name, values in found.items()}
    return WorkColumns(columns, {bytes(key).decode(): bytes(value).decode() for key, value in pairs})


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
