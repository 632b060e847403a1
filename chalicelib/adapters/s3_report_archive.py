"""ReportArchive over the object store. Where the versions of the standard reports are kept: the
exports bucket, which this archive owns
(no service receives its name; a download is a presigned URL the archive gives). One key layout per
shelf: ``reports/establishments/{finess}/{year}/v{n}.pdf``, ``reports/regions/{code}/{year}/v{n}.pdf``,
``reports/national/{year}/v{n}.pdf``, each beside ``v{n}.json`` (its facts). The JSON is written after
the PDF: a version exists once its JSON does. A version is never overwritten or deleted (a re-closure
or a new generation makes the next one)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import datetime

from chalicelib.domain.reports.shelves import Shelf, StoredReport
from chalicelib.services.ports import ObjectStore
from chalicelib.services.ports.standard_report import PrintedReport

PREFIX = "reports"
PDF = "application/pdf"


_FIELDS = {f.name for f in fields(StoredReport)}


class S3ReportArchive:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def versions(self, shelf: Shelf, year: int | None = None) -> list[StoredReport]:
        """The shelf's stored reports (of ``year`` if given), oldest first."""
        prefix = f"{PREFIX}/{shelf.folder}/" + (f"{year}/" if year is not None else "")
        found = []
        for key in self._objects.list_keys(self._bucket, prefix):
            if key.endswith(".json"):
                facts = json.loads(self._objects.get(self._bucket, key))
                found.append(StoredReport(**{k: v for k, v in facts.items() if k in _FIELDS}))  # older ones name their FINESS
        return sorted(found, key=lambda r: (r.year, r.version))

    def find(self, shelf: Shelf, year: int, version: int | None = None) -> StoredReport | None:
        """A version of the year's report, the latest when ``version`` is None."""
        stored = self.versions(shelf, year)
        if version is None:
            return stored[-1] if stored else None
        return next((r for r in stored if r.version == version), None)

    def claimed(self, shelf: Shelf, year: int, claim: str) -> StoredReport | None:
        return next((r for r in self.versions(shelf, year) if r.claim == claim), None)

    def next_version(self, shelf: Shelf, year: int) -> int:
        latest = self.find(shelf, year)
        return latest.version + 1 if latest else 1

    def store(self, shelf: Shelf, report: StoredReport, pdf: bytes) -> StoredReport:
        """Keep ``pdf`` as ``report``'s version. Idempotent for one claim: a version already made by
        the same claim is returned as it is, and nothing is written."""
        existing = self.claimed(shelf, report.year, report.claim)
        if existing is not None:
            return existing
        self._objects.put(self._bucket, self._key(shelf, report, "pdf"), pdf, PDF)
        facts = json.dumps(asdict(report)).encode()
        self._objects.put(self._bucket, self._key(shelf, report, "json"), facts, "application/json")
        return self.claimed(shelf, report.year, report.claim) or report  # two makers at once: the last written

    def make(
        self, shelf: Shelf, year: int, claim: str, made_by: str, now: datetime, printed: Callable[[int], PrintedReport]
    ) -> StoredReport:
        """The version ``claim`` made: the one already kept, else the next version, ``printed(version)``, kept now."""
        existing = self.claimed(shelf, year, claim)
        if existing is not None:
            return existing
        version = self.next_version(shelf, year)
        document = printed(version)
        made = StoredReport(year, version, now.isoformat(timespec="seconds"), document.pages, claim, made_by)
        return self.store(shelf, made, document.content)

    def url(self, shelf: Shelf, report: StoredReport, seconds: int) -> str:
        """A presigned GET of the version's PDF, downloaded under its file name."""
        return self._objects.presigned_get(self._bucket, self._key(shelf, report, "pdf"), shelf.filename(report), seconds)

    def pdf(self, shelf: Shelf, report: StoredReport) -> bytes:
        return self._objects.get(self._bucket, self._key(shelf, report, "pdf"))

    @staticmethod
    def _key(shelf: Shelf, report: StoredReport, extension: str) -> str:
        return f"{PREFIX}/{shelf.folder}/{report.year}/v{report.version}.{extension}"
