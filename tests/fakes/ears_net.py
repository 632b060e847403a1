"""The EARS-Net export's stores in memory."""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from typing import Any

from chalicelib.domain.tessy.plan import next_patient_counters
from chalicelib.services.ports import ExportRecord


class FakeExportStore:
    def __init__(self) -> None:
        self.exports: dict[str, ExportRecord] = {}
        self.settings: dict[str, Any] | None = None

    def put_export(self, record: ExportRecord) -> None:
        self.exports[record.export_id] = record

    def get_export(self, export_id: str) -> ExportRecord | None:
        return self.exports.get(export_id)

    def list_exports(self) -> list[ExportRecord]:
        return sorted(self.exports.values(), key=lambda r: (r.created_at, r.export_id), reverse=True)

    def export_settings(self) -> dict[str, Any] | None:
        return copy.deepcopy(self.settings)

    def put_export_settings(self, values: dict[str, Any]) -> None:
        self.settings = copy.deepcopy(values)


class FakePatientCounters:
    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def counters(self, laboratory: str, pseudonyms: Sequence[str]) -> dict[str, int]:
        wanted = [(laboratory, p) for p in dict.fromkeys(pseudonyms)]
        with self._lock:
            self.numbers.update(next_patient_counters(self.numbers, wanted))
            return {p: self.numbers[(laboratory, p)] for _, p in wanted}
