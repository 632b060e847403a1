"""The standard report of an establishment and year (DOMAIN.md §10.8): made by the closure workflow,
kept in versions, listed and downloaded by those who may analyse the establishment."""

from chalicelib.services.standard_reports.archive import ReportArchive, StoredReport
from chalicelib.services.standard_reports.service import ReportService

__all__ = ["ReportArchive", "ReportService", "StoredReport"]
