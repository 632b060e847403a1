"""ReportStore on the object store: one JSON object per upload in the lake bucket (``reports/<finess>/<upload>.json``)."""

from __future__ import annotations

import json

from chalicelib.domain.imports import Report
from chalicelib.domain.uploads import Upload, report_key
from chalicelib.services.ports import ObjectStore


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
