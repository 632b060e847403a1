"""Answers of the EARS-Net export (handlers/exports.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.domain.tessy.variables import Severity
from chalicelib.handlers.responses.base import Answer, Empty


class EarsNetSettings(Answer):
    #: MM-DD.
    export_date: str
    hospital_representativeness: str
    isolate_representativeness: str
    geographic_representativeness: str
    #: Blood culture sets, by year.
    culture_sets: dict[str, int]


class EarsNetCounts(Answer):
    """What the export counted (``{}`` while it runs, or when it failed before counting)."""

    amrtest_records: int
    isolates: int
    new: int
    updated: int
    unchanged: int
    deleted: int
    amrcover_records: int
    establishments: int
    laboratories: int
    closed_isolates: int


class EarsNetValidation(Answer):
    errors: int
    warnings: int
    ignored: int


class EarsNetSummary(Answer):
    """Each file's validation and the ledger's changes, in French (``{}`` while the export runs)."""

    amrtest: str
    amrcover: str
    ledger: str


class EarsNetFinding(Answer):
    #: The index of the record in its file.
    record: int
    record_type: str
    field: str
    value: str
    rule: str
    severity: Severity
    message: str
    file: str
    #: The AMRTEST RecordId (never patient data); null for AMRCOVER.
    record_id: str | None


class EarsNetFiles(Answer):
    """Each file's presigned URL (null: not made, or in the list of exports)."""

    amrtest: str | None
    amrcover: str | None
    report: str | None


class EarsNetExport(Answer):
    export_id: str
    year: int
    status: Literal["running", "published", "rejected", "failed"]
    created_at: str
    created_by: str
    trigger: str
    counts: EarsNetCounts | Empty
    validation: EarsNetValidation
    summary: EarsNetSummary | Empty
    #: The first findings (none in the list of exports).
    findings: list[EarsNetFinding]
    files: EarsNetFiles
    failure: str | None = None
