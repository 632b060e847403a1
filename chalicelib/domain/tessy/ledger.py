"""What was sent to TESSy, and what a new export of the same year must send.

The ledger keeps, per year, the last version of every AMRTEST record sent (by
RecordId, with its Status). A new export is compared with it:

* a record whose RecordId was never sent, or was withdrawn since, is **new**;
* a record sent before is **updated** when its content changed, **unchanged**
  otherwise — both go out again with the same RecordId (TESSy replaces a record
  by its RecordId, so sending an unchanged one is harmless; ``only_changes``
  leaves them out);
* a RecordId sent before (and not withdrawn) that the new export lacks is
  withdrawn: the last version sent goes out again with Status ``DELETE``, whole,
  so that it passes the same rules it passed then.

The metadata's ``Status`` code list has exactly two values: ``NEW/UPDATE`` (a new
record or an update; TESSy's default) and ``DELETE``. New and updated records
therefore both carry ``NEW/UPDATE``; the diff keeps the distinction for the
national team's report.

AMRCOVER has no RecordId nor Status in the metadata: the year's coverage record
is sent whole with every export and is not in the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from chalicelib.domain.tessy.records import STATUS_DELETE, STATUS_NEW_UPDATE, AmrTestRecord

__all__ = ["ExportDiff", "Ledger", "diff"]


@dataclass(frozen=True)
class Ledger:
    """The last version sent of every RecordId of one year (withdrawn ones with Status DELETE)."""

    sent: Mapping[str, AmrTestRecord] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, records: Iterable[AmrTestRecord]) -> Ledger:
        """A ledger from the records sent, oldest first (a later version of a RecordId replaces an earlier one)."""
        return cls(MappingProxyType({record.record_id: record for record in records}))

    @property
    def live(self) -> Mapping[str, AmrTestRecord]:
        """The records TESSy holds now: sent and not withdrawn."""
        return {record_id: record for record_id, record in self.sent.items() if record.status != STATUS_DELETE}

    def after(self, sent: Iterable[AmrTestRecord]) -> Ledger:
        """The ledger once an export has been accepted by TESSy."""
        merged = dict(self.sent)
        merged.update((record.record_id, record) for record in sent)
        return Ledger(MappingProxyType(merged))


@dataclass(frozen=True)
class ExportDiff:
    """What to send: ``upserts`` (Status NEW/UPDATE) then ``deletes`` (Status DELETE); ids by kind for the report."""

    upserts: tuple[AmrTestRecord, ...]
    deletes: tuple[AmrTestRecord, ...]
    new: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]

    @property
    def records(self) -> tuple[AmrTestRecord, ...]:
        return self.upserts + self.deletes

    @property
    def deleted(self) -> tuple[str, ...]:
        return tuple(record.record_id for record in self.deletes)

    def summary(self) -> str:
        return (
            f"{len(self.new)} nouveau(x), {len(self.updated)} modifié(s), {len(self.unchanged)} inchangé(s), "
            f"{len(self.deletes)} retiré(s) (DELETE)."
        )


def diff(
    previous: Ledger | Iterable[AmrTestRecord], new_records: Sequence[AmrTestRecord], *, only_changes: bool = False
) -> ExportDiff:
    """Compare an export with what was sent (a ledger, or the records sent, oldest first).

    Raises:
        ValueError: a RecordId appears twice in ``new_records``.
    """
    ledger = previous if isinstance(previous, Ledger) else Ledger.of(previous)
    live = ledger.live
    seen: set[str] = set()
    upserts: list[AmrTestRecord] = []
    new: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for record in new_records:
        if record.record_id in seen:
            raise ValueError(f"RecordId en double dans l'export : {record.record_id}")
        seen.add(record.record_id)
        record = record.with_status(STATUS_NEW_UPDATE)
        before = live.get(record.record_id)
        if before is None:
            new.append(record.record_id)
        elif before.content() != record.content():
            updated.append(record.record_id)
        else:
            unchanged.append(record.record_id)
            if only_changes:
                continue
        upserts.append(record)
    deletes = tuple(record.with_status(STATUS_DELETE) for record_id, record in live.items() if record_id not in seen)
    return ExportDiff(tuple(upserts), deletes, tuple(new), tuple(updated), tuple(unchanged))
