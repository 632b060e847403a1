"""GenerationLog over the object store. Where the generation requests are recorded
(``POST /api/admin/reports/{year}/generate``): the exports
bucket, which this log owns. ``reports/generations/{job_id}.json`` holds the request and, once the
batch ends, its outcome; ``reports/generations/{job_id}/items/{scope}.json`` each item's result, written
by the item itself (the Map state's items never travel back through the workflow's payload, which
Step Functions bounds at 256 KB: 1,700 results would not fit)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.services.ports import ObjectStore

PREFIX = "reports/generations"
JSON = "application/json"


class S3GenerationLog:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def put(self, job: dict[str, Any]) -> None:
        self._objects.put(self._bucket, f"{PREFIX}/{job['job_id']}.json", json.dumps(job).encode(), JSON)

    def get(self, job_id: str) -> dict[str, Any] | None:
        if not job_id.replace("-", "").isalnum():
            return None
        key = f"{PREFIX}/{job_id}.json"
        if self._objects.head(self._bucket, key) is None:
            return None
        found: dict[str, Any] = json.loads(self._objects.get(self._bucket, key))
        return found

    def put_item(self, job_id: str, result: dict[str, Any]) -> None:
        """One item's result (``result["scope"]`` names it); written again on a retry, the same."""
        key = f"{PREFIX}/{job_id}/items/{result['scope'].replace(':', '-')}.json"
        self._objects.put(self._bucket, key, json.dumps(result, ensure_ascii=False).encode(), JSON)

    def items(self, job_id: str) -> list[dict[str, Any]]:
        keys = self._objects.list_keys(self._bucket, f"{PREFIX}/{job_id}/items/")
        return [json.loads(self._objects.get(self._bucket, key)) for key in sorted(keys)]
