"""The establishment report: its content asked of the indicator service (the API's one source of
numbers), printed, kept in versions, e-mailed; listed and downloaded (API.md "Reports").

The content is asked as a system caller who is an observateur of the establishment: the same
visibility rule as any member (its drafts and closed data; its category's distributions only
when 5 other establishments make them).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from chalicelib.domain import letters
from chalicelib.domain.access import Status
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.periods import Period
from chalicelib.domain.reports.establishment import Subject, report
from chalicelib.domain.reports.model import Report
from chalicelib.domain.reports.questions import ALERTS, QUESTIONS
from chalicelib.domain.reports.shelves import Shelf, StoredReport
from chalicelib.services.annotated_reports import Ready
from chalicelib.services.closure import ClosureService
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.indicators import IndicatorService
from chalicelib.services.ports import AccessStore, Mailer, PeriodStatusStore, TenantStore
from chalicelib.services.ports.report_archive import ReportArchive
from chalicelib.services.ports.standard_report import ReportPrinter, YearAlerts
from chalicelib.services.standard_reports.asking import ask_alerts, ask_all

logger = logging.getLogger("consores.reports")
#: The system caller the report's content is asked as (never a person; never signs in).
SYSTEM_EMAIL = Email("rapports@consores.fr")
URL_SECONDS = 300


def reader_of(finess: Finess) -> Principal:
    """The report's reader: an observateur of the establishment, nothing else."""
    return Principal(SYSTEM_EMAIL, memberships={finess: Status.OBSERVATEUR})


