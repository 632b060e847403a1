"""The standard report's port: printing its document as PDF (DOMAIN.md §10.8)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

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
