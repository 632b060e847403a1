"""Closing a period, and reopening it (DOMAIN.md §8).

The référent or a contributeur closes a period when no blocking control
remains: the API answers 409 with the blocking controls, or starts the closure
workflow (controls again -> closed -> closed partitions published -> members
told). While closing, and once closed, no import may change the period: the
upload pipeline's last write is a transaction that checks it.
Closed partitions are copies of the current Parquet files under ``closed/``,
the only data regional, national and open aggregates read; reopening (the
national team's, with a reason) removes them until the period closes again.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain import letters
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.controls import Control
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.services.context import Context
from chalicelib.services.controls import ControlService, required_year
from chalicelib.services.guard import Guard
from chalicelib.services.ports import (
    AccessStore,
    CurrentDataset,
    LakeStore,
    Mailer,
    PeriodStatusStore,
    SettingsStore,
    TenantStore,
    UploadStore,
    Workflows,
)
from chalicelib.services.year_dedup import YEAR_FILE_TYPE

OPEN = "open"


class ClosureService:
    def __init__(
        self,
        *,
        periods: PeriodStatusStore,
        uploads: UploadStore,
        settings: SettingsStore,
        controls: ControlService,
        workflows: Workflows,
        tenants: TenantStore,
        access: AccessStore,
        lake: LakeStore,
        mailer: Mailer,
        guard: Guard,
        context: Context,
    ) -> None:
        self._periods = periods
        self._uploads = uploads
        self._settings = settings
        self._controls = controls
        self._workflows = workflows
        self._tenants = tenants
        self._access = access
        self._lake = lake
        self._mailer = mailer
        self._guard = guard
        self._ctx = context

    def periods(self, caller: Principal, finess: str, year: str | None) -> list[dict[str, Any]]:
        """Each period of the year with the datasets it holds and its status."""
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        when = Period.parse(required_year(year))
        chosen = (self._settings.periodicities(establishment.finess, when.year) or {}).get("consumption_periodicity")
        expected = [when] if chosen == Periodicity.YEAR.value else list(Period(when.year).quarters())
        status = {s.period: s.status for s in self._periods.states(establishment.finess, when.year)}
        datasets: dict[str, list[str]] = {}
        for current in self._uploads.current_for_year(establishment.finess, when.year):
            if current.file_type != YEAR_FILE_TYPE:  # derived from the antibiograms, never sent
                datasets.setdefault(current.period, []).append(current.file_type)
        periods = sorted({str(p) for p in expected} | set(datasets), key=lambda p: (len(p), p))
        year_status = status.get(str(when.year))
        return [
            {
                "period": p,
                "datasets": sorted(datasets.get(p, [])),
                "status": year_status if year_status == "closed" else status.get(p, OPEN),
            }
            for p in periods
        ]

    def close(self, caller: Principal, finess: str, period: str) -> dict[str, Any]:
        """Raises Conflict (409) with the blocking controls, or when already closing/closed."""
        establishment = self._guard.establishment(caller, Action.CLOSE_PERIOD, finess)
        when = Period.parse(period)
        blocking = self._blocking(establishment.finess, when)
        if blocking:
            raise Conflict(
                f"La période {when} ne peut pas être clôturée : {_blocking_count(len(blocking))} à corriger.",
                details=[c.as_dict() for c in blocking],
                code="ERR_BLOCKING_CONTROLS",
            )
        now = self._ctx.now_iso()
        self._periods.start_closing(establishment.finess, str(when), now, caller.email.value)
        self._ctx.audit(
            caller.email.value,
            "period.close_requested",
            f"establishment:{finess}/period:{when}",
            {"status": OPEN},
            {"status": "closing"},
        )
        name = f"{establishment.finess}-{when}-{self._ctx.ids.new_id()}"
        payload = {"finess": establishment.finess.value, "period": str(when), "by": caller.email.value, "closure": name}
        self._workflows.start_closure(name, payload)
        return {"period": str(when), "status": "closing"}

    def reopen(self, caller: Principal, finess: str, period: str, reason: str) -> dict[str, Any]:
        establishment = self._guard.establishment(caller, Action.REOPEN_PERIOD, finess)
        if not reason.strip():
            raise InvalidInput("Indiquez la raison de la réouverture.", details=[{"field": "reason"}])
        when = Period.parse(period)
        try:
            self._periods.reopen(establishment.finess, str(when), self._ctx.now_iso(), caller.email.value, reason.strip())
        except Conflict:
            if not self._reopened_for(establishment.finess, when, reason.strip()):
                raise
            # The same reopening asked again after it stopped half-way (a ticket's acceptance retried): finish it.
        for current in self._datasets_of(establishment.finess, when):
            for key in current.lake_keys:
                self._lake.remove_closed(key)  # out of the aggregates until closed again
        self._ctx.audit(
            caller.email.value, "period.reopen", f"establishment:{finess}/period:{when}", {"status": "closed"},
            {"status": OPEN, "reason": reason.strip()},
        )  # fmt: skip
        return {"period": str(when), "status": OPEN}

    def _reopened_for(self, finess: Finess, when: Period, reason: str) -> bool:
        """Whether the period is open by a reopening of exactly this reason."""
        state = next((s for s in self._periods.states(finess, when.year) if s.period == str(when)), None)
        return state is not None and state.status == OPEN and state.reason == reason

    # The closure workflow's tasks -------------------------------------------
    def task_controls(self, payload: dict[str, Any]) -> dict[str, Any]:
        blocking = self._blocking(Finess(payload["finess"]), Period.parse(payload["period"]))
        return {**payload, "blocking": len(blocking)}

    def task_close(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Publish the closed copies, then mark the period closed.

        No Glue registration follows: the ``closed_*`` tables project their
        partitions from the layout (``infra/cloud/lake_catalogue.py``), so a copy
        is queryable by Athena as soon as it exists, and gone once deleted.
        """
        finess, when = Finess(payload["finess"]), Period.parse(payload["period"])
        published = 0
        for current in self._datasets_of(finess, when):
            for key in current.lake_keys:
                self._lake.copy_closed(key)
                published += 1
        yearly = self._uploads.current(finess, YEAR_FILE_TYPE, str(when.year))
        for key in yearly.lake_keys if yearly else ():
            self._lake.copy_closed_year(key)
            published += 1
        self._periods.finish_closing(finess, str(when), self._ctx.now_iso())
        self._ctx.audit(payload["by"], "period.closed", f"establishment:{finess}/period:{when}", {"status": "closing"},
                        {"status": "closed", "partitions": published})  # fmt: skip
        return {**payload, "published": published}

    def task_notify(self, payload: dict[str, Any]) -> dict[str, Any]:
        finess = Finess(payload["finess"])
        establishment = self._tenants.get_establishment(finess)
        name = establishment.name if establishment else finess.value
        recipients = tuple(m.email.value for m in self._access.list_members(finess))
        if recipients:
            self._mailer.send(letters.period_closed(recipients, name, payload["period"]))
        return {**payload, "notified": len(recipients)}

    def task_abort(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The period open again. A closure that failed after publishing some closed copies (its retries
        spent) takes them back first: an open period's data are drafts, in no closed figure. Never the
        copies of a period that is closed: this one if its closure got as far as marking it closed (it
        stays closed), or a quarter closed on its own within an aborted year."""
        finess, when = Finess(payload["finess"]), Period.parse(payload["period"])
        closed = {s.period for s in self._periods.states(finess, when.year) if s.status == "closed"}
        if str(when) not in closed:
            for current in self._datasets_of(finess, when):
                if current.period not in closed:
                    for key in current.lake_keys:
                        self._lake.remove_closed(key)
        self._periods.abort_closing(finess, payload["period"], self._ctx.now_iso())
        self._ctx.audit(payload.get("by", "system"), "period.close_aborted", f"establishment:{finess}/period:{payload['period']}",
                        {"status": "closing"}, {"status": OPEN})  # fmt: skip
        return {**payload, "status": OPEN}

    def _blocking(self, finess: Finess, when: Period) -> list[Control]:
        controls = self._controls.run(finess, when.year)
        wanted = {str(q) for q in when.quarters()} | {str(when)}
        return [c for c in controls if c.blocking and (c.period is None or c.period in wanted)]

    def _datasets_of(self, finess: Finess, when: Period) -> list[CurrentDataset]:
        covered = {str(q) for q in when.quarters()} | {str(when)} if when.quarter is None else {str(when)}
        found = self._uploads.current_for_year(finess, when.year)
        return [c for c in found if c.period in covered and c.file_type != YEAR_FILE_TYPE]


def _blocking_count(count: int) -> str:
    return f"{count} contrôle bloquant" if count == 1 else f"{count} contrôles bloquants"
