"""Answers of uploads and data removal (handlers/uploads.py)."""

from __future__ import annotations

from typing import Any, Literal

from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.handlers.responses.base import Answer
from chalicelib.handlers.responses.files import PresignedPost


class UploadCreated(Answer):
    upload_id: str
    post: PresignedPost
    expires_at: str


class Upload(Answer):
    upload_id: str
    type: FileType
    period: str
    filename: str
    size: int
    status: UploadStatus
    created_by: str
    created_at: str
    updated_at: str
    laboratory_id: str | None = None
    #: The periods a file covering several holds.
    periods: list[str] | None = None


class UploadWithReport(Upload):
    #: The import's report (``{}`` while not processed): its sections are in API.md "Uploads".
    report: dict[str, Any]


class DatasetRemoval(Answer):
    status: Literal["removed", "absent"]
    type: str
    period: str
