"""Removing a period's data on purpose (DOMAIN.md §10.2, API.md "Settings and data").

A file never removes data by being empty; the référent removes the current data of one
file type and period explicitly, with a reason, audited. The pointer goes in one
transaction that checks the period is open, then the lake files it named, and for the
structure and the beds, the establishment's own stores.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, PeriodClosed
from chalicelib.domain.imports import FileType
from chalicelib.domain.periods import Period
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import LakeStore, UnitStore, UploadStore
from chalicelib.services.year_dedup import YearDeduplication


@dataclass(kw_only=True)
class DatasetService:
    uploads: UploadStore
    units: UnitStore
    lake: LakeStore
    guard: Guard
    ctx: Context
    year: YearDeduplication | None = None  # the whole-year decisions, recomputed when antibiograms go

    def remove(self, caller: Principal, finess: str, file_type: str, period: str, reason: str) -> bool:
        """True when data were removed, False when there were none (idempotent). Raises Conflict
        (a closed period, or an import that became current meanwhile)."""
        establishment = self.guard.establishment(caller, Action.REMOVE_DATA, finess)
        kind, when = _file_type(file_type), _period(period)
        current = self.uploads.current(establishment.finess, kind.value, str(when))
        if current is None:
            return False
        try:
            self.uploads.remove_current(current)
        except PeriodClosed as error:
            raise Conflict(
                f"La période {when} est clôturée : ses données ne peuvent pas être retirées (demandez une réouverture).",
                code="ERR_PERIOD_CLOSED",
            ) from error
        for key in current.lake_keys:
            self.lake.remove(key)
        if kind is FileType.STRUCTURE:
            self.units.replace_units(establishment.finess, [])
        elif kind is FileType.BEDS:
            self.units.replace_beds(establishment.finess, when.year, {})
        elif kind is FileType.RESISTANCE and self.year is not None:
            self.year.recompute_quietly(establishment.finess, when.year)
        self.ctx.audit(
            caller.email.value, "dataset.removed", f"establishment:{finess}/dataset:{kind.value}/{when}",
            {"upload_id": current.upload_id}, {"reason": reason},
        )  # fmt: skip
        return True


def _file_type(raw: str) -> FileType:
    try:
        return FileType(raw)
    except ValueError as error:
        raise NotFound(f"Type de données inconnu : « {raw} ».") from error


def _period(raw: str) -> Period:
    try:
        return Period.parse(raw)
    except InvalidInput as error:
        raise NotFound(f"Période inconnue : « {raw} ».") from error
