"""Answers of the routes that hand out a file: its presigned URL once ready (303 to it, or 200
for a client accepting JSON only), 202 while it is prepared (uploads.annotated_answer)."""

from __future__ import annotations

from typing import Literal

from chalicelib.handlers.contract import Binary
from chalicelib.handlers.responses.base import Answer


class ReadyFile(Answer):
    status: Literal["ready"]
    url: str
    filename: str
    expires_in: int


class PreparingFile(Answer):
    status: Literal["preparing"]
    message: str
    retry_after: int


#: A file made on demand: 303 to it once ready, 202 while prepared (the route's own status is 200).
PREPARED_FILE = {202: PreparingFile, 303: ReadyFile}
#: A file kept: 303 to it (the route's own status is 200).
KEPT_FILE = {303: ReadyFile}

XLSX = Binary("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Le fichier XLSX")


class PresignedPost(Answer):
    """A browser form's POST to the storage: its URL and the fields to send with the file."""

    url: str
    fields: dict[str, str]
