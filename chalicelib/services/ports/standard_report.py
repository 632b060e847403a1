"""The standard report's ports (DOMAIN.md §10.8): printing its document as PDF, and reading the year's
alerts it presents."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.authorization import Principal
from chalicelib.domain.reports.model import Report


@dataclass(frozen=True)
class PrintedReport:
    content: bytes  # the PDF
    pages: int


class ReportPrinter(Protocol):
    def print(self, report: Report) -> PrintedReport:
        """The report as an A4 PDF: table of contents, page numbers, embedded fonts, title,
        author, subject and language set, text selectable. Pure: same report, same pages."""
        ...


class YearAlerts(Protocol):
    """The alerts on rare phenotypes (DOMAIN.md §10.10) a report presents: ``AlertService.year_summary``."""

    def year_summary(
        self, caller: Principal, scope: str, year: int, closed: Mapping[str, Collection[str]] | None = None
    ) -> dict[str, Any]:
        """The year's alerts of ``scope`` that ``caller`` may follow: ``{total, acknowledged, to_handle,
        by_kind: [{kind, label, count}], by_carbapenemase: [{type, count}], rule, rows: [{specimen_date, kind,
        phenotype, species, species_name, specimen, finess, acknowledged}]}`` (no comment, no id); with
        ``closed`` (finess -> closed periods), only the alerts of closed periods. Raises DomainError (a
        scope the caller may not follow)."""
        ...
