"""Remaking a year's standard reports and syntheses on demand (API.md "Reports"; the national team):
``start`` answers at once with the request (202) and starts the generation workflow
(``infra/statemachines/report_generation.asl.json``): ``task_plan`` lists the items — every establishment
whose year is closed, each region with establishments, the nation; or the one ``scope`` asked —, a Map
state runs ``task_make`` on each, in parallel (bounded), each retried and, when it still fails,
recorded by ``task_item_failed`` in French without failing the batch; ``task_finish`` records the
outcome. Idempotent on retry: every version an item makes is claimed by the request
(``generation:{job_id}``), so a retried item returns the version it made."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.indicators import Scope
from chalicelib.domain.reports import labels
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import Workflows
from chalicelib.services.ports.report_archive import GenerationLog
from chalicelib.services.standard_reports.service import ReportService
from chalicelib.services.standard_reports.synthesis import SynthesisService

logger = logging.getLogger("consores.reports")
RUNNING, DONE, FAILED = "running", "done", "failed"
#: Who requests a generation the platform starts itself.
PLATFORM = "plateforme"
#: How many failed items the request's answer lists (all are recorded).
SHOWN_FAILURES = 50


@dataclass(frozen=True)
class GenerationService:
    reports: ReportService
    syntheses: SynthesisService
    log: GenerationLog
    workflows: Workflows
    guard: Guard
    context: Context

    # The national team's API ------------------------------------------------------------------
    def start(self, caller: Principal, year: str, scope: str | None) -> dict[str, Any]:
        """Start remaking the year's reports (or ``scope``'s only). Raises Forbidden, InvalidInput (year,
        scope), NotFound (an unknown establishment or region)."""
        self.guard.require(caller, Action.GENERATE_REPORTS)
        when = _year(year)
        target = self._target(scope)
        job = {"job_id": self.context.ids.new_id(), "year": when, "scope": str(target) if target else None,
               "status": RUNNING, "created_at": self.context.now_iso(), "created_by": caller.email.value}  # fmt: skip
        self.log.put(job)
        self.context.audit(caller.email.value, "reports.generate", f"reports:{when}", None, {"scope": job["scope"]})
        payload = {"job_id": job["job_id"], "year": when, "scope": job["scope"]}
        self.workflows.start_report_generation(f"reports-{job['job_id']}", payload)
        return self._view(job)

    def start_by_platform(self, year: int, job_id: str) -> bool:
        """The platform's own request (the campaign's deadline passed): started once for ``job_id``, whoever
        runs the job again (False: already requested)."""
        if self.log.get(job_id) is not None:
            return False
        job = {"job_id": job_id, "year": year, "scope": None, "status": RUNNING, "created_at": self.context.now_iso(),
               "created_by": PLATFORM}  # fmt: skip
        self.log.put(job)
        self.context.audit(PLATFORM, "reports.generate", f"reports:{year}", None, {"scope": None, "job_id": job_id})
        self.workflows.start_report_generation(f"reports-{job_id}", {"job_id": job_id, "year": year, "scope": None})
        return True

    def get(self, caller: Principal, year: str, job_id: str) -> dict[str, Any]:
        """The request, its items' outcomes once they ran. Raises Forbidden, NotFound."""
        self.guard.require(caller, Action.GENERATE_REPORTS)
        job = self.log.get(job_id)
        if job is None or str(job["year"]) != year:
            raise NotFound("Demande de génération introuvable.")
        return self._view(job)

    def _target(self, scope: str | None) -> Scope | None:
        if scope is None or scope == "":
            return None
        target = Scope.parse(scope)
        if target.finess is not None:
            self.guard.existing(target.finess.value)
        elif target.region is not None and not self.syntheses.members(target):
            raise NotFound(f"Aucun établissement dans la région {target.region} : pas de synthèse à produire.")
        return target

    def _view(self, job: dict[str, Any]) -> dict[str, Any]:
        items = self.log.items(job["job_id"])
        failed = [i for i in items if i["status"] == FAILED]
        return {
            **job,
            "items": {"planned": job.get("planned"), "made": sum(1 for i in items if i["status"] == "made"),
                      "failed": len(failed)},
            "failures": [{"scope": i["scope"], "message": i["message"]} for i in failed[:SHOWN_FAILURES]],
        }  # fmt: skip

    # The workflow's tasks ---------------------------------------------------------------------
    def task_plan(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The items: the one scope asked, else every establishment whose year is closed, each region
        with establishments, and the nation."""
        year = int(payload["year"])
        if payload.get("scope"):
            scopes = [str(payload["scope"])]
        else:
            members = self.syntheses.members(Scope("national"))
            closed = [e for e in members if self.reports.year_closed(e.finess, year)]
            regions = sorted({e.region.value for e in members})
            scopes = [*(f"establishment:{e.finess.value}" for e in closed), *(f"region:{r}" for r in regions), "national"]
        job = self.log.get(payload["job_id"]) or {"job_id": payload["job_id"], "year": year}
        self.log.put({**job, "planned": len(scopes)})
        return {"job_id": payload["job_id"], "year": year, "items": [{"scope": s} for s in scopes]}

    def task_make(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One item: its report made (a version claimed by the request), its result recorded."""
        job_id, year, scope = payload["job_id"], int(payload["year"]), Scope.parse(payload["scope"])
        claim = f"generation:{job_id}"
        if scope.finess is not None:
            if not self.reports.year_closed(scope.finess, year):
                raise Conflict(f"L'année {year} n'est pas clôturée : pas de rapport à produire.", code="ERR_YEAR_OPEN")
            stored = self.reports.generate(Finess(scope.finess.value), year, claim, made_by=job_id)
        else:
            stored = self.syntheses.generate(scope, year, claim, made_by=job_id)
        result = {"scope": str(scope), "status": "made", "version": stored.version, "pages": stored.pages}
        self.log.put_item(job_id, result)
        return result

    def task_item_failed(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An item that still failed after its retries: recorded in French; the batch goes on."""
        error = payload.get("error") or {}
        cause = _message(error)
        logger.error("report generation %s: %s failed: %s %s", payload["job_id"], payload["scope"], error.get("Error"), cause)
        message = f"{_label(payload['scope'])} : le rapport n'a pas pu être produit ({cause})."
        result = {"scope": payload["scope"], "status": FAILED, "message": message}
        self.log.put_item(payload["job_id"], result)
        return result

    def task_finish(self, payload: dict[str, Any]) -> dict[str, Any]:
        job = self.log.get(payload["job_id"]) or {"job_id": payload["job_id"], "year": payload["year"]}
        items = self.log.items(payload["job_id"])
        made, failed = sum(1 for i in items if i["status"] == "made"), sum(1 for i in items if i["status"] == FAILED)
        done = {**job, "status": DONE, "finished_at": self.context.now_iso(), "made": made, "failed": failed}
        self.log.put(done)
        return {"job_id": payload["job_id"], "status": DONE, "made": done["made"], "failed": done["failed"]}

    def task_fail(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The batch itself failed (its plan, its map, or recording its outcome): recorded in French."""
        job = self.log.get(payload["job_id"]) or {"job_id": payload["job_id"], "year": payload["year"]}
        failure = f"La génération n'a pas pu être menée à bien ({_message(payload.get('error') or {})}) : relancez-la."
        self.log.put({**job, "status": FAILED, "failure": failure, "finished_at": self.context.now_iso()})
        return {"job_id": payload["job_id"], "status": FAILED}


def _year(raw: str) -> int:
    if not (raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100):
        raise InvalidInput("Année invalide : une année sur 4 chiffres (2025).", details=[{"field": "year"}])
    return int(raw)


def _message(error: dict[str, Any]) -> str:
    """A failed task's message, as Step Functions hands it (``Cause``: the Lambda's error as JSON)."""
    cause = str(error.get("Cause") or "")
    try:
        found = json.loads(cause).get("errorMessage") if cause.startswith("{") else cause
    except ValueError:
        found = cause
    return str(found or error.get("Error") or "erreur inconnue")[:300]


def _label(scope: str) -> str:
    parsed = Scope.parse(scope)
    if parsed.finess is not None:
        return f"Établissement {parsed.finess.value}"
    return f"Synthèse de la région {labels.region(parsed.region.value)}" if parsed.region else "Synthèse nationale"
