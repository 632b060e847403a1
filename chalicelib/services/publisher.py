"""Writes accepted rows to the lake and makes them the establishment's current data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict, PeriodClosed, Superseded
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import lake_key
from chalicelib.services.ports import CurrentDataset, LakeWriter, ObjectStore, UploadStore

PARQUET = "application/vnd.apache.parquet"


class LakePublisher:
    def __init__(self, uploads: UploadStore, objects: ObjectStore, writer: LakeWriter, lake_bucket: str) -> None:
        self._uploads = uploads
        self._objects = objects
        self._writer = writer
        self._bucket = lake_bucket

    def write(
        self,
        establishment: Establishment,
        year: int,
        source_id: str,
        dataset: str,
        columns: Sequence[tuple[str, str]],
        rows: Sequence[Sequence[Any]],
    ) -> str:
        """One Parquet file per source (upload) and dataset, under the lake layout. Idempotent."""
        key = lake_key(dataset, year, establishment.region.value, establishment.finess, source_id)
        self._objects.put(self._bucket, key, self._writer.parquet(columns, rows), PARQUET)
        return key

    def make_current(
        self, finess: Finess, file_type: str, period: str, source_id: str, lake_keys: tuple[str, ...], sent_at: str = ""
    ) -> None:
        """Point (establishment, file type, period) at these lake files, then remove what they replace.

        ``source_id`` is the upload (or structure edit) that produced them, sent at ``sent_at``.
        Readers follow the pointer, so they see the old data or the new, never a mix. The source
        sent last wins (DOMAIN.md §10.2): when the current one was sent after this one, its
        files are removed and ``Superseded`` names the current one; when another replaces
        the pointer meanwhile, the rule is applied again to it.
        """
        for _ in range(_ATTEMPTS):
            previous = self._uploads.current(finess, file_type, period)
            if previous is not None and previous.upload_id == source_id:
                return  # already current (a retried event)
            if previous is not None and sent_at and previous.sent_at > sent_at:
                for key in sorted(set(lake_keys) - set(previous.lake_keys)):
                    self._objects.delete_all_versions(self._bucket, key)
                raise Superseded(previous.upload_id)
            version = previous.version + 1 if previous else 1
            current = CurrentDataset(finess, file_type, period, source_id, lake_keys, version, sent_at)
            try:
                self._uploads.replace_current(current, previous.version if previous else None)
            except Superseded:
                raise
            except PeriodClosed:
                raise
            except Conflict:
                continue  # another import became current meanwhile: compare with it
            if previous is not None:
                for key in sorted(set(previous.lake_keys) - set(lake_keys)):
                    self._objects.delete_all_versions(self._bucket, key)
            return
        raise Conflict("Trop d'imports simultanés de ce fichier pour cette période : réessayez dans un instant.")


#: How many times the pointer is compared again when other imports replace it meanwhile.
_ATTEMPTS = 5
