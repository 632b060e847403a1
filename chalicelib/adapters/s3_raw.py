"""RawStore on the object store: the raw bucket, keyed as the uploads were (``chalicelib.domain.uploads``)."""

from __future__ import annotations

from typing import Any

from chalicelib.services.ports import ObjectStore


class S3RawStore:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def owns(self, bucket: str) -> bool:
        return bucket == self._bucket

    def presigned_post(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        return self._objects.presigned_post(self._bucket, key, content_type, max_bytes, expires_in)

    def head(self, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        return self._objects.head(self._bucket, key, version_id)

    def get(self, key: str, version_id: str | None = None) -> bytes:
        return self._objects.get(self._bucket, key, version_id)

    def touch(self, key: str) -> None:
        self._objects.touch(self._bucket, key)

    def delete(self, key: str) -> None:
        self._objects.delete_all_versions(self._bucket, key)
