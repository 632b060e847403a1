"""Answers of the standard reports and syntheses: their versions (handlers/reports.py, syntheses.py)."""

from __future__ import annotations

from chalicelib.handlers.responses.base import Answer


class ReportVersion(Answer):
    year: int
    version: int
    generated_at: str
    pages: int
    #: The route of its PDF (this version).
    url: str
