"""In-memory YearRecords over the fake stores (contract: tests/contract/test_year_records_contract.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from chalicelib.domain.codes import Finess
from chalicelib.domain.completeness import WAITING_STATUSES, YearFacts
from chalicelib.domain.periods import Period
from tests.fakes.stores import FakePeriodStatusStore, FakeSettingsStore, FakeUploadStore


class FakeYearRecords:
    def __init__(self, uploads: FakeUploadStore, periods: FakePeriodStatusStore, settings: FakeSettingsStore) -> None:
        self._uploads, self._periods, self._settings = uploads, periods, settings

    def of_year(self, year: int, establishments: Collection[Finess] | None = None) -> dict[str, YearFacts]:
        wanted = None if establishments is None else {f.value for f in establishments}
        imported: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
        held: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
        closed: defaultdict[str, set[str]] = defaultdict(set)
        for (finess, kind, period), _ in list(self._uploads.datasets.items()):
            if Period.parse(period).year == year:
                imported[finess.value].add((kind, period))
        for upload in list(self._uploads.uploads.values()):
            if upload.period.year == year and upload.status in WAITING_STATUSES:
                held[upload.finess.value].add((upload.file_type.value, str(upload.period)))
        for (finess, period), state in list(self._periods.status.items()):
            if Period.parse(period).year == year and state.status == "closed":
                closed[finess.value].add(period)
        periodicities = {f.value: dict(v) for (f, y), v in list(self._settings.values.items()) if y == year}
        everyone = {f for f in set(imported) | set(held) | set(closed) | set(periodicities) if wanted is None or f in wanted}
        return {
            f: YearFacts(year, periodicities.get(f, {}), frozenset(imported[f]), frozenset(held[f]), frozenset(closed[f]))
            for f in everyone
        }