class ReportService:
    def __init__(
        self,
        indicators: IndicatorService,
        closure: ClosureService,
        tenants: TenantStore,
        access: AccessStore,
        periods: PeriodStatusStore,
        archive: ReportArchive,
        printer: ReportPrinter,
        mailer: Mailer,
        guard: Guard,
        context: Context,
        alerts: YearAlerts,
        web_url: str = "",
    ) -> None:
        self._indicators = indicators
        self._closure = closure
        self._tenants = tenants
        self._access = access
        self._periods = periods
        self._archive = archive
        self._printer = printer
        self._mailer = mailer
        self._guard = guard
        self._ctx = context
        self._alerts = alerts
        self._web_url = web_url

    # Routes --------------------------------------------------------------------------------
    def list(self, caller: Principal, finess: str) -> list[dict[str, Any]]:
        """Every stored version, latest year and version first. Raises NotFound (rights)."""
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        code = establishment.finess.value
        return [
            {
                "year": r.year,
                "version": r.version,
                "generated_at": r.generated_at,
                "pages": r.pages,
                "url": f"/api/establishments/{code}/reports/{r.year}.pdf?version={r.version}",
            }
            for r in sorted(self._archive.versions(Shelf.establishment(code)), key=lambda r: (-r.year, -r.version))
        ]

    def download(self, caller: Principal, finess: str, document: str, version: str | None) -> Ready:
        """A presigned URL to the year's latest report (or ``version``). Raises NotFound (rights, no
        such report), InvalidInput (a malformed version)."""
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        year = year_of(document)
        wanted = version_of(version)
        return ready(self._archive, Shelf.establishment(establishment.finess.value), year, wanted, "cet établissement")

    # Making a report -----------------------------------------------------------------------
    def content(self, finess: Finess, year: int, version: int, generated_at: datetime) -> Report:
        """The report's document, from the indicator service's answers for the establishment and year."""
        establishment = self._tenants.get_establishment(finess)
        if establishment is None:
            raise NotFound("Établissement introuvable.")
        reader = reader_of(finess)
        periods = self._closure.periods(reader, finess.value, str(year))
        subject = Subject(
            finess.value,
            establishment.name,
            establishment.category,
            establishment.region.value,
            year,
            tuple((p["period"], p["status"]) for p in periods),
            generated_at,
            version,
        )
        scope = f"establishment:{finess.value}"
        answers = ask_all(self._indicators, reader, scope, year, QUESTIONS)
        return report(subject, {**answers, ALERTS: ask_alerts(self._alerts, reader, scope, year)})

    def generate(self, finess: Finess, year: int, claim: str, made_by: str = "manual") -> StoredReport:
        """Make, print and keep the next version of the year's report. Idempotent for one ``claim``
        (the year's closure): a version already made for it is returned, nothing printed again."""
        now = self._ctx.clock.now()
        stored = self._archive.make(Shelf.establishment(finess.value), year, claim, made_by, now,
                                    lambda version: self._printer.print(self.content(finess, year, version, now)))  # fmt: skip
        logger.info("report %s %s version %s: %s pages", finess, year, stored.version, stored.pages)
        return stored

    def year_closed(self, finess: Finess, year: int) -> bool:
        """Every period of the year closed: the year itself, or its four quarters."""
        return self._year_closure(finess, year) is not None

    def _year_closure(self, finess: Finess, year: int) -> str | None:
        """The year's closure, named by the moment its last period closed (None: a period is still open).

        Two closure workflows that both find the year closed (two quarters closed a few seconds apart)
        name the same closure, so they make one version; a reopening and re-closure names a new one."""
        closed = {s.period: s.changed_at for s in self._periods.states(finess, year) if s.status == "closed"}
        if str(year) in closed:
            return f"closed:{year}:{closed[str(year)]}"
        quarters = [str(q) for q in Period(year).quarters()]
        if all(q in closed for q in quarters):
            return f"closed:{'-'.join(quarters)}:{max(closed[q] for q in quarters)}"
        return None

    # The closure workflow's tasks --------------------------------------------------------------
    def task_report(self, payload: dict[str, Any]) -> dict[str, Any]:
        """After a period closed: when it completes its year, the year's report (a new version).
        Idempotent on retry: the version is claimed by the closure (``payload["closure"]``)."""
        finess, year = Finess(payload["finess"]), Period.parse(payload["period"]).year
        closure = self._year_closure(finess, year)
        if closure is None:
            return {**payload, "report": None}
        execution = payload.get("closure") or f"{payload['finess']}-{payload['period']}"
        stored = self.generate(finess, year, closure, made_by=execution)
        if stored.made_by != execution:  # another closure workflow of the same moment made it, and mails it
            return {**payload, "report": None}
        return {**payload, "report": {"year": stored.year, "version": stored.version, "pages": stored.pages}}

    def task_report_mail(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The members told that the report is ready, with a link to the web client's periods page."""
        made = payload.get("report")
        if not made:
            return payload
        finess = Finess(payload["finess"])
        recipients = self._members(finess)
        if recipients:
            link = f"{self._web_url}/#/etablissements/{finess.value}/periodes?annee={made['year']}"
            self._mailer.send(letters.report_ready(recipients, self._name(finess), made["year"], made["version"], link))
        return payload

    def task_report_failed(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The report failed after its retries: logged, the members told in French; the closure stands."""
        finess, year = Finess(payload["finess"]), Period.parse(payload["period"]).year
        error = payload.get("error") or {}
        logger.error("report %s %s failed: %s %s", finess, year, error.get("Error"), str(error.get("Cause", ""))[:500])
        recipients = self._members(finess)
        if recipients:
            self._mailer.send(letters.report_failed(recipients, self._name(finess), year))
        return {**{k: v for k, v in payload.items() if k != "error"}, "report": None, "report_failed": True}

    def _members(self, finess: Finess) -> tuple[str, ...]:
        return tuple(m.email.value for m in self._access.list_members(finess))

    def _name(self, finess: Finess) -> str:
        establishment = self._tenants.get_establishment(finess)
        return establishment.name if establishment else finess.value


def ready(archive: ReportArchive, shelf: Shelf, year: int, version: int | None, whose: str) -> Ready:
    """A presigned URL to the shelf's report of ``year`` (latest, or ``version``). Raises NotFound."""
    found = archive.find(shelf, year, version)
    if found is None:
        raise NotFound(f"Aucun rapport {year}" + (f" en version {version}" if version else "") + f" pour {whose}.")
    return Ready(archive.url(shelf, found, URL_SECONDS), shelf.filename(found), URL_SECONDS)


def year_of(document: str) -> int:
    """``2025.pdf`` -> 2025; anything else is not a report (404)."""
    stem = document.removesuffix(".pdf")
    if not document.endswith(".pdf") or not (stem.isdigit() and len(stem) == 4):
        raise NotFound("Rapport introuvable : demandez /reports/<année>.pdf.")
    return int(stem)


def version_of(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput("Version invalide : un entier à partir de 1 (version=2).", details=[{"field": "version"}])
    return int(raw)
