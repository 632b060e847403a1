"""ReportStore on the object store: one JSON object per upload in the lake bucket (``reports/<finess>/<upload>.json``),
beside it the rows kept for its annotated copy (``.rows.json``) and that copy (``.xlsx``)."""

from __future__ import annotations

import json

from chalicelib.domain.imports import Report
from chalicelib.domain.uploads import Upload, report_key
from chalicelib.services.ports import KeptRows, ObjectStore

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class S3ReportStore:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def get(self, upload: Upload) -> Report | None:
        key = report_key(upload, "json")
        if self._objects.head(self._bucket, key) is None:
            return None
        return Report.from_dict(json.loads(self._objects.get(self._bucket, key)))

    def put(self, upload: Upload, report: Report) -> None:
        content = json.dumps(report.as_dict(), ensure_ascii=False).encode()
        self._objects.put(self._bucket, report_key(upload, "json"), content, "application/json")

    def put_rows(self, upload: Upload, kept: KeptRows) -> None:
        content = {"header_row": kept.header_row, "rows": kept.rows, "row_numbers": kept.row_numbers}
        self._objects.put(
            self._bucket, report_key(upload, "rows.json"), json.dumps(content, ensure_ascii=False).encode(), "application/json"
        )

    def rows(self, upload: Upload) -> KeptRows | None:
        key = report_key(upload, "rows.json")
        if self._objects.head(self._bucket, key) is None:
            return None
        found = json.loads(self._objects.get(self._bucket, key))
        return KeptRows(found["header_row"], found["rows"], found["row_numbers"])

    def annotated(self, upload: Upload) -> str | None:
        key = report_key(upload, "xlsx")
        return key if self._objects.head(self._bucket, key) is not None else None

    def put_annotated(self, upload: Upload, body: bytes) -> str:
        key = report_key(upload, "xlsx")
        self._objects.put(self._bucket, key, body, XLSX)
        return key

    def annotated_url(self, upload: Upload, filename: str, expires_in: int) -> str:
        return self._objects.presigned_get(self._bucket, report_key(upload, "xlsx"), filename, expires_in)
