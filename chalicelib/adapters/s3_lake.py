"""LakeStore on the object store: the lake bucket, its keys laid out by ``chalicelib.domain.lake``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from chalicelib.domain.lake import CLOSED, PARQUET, Dataset, closed_key, closed_year_key, partition_prefix
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
        return self.write_parquet(dataset, year, establishment, source_id, self._writer.parquet(dataset.columns, rows))

    def write_parquet(self, dataset: Dataset, year: int, establishment: Establishment, source_id: str, body: bytes) -> str:
        key = _key(dataset, year, establishment, source_id)
        self._objects.put(self._bucket, key, body, PARQUET)
        return key

    def remove_written(self, dataset: Dataset, year: int, establishment: Establishment, source_id: str) -> None:
        self.remove(_key(dataset, year, establishment, source_id))

    def rows(self, key: str) -> list[dict[str, Any]]:
        return self._reader.rows(self._bucket, key)

    def select(
        self,
        keys: Sequence[str],
        columns: Sequence[str],
        only: tuple[str, Collection[str]] | None = None,
        spread: tuple[Sequence[str], str] | None = None,
    ) -> list[tuple[Any, ...]]:
        return self._reader.select(self._bucket, keys, columns, only, spread)

    def remove(self, key: str) -> None:
        self._objects.delete_all_versions(self._bucket, key)

    def copy_closed(self, key: str) -> None:
        self._objects.copy(self._bucket, key, closed_key(key))

    def copy_closed_year(self, key: str) -> None:
        target = closed_year_key(key)
        folder = target.rsplit("/", 1)[0] + "/"
        # The copy closed before goes first: a reader may see none for a moment (each isolate then keeps its
        # import's decision), never two (its isolates counted twice).
        for earlier in self._objects.list_keys(self._bucket, folder):
            if earlier != target:
                self._objects.delete_all_versions(self._bucket, earlier)
        self._objects.copy(self._bucket, key, target)

    def remove_closed(self, key: str) -> None:
        self.remove(closed_key(key))

    def closed_keys(self, dataset: str, year: int, region: str | None = None, finess: str | None = None) -> list[str]:
        return sorted(self._objects.list_keys(self._bucket, partition_prefix(CLOSED, dataset, year, region, finess)))


def _key(dataset: Dataset, year: int, establishment: Establishment, source_id: str) -> str:
    return dataset.key(year, establishment.region.value, establishment.finess, source_id)
