"""TicketFiles on the object store: the attachments in the exports bucket, ``tickets/<ticket>/<attachment>/<name>``."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.tickets.model import Attachment
from chalicelib.services.ports import ObjectStore

PREFIX = "tickets"


class S3TicketFiles:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def upload_form(self, ticket_id: str, attachment: Attachment, max_bytes: int, expires_in: int) -> dict[str, Any]:
        return self._objects.presigned_post(self._bucket, _key(ticket_id, attachment), attachment.content_type, max_bytes,
                                            expires_in)  # fmt: skip

    def download_url(self, ticket_id: str, attachment: Attachment, expires_in: int) -> str:
        return self._objects.presigned_get(self._bucket, _key(ticket_id, attachment), attachment.filename, expires_in)

    def arrived(self, ticket_id: str) -> set[str]:
        prefix = f"{PREFIX}/{ticket_id}/"
        return {key[len(prefix) :].split("/", 1)[0] for key in self._objects.list_keys(self._bucket, prefix)}


def _key(ticket_id: str, attachment: Attachment) -> str:
    return f"{PREFIX}/{ticket_id}/{attachment.attachment_id}/{attachment.filename}"
