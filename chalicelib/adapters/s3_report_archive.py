"""ReportArchive over the object store. Where the versions of the standard reports are kept: the
exports bucket, which this archive owns
(no service receives its name; a download is a presigned URL the archive gives). One key layout per
shelf: ``reports/establishments/{finess}/{year}/v{n}.pdf``, ``reports/regions/{code}/{year}/v{n}.pdf``,
``reports/national/{year}/v{n}.pdf``, each beside ``v{n}.json`` (its facts). The JSON is written after
the PDF: a version exists once its JSON does. A version is never overwritten or deleted (a re-closure
or a new generation makes the next one).

Two makers of the same year's report at once (a closure's and a regeneration's) must not both take
version n and write over each other: a maker first reserves its number with ``v{n}.claim`` (its claim),
written only if absent (a conditional write, atomic in S3). The loser takes the next number; a maker of
the same claim (two closure workflows of one moment, or the same maker after a crash) finds the
reservation and goes on with it. The PDF and the JSON are written only if absent too: of two makers of
one claim the first to keep the JSON made the version (its ``made_by``: it mails it), and nothing kept is
ever written over."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import datetime

from chalicelib.domain.reports.shelves import Shelf, StoredReport
from chalicelib.services.ports import ObjectStore
from chalicelib.services.ports.standard_report import PrintedReport

PREFIX = "reports"
PDF = "application/pdf"
JSON = "application/json"
#: How many numbers a maker tries before giving up (each lost one was taken by another maker).
RESERVATIONS = 20

_FIELDS = {f.name for f in fields(StoredReport)}
_NUMBERED = re.compile(r"/v(\d+)\.(json|claim)$")


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

    def make(
        self, shelf: Shelf, year: int, claim: str, made_by: str, now: datetime, printed: Callable[[int], PrintedReport]
    ) -> StoredReport:
        """The version ``claim`` made: the one already kept, else a newly reserved number, ``printed(version)``,
        kept now. Of two makers of one claim, the version names the first that kept it (only it mails it)."""
        existing = self.claimed(shelf, year, claim)
        if existing is not None:
            return existing
        version = self._reserve(shelf, year, claim)
        document = printed(version)
        made = StoredReport(year, version, now.isoformat(timespec="seconds"), document.pages, claim, made_by)
        self._objects.put_new(self._bucket, self._key(shelf, made, "pdf"), document.content, PDF)
        if self._objects.put_new(self._bucket, self._key(shelf, made, "json"), json.dumps(asdict(made)).encode(), JSON):
            return made
        return self.claimed(shelf, year, claim) or made  # another maker of this claim kept it first

    def _reserve(self, shelf: Shelf, year: int, claim: str) -> int:
        """The number reserved for ``claim``: its reservation if one exists, else the next free number, taken by
        a conditional write."""
        folder = f"{PREFIX}/{shelf.folder}/{year}/"
        for _ in range(RESERVATIONS):
            numbered = [(int(m.group(1)), m.group(2), key) for key in self._objects.list_keys(self._bucket, folder)
                        if (m := _NUMBERED.search(key))]  # fmt: skip
            for number, kind, key in numbered:
                if kind == "claim" and json.loads(self._objects.get(self._bucket, key))["claim"] == claim:
                    return number
            number = max((n for n, _, _ in numbered), default=0) + 1
            if self._objects.put_new(self._bucket, f"{folder}v{number}.claim", json.dumps({"claim": claim}).encode(), JSON):
                return number
        raise RuntimeError(f"no version number could be reserved for {folder} after {RESERVATIONS} attempts")

    def url(self, shelf: Shelf, report: StoredReport, seconds: int) -> str:
        """A presigned GET of the version's PDF, downloaded under its file name."""
        return self._objects.presigned_get(self._bucket, self._key(shelf, report, "pdf"), shelf.filename(report), seconds)

    def pdf(self, shelf: Shelf, report: StoredReport) -> bytes:
        return self._objects.get(self._bucket, self._key(shelf, report, "pdf"))

    @staticmethod
    def _key(shelf: Shelf, report: StoredReport, extension: str) -> str:
        return f"{PREFIX}/{shelf.folder}/{report.year}/v{report.version}.{extension}"
