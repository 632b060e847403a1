"""Where the versions of the establishments' reports are kept: the exports bucket, one key layout,
``reports/establishments/{finess}/{year}/v{n}.pdf`` beside ``v{n}.json`` (its facts). The JSON is
written after the PDF: a version exists once its JSON does. A version is never overwritten or
deleted (a re-closure makes the next one)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from chalicelib.services.ports import ObjectStore

PREFIX = "reports/establishments"
PDF = "application/pdf"


@dataclass(frozen=True)
class StoredReport:
    finess: str
    year: int
    version: int
    generated_at: str  # ISO 8601, UTC
    pages: int
    #: What it reports: the year's closure (the moment its last period closed), or "manual". One version per claim.
    claim: str
    #: Which closure workflow execution made it: of two closures of the same moment, only its maker mails it.
    made_by: str = ""

    @property
    def filename(self) -> str:
        return f"rapport-{self.finess}-{self.year}-v{self.version}.pdf"


class ReportArchive:
    def __init__(self, objects: ObjectStore, bucket: str) -> None:
        self._objects = objects
        self._bucket = bucket

    def versions(self, finess: str, year: int | None = None) -> list[StoredReport]:
        """The establishment's stored reports (of ``year`` if given), oldest first."""
        prefix = f"{PREFIX}/{finess}/" + (f"{year}/" if year is not None else "")
        found = []
        for key in self._objects.list_keys(self._bucket, prefix):
            if key.endswith(".json"):
                found.append(StoredReport(**json.loads(self._objects.get(self._bucket, key))))
        return sorted(found, key=lambda r: (r.year, r.version))

    def find(self, finess: str, year: int, version: int | None = None) -> StoredReport | None:
        """A version of the year's report, the latest when ``version`` is None."""
        stored = self.versions(finess, year)
        if version is None:
            return stored[-1] if stored else None
        return next((r for r in stored if r.version == version), None)

    def claimed(self, finess: str, year: int, claim: str) -> StoredReport | None:
        return next((r for r in self.versions(finess, year) if r.claim == claim), None)

    def next_version(self, finess: str, year: int) -> int:
        latest = self.find(finess, year)
        return latest.version + 1 if latest else 1

    def store(self, report: StoredReport, pdf: bytes) -> StoredReport:
        """Keep ``pdf`` as ``report``'s version. Idempotent for one claim: a version already made by
        the same claim is returned as it is, and nothing is written."""
        existing = self.claimed(report.finess, report.year, report.claim)
        if existing is not None:
            return existing
        self._objects.put(self._bucket, self.pdf_key(report), pdf, PDF)
        self._objects.put(self._bucket, self._key(report, "json"), json.dumps(asdict(report)).encode(), "application/json")
        return self.claimed(report.finess, report.year, report.claim) or report  # two makers at once: the last written

    def pdf_key(self, report: StoredReport) -> str:
        return self._key(report, "pdf")

    @staticmethod
    def _key(report: StoredReport, extension: str) -> str:
        return f"{PREFIX}/{report.finess}/{report.year}/v{report.version}.{extension}"
