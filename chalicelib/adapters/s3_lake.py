"""LakeStore on the object store: the lake bucket, its keys laid out by ``chalicelib.domain.lake``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.domain.lake import CLOSED, PARQUET, Dataset, partition_prefix
from chalicelib.domain.tenants import Establishment
from chalicelib.services.ports import LakeReader, LakeWriter, ObjectStore


class S3LakeStore:
    def __init__(self, objects: ObjectStore, reader: LakeReader, writer: LakeWriter, bucket: str) -> None:
        self._objects = objects
        self._reader = reader
        self._writer = writer
        self._bucket = bucket

    def write(
        self, dataset: Dataset, year: int, establishment: Establishment, source_id: str, rows: Sequence[Sequence[Any]]
    ) -> str:
        key = dataset.key(year, establishment.region.value, establishment.finess, source_id)
        self._objects.put(self._bucket, key, self._writer.parquet(dataset.columns, rows), PARQUET)
        return key

    def rows(self, key: str) -> list[dict[str, Any]]:
        return self._reader.rows(self._bucket, key)

    def remove(self, key: str) -> None:
        self._objects.delete_all_versions(self._bucket, key)

    def closed_keys(self, dataset: str, year: int) -> list[str]:
        return sorted(self._objects.list_keys(self._bucket, partition_prefix(CLOSED, dataset, year)))
