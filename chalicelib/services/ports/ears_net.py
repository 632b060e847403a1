"""Ports of the EARS-Net export: exports, patient counters, TESSy files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.tessy.records import AmrCoverRecord, AmrTestRecord


@dataclass(frozen=True)
class ExportRecord:
    """One EARS-Net export: who asked, when, its outcome; ``details_json`` holds counts, validation and file keys."""

    export_id: str
    year: int
    status: str  # published | rejected
    created_at: str
    created_by: str
    trigger: str  # api | schedule
    details_json: str = "{}"


class ExportStore(Protocol):
    """The EARS-Net exports and the national team's export settings."""

    def put_export(self, record: ExportRecord) -> None:
        """Create or replace an export (by ``export_id``)."""
        ...

    def get_export(self, export_id: str) -> ExportRecord | None: ...

    def list_exports(self) -> list[ExportRecord]:
        """Every export, newest first (``created_at``, then ``export_id``)."""
        ...

    def export_settings(self) -> dict[str, Any] | None:
        """The settings document, or None if never set."""
        ...

    def put_export_settings(self, values: dict[str, Any]) -> None: ...


class PatientCounters(Protocol):
    """TESSy's PatientCounter: one stable integer per laboratory and patient pseudonym."""

    def counters(self, laboratory: str, pseudonyms: Sequence[str]) -> dict[str, int]:
        """The laboratory's counter of each pseudonym; the new ones get the laboratory's next
        integers, in the order given. A counter never changes and is never given twice,
        even when two exports number patients at the same time."""
        ...


class TessyFiles(Protocol):
    """TESSy records as the CSV files ECDC's upload takes (``adapters/tessy_csv.py``)."""

    def write(self, records: Sequence[AmrTestRecord | AmrCoverRecord], record_type: str | None = None) -> bytes: ...

    def read_amrtest(self, data: bytes) -> list[AmrTestRecord]: ...


class ExportFiles(Protocol):
    """The files each export publishes and the year's ledger; which bucket holds them and their keys are the store's own."""

    def put(self, year: int, export_id: str, name: str, body: bytes, content_type: str) -> str:
        """Write one file of an export (``amrtest.csv``, ``amrcover.csv``, ``validation.json``); its key, which the
        export's record keeps to serve it."""
        ...

    def ledger(self, year: int) -> bytes | None:
        """The year's ledger (the last version sent of each RecordId, AMRTEST CSV); None before a first publication."""
        ...

    def put_ledger(self, year: int, body: bytes) -> None:
        """Replace the year's ledger."""
        ...

    def url(self, key: str, filename: str, expires_in: int) -> str:
        """A URL that downloads the file an export's record named, as ``filename``, for ``expires_in`` seconds."""
        ...
