"""Answers of the standard reports and syntheses: their versions (handlers/reports.py, syntheses.py), and
the requests to make them again (handlers/report_generation.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.handlers.responses.base import Answer


class ReportVersion(Answer):
    year: int
    version: int
    generated_at: str
    pages: int
    #: The route of its PDF (this version).
    url: str


class GenerationItems(Answer):
    #: null until the workflow has planned them.
    planned: int | None
    made: int
    failed: int


class GenerationFailure(Answer):
    scope: str
    message: str


class Generation(Answer):
    """A request to make a year's reports again (its workflow records the rest as it runs)."""

    job_id: str
    year: int
    #: null: every report of the year.
    scope: str | None
    status: Literal["running", "done", "failed"]
    created_at: str
    created_by: str
    planned: int | None = None
    made: int | None = None
    failed: int | None = None
    finished_at: str | None = None
    #: Why the request itself failed, in French.
    failure: str | None = None
    items: GenerationItems
    failures: list[GenerationFailure]
