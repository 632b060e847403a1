"""ExportFiles on the object store: the exports bucket, ``ears-net/<year>/<export_id>/<file>`` and
``ears-net/<year>/ledger.csv``."""

from __future__ import annotations

from chalicelib.services.ports import ObjectStore

PREFIX = "ears-net"
CSV = "text/csv; charset=utf-8"


class S3ExportFiles:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def put(self, year: int, export_id: str, name: str, body: bytes, content_type: str) -> str:
        key = f"{PREFIX}/{year}/{export_id}/{name}"
        self._objects.put(self._bucket, key, body, content_type)
        return key

    def ledger(self, year: int) -> bytes | None:
        key = _ledger_key(year)
        if self._objects.head(self._bucket, key) is None:
            return None
        return self._objects.get(self._bucket, key)

    def put_ledger(self, year: int, body: bytes) -> None:
        self._objects.put(self._bucket, _ledger_key(year), body, CSV)

    def url(self, key: str, filename: str, expires_in: int) -> str:
        return self._objects.presigned_get(self._bucket, key, filename, expires_in)


def _ledger_key(year: int) -> str:
    """The last version sent of each RecordId of the year (AMRTEST CSV, withdrawn ones with Status DELETE)."""
    return f"{PREFIX}/{year}/ledger.csv"
