"""The standard reports (DOMAIN.md §10.8): an establishment's, made by the closure workflow; the regional
and national syntheses; all remade on demand by the generation workflow. Kept in versions, listed and
downloaded by those who may read them."""

from chalicelib.services.standard_reports.service import ReportService
from chalicelib.services.standard_reports.synthesis import SynthesisService

__all__ = ["ReportService", "SynthesisService"]
