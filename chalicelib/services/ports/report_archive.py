"""Where the standard reports' versions and the generation requests are kept (their bucket and keys
the adapter's own: ``adapters/s3_report_archive.py``, ``adapters/s3_generation_log.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain.reports.shelves import Shelf, StoredReport
from chalicelib.services.ports.standard_report import PrintedReport


class ReportArchive(Protocol):
    def versions(self, shelf: Shelf, year: int | None = None) -> list[StoredReport]:
        """The shelf's stored reports (of ``year`` if given), oldest first."""
        ...

    def find(self, shelf: Shelf, year: int, version: int | None = None) -> StoredReport | None:
        """A version of the year's report, the latest when ``version`` is None."""
        ...

    def claimed(self, shelf: Shelf, year: int, claim: str) -> StoredReport | None: ...

    def make(
        self, shelf: Shelf, year: int, claim: str, made_by: str, now: datetime, printed: Callable[[int], PrintedReport]
    ) -> StoredReport:
        """The version ``claim`` made: the one already kept, else the next version, ``printed(version)``, kept now.
        Two makers at once never take the same version: one of them takes the next."""
        ...

    def url(self, shelf: Shelf, report: StoredReport, seconds: int) -> str:
        """A presigned GET of the version's PDF, downloaded under its file name."""
        ...

    def pdf(self, shelf: Shelf, report: StoredReport) -> bytes: ...


class GenerationLog(Protocol):
    def put(self, job: dict[str, Any]) -> None: ...

    def get(self, job_id: str) -> dict[str, Any] | None: ...

    def put_item(self, job_id: str, result: dict[str, Any]) -> None:
        """One item's result (``result["scope"]`` names it); written again on a retry, the same."""
        ...

    def items(self, job_id: str) -> list[dict[str, Any]]: ...
