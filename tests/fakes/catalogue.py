"""In-memory fakes of the catalogue ports; the contract suite runs them beside the real adapters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from chalicelib.domain.drugs import CatalogueEntry, Ucd
from chalicelib.services.ports.catalogue import CatalogueRecord, CatalogueUnavailable, SyncState


class FakeDrugCatalogue:
    def __init__(self) -> None:
        self.records: dict[Ucd, CatalogueRecord] = {}
        self.state = SyncState()
        self.fail_puts = False

    def get(self, ucd: Ucd) -> CatalogueEntry | None:
        found = self.records.get(ucd)
        return found.entry if found else None

    def record(self, ucd: Ucd) -> CatalogueRecord | None:
        return self.records.get(ucd)

    def get_many(self, ucds: Iterable[Ucd]) -> dict[Ucd, CatalogueEntry]:
        return {ucd: self.records[ucd].entry for ucd in ucds if ucd in self.records}

    def put_many(self, entries: Sequence[CatalogueEntry], source: str, resolved_at: datetime) -> int:
        if self.fail_puts:
            raise RuntimeError("store unavailable")
        for entry in entries:
            self.records[entry.ucd] = CatalogueRecord(entry, source, resolved_at)
        return len({entry.ucd for entry in entries})

    def count(self) -> int:
        return len(self.records)

    def sync_state(self) -> SyncState:
        return self.state

    def save_sync_state(self, state: SyncState) -> None:
        self.state = state


class FakeCatalogueSource:
    """The commercial catalogue: products with the time they last changed.

    ``fail_with`` makes the next fetches raise; ``calls`` records each ``since``.
    """

    def __init__(self) -> None:
        self.products: list[tuple[datetime, CatalogueEntry]] = []
        self.calls: list[datetime | None] = []
        self.fail_with: CatalogueUnavailable | None = None

    def publish(self, changed_at: datetime, *entries: CatalogueEntry) -> None:
        self.products.extend((changed_at, entry) for entry in entries)

    def fetch_since(self, since: datetime | None) -> list[CatalogueEntry]:
        self.calls.append(since)
        if self.fail_with is not None:
            raise self.fail_with
        latest: dict[Ucd, CatalogueEntry] = {}
        for changed_at, entry in sorted(self.products, key=lambda product: product[0]):
            if since is None or changed_at >= since:
                latest[entry.ucd] = entry
        return list(latest.values())
