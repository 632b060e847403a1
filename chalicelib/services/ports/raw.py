"""The raw port: the files the establishments send, in the bucket that alone holds patient identifiers."""

from __future__ import annotations

from typing import Any, Protocol


class RawStore(Protocol):
    """The raw files, by the key an upload was given (``domain/uploads.raw_key``); which bucket holds them is
    the store's own."""

    def owns(self, bucket: str) -> bool:
        """Whether an "object created" event's bucket is this store's."""
        ...

    def presigned_post(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> dict[str, Any]:
        """A POST policy limited to this key, type and size: ``{"url", "fields"}``."""
        ...

    def head(self, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        """``{"size", "content_type", "version_id"}`` or None when absent."""
        ...

    def get(self, key: str, version_id: str | None = None) -> bytes: ...

    def touch(self, key: str) -> None:
        """A new version of the file with the same content (its "object created" event fires again)."""
        ...

    def delete(self, key: str) -> None:
        """The file goes, every version of it (absent: nothing happens)."""
        ...


class ImportRequests(Protocol):
    """Asks the import function, which alone may read the raw files, to process one again (asynchronously)."""

    def process_again(self, key: str) -> None:
        """The upload whose raw file is at ``key`` (reopened: PENDING) is imported again, soon; raises when the
        request could not be made (the sweeper sends a reopened upload's file again all the same)."""
        ...
