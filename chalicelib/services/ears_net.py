"""The EARS-Net export (DOMAIN.md §9; API.md "ECDC export"): closed isolates -> TESSy files, validated first.

An export, on demand (the national team: ``export`` answers at once and the export's
own workflow runs ``task_run``) or yearly (``scheduled``, in the job's Lambda):

1. reads the year's **closed** data (``ears_net_sources``); none -> 409;
2. numbers the patients (``PatientCounters``: stable per laboratory and
   pseudonym, the pseudonym itself never leaves), plans AMRTEST and AMRCOVER;
3. compares AMRTEST with the year's ledger (what was published before): same
   RecordIds for updates, Status DELETE for the records that disappeared;
4. validates every record as TESSy would: an Error anywhere -> ``rejected``,
   nothing published, the ledger unchanged; Warnings pass; Ignore drops a record;
5. publishes ``amrtest.csv`` and ``amrcover.csv`` (``ExportFiles``: where they
   are kept is the store's own), records the ledger, and always writes the
   validation report (``validation.json``);
6. records the export (counts, validation, first findings) and e-mails the
   national team (profile national, and the configured addresses).

No pseudonym, patient identifier or date of birth exists in the records, the
report, the e-mail or the API's answers: records hold a counter, an age in
years, a sex, dates of specimen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import letters
from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.tessy.ledger import Ledger, diff
from chalicelib.domain.tessy.plan import AmrTestContext, ExportIsolate, plan_amrcover, plan_amrtest
from chalicelib.domain.tessy.records import STATUS_DELETE, AmrTestRecord
from chalicelib.domain.tessy.settings import ExportSettings, due_year
from chalicelib.domain.tessy.validate import Finding, ValidationReport, validate
from chalicelib.services.context import Context
from chalicelib.services.ears_net_sources import ClosedData
from chalicelib.services.guard import Guard
from chalicelib.services.ports import (
    AccessStore,
    ExportFiles,
    ExportRecord,
    ExportStore,
    Mailer,
    PatientCounters,
    TessyFiles,
    Workflows,
)

__all__ = ["EarsNetService"]

PUBLISHED, REJECTED, RUNNING, FAILED = "published", "rejected", "running", "failed"
CSV = "text/csv; charset=utf-8"
URL_SECONDS = 3600
SHOWN_FINDINGS = 50
FIRST_YEAR = 2000
#: A running export older than this no longer blocks a new one (its workflow's tasks and retries are long over).
STALE_AFTER = timedelta(hours=2)


class EarsNetService:
    def __init__(
        self,
        *,
        exports: ExportStore,
        counters: PatientCounters,
        files: TessyFiles,
        closed: ClosedData,
        access: AccessStore,
        export_files: ExportFiles,
        mailer: Mailer,
        workflows: Workflows,
        guard: Guard,
        context: Context,
        national_team: Sequence[str] = (),
    ) -> None:
        self._exports = exports
        self._counters = counters
        self._files = files
        self._closed = closed
        self._access = access
        self._export_files = export_files
        self._mailer = mailer
        self._workflows = workflows
        self._guard = guard
        self._ctx = context
        self._team = tuple(national_team)

    # The national team's API ------------------------------------------------------------------
    def settings(self, caller: Principal) -> dict[str, Any]:
        self._guard.require(caller, Action.EXPORT_EARS_NET)
        return self._settings().document()

    def put_settings(self, caller: Principal, values: Mapping[str, Any]) -> dict[str, Any]:
        self._guard.require(caller, Action.EXPORT_EARS_NET)
        before = self._settings()
        after = ExportSettings.parse(values, before)
        self._exports.put_export_settings(after.document())
        self._ctx.audit(caller.email.value, "ears_net.settings", "exports:ears-net", before.document(), after.document())
        return after.document()

    def export(self, caller: Principal, year: object) -> dict[str, Any]:
        """Start the export of a year; it runs in its own workflow (a national year outlasts an HTTP request).

        Answers the export, ``running`` until the workflow records its outcome.
        Raises InvalidInput (year), Conflict (no closed data for the year).
        """
        self._guard.require(caller, Action.EXPORT_EARS_NET)
        when = self._year(year)
        if not self._closed.exists(when):
            raise _no_closed_data(when)
        if any(record.year == when and self._still_running(record) for record in self._exports.list_exports()):
            raise Conflict(
                f"Un export EARS-Net de l'année {when} est déjà en cours : attendez qu'il se termine avant d'en relancer un.",
                code="ERR_EXPORT_RUNNING",
            )
        record = ExportRecord(self._ctx.ids.new_id(), when, RUNNING, self._ctx.now_iso(), caller.email.value, "api")
        self._exports.put_export(record)
        payload = {"export_id": record.export_id, "year": when, "by": caller.email.value}
        self._workflows.start_ears_net_export(f"ears-net-{record.export_id}", payload)
        return self._view(self._exports.get_export(record.export_id) or record)

    # The export's workflow ------------------------------------------------------------------
    def task_run(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The workflow's task: the export itself, recorded under the id the API answered. Idempotent
        (a retried task finds the export done)."""
        done = self._exports.get_export(payload["export_id"])
        if done is not None and done.status != RUNNING:
            return {"export_id": done.export_id, "status": done.status}
        try:
            record = self._run(int(payload["year"]), payload["by"], "api", export_id=payload["export_id"])
        except Conflict as error:  # the year's closed data went away meanwhile (a reopening)
            record = self._failed(payload, error.message)
        return {"export_id": record.export_id, "status": record.status}

    def task_fail(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The workflow's catch-all: the export is marked failed, in French."""
        record = self._failed(
            payload, "L'export a échoué (erreur technique) : rien n'a été publié ; relancez-le ou prévenez l'équipe technique."
        )
        return {"export_id": record.export_id, "status": record.status}

    def _still_running(self, record: ExportRecord) -> bool:
        """Running, and recently enough to be alive (a workflow that died unnoticed does not block the year forever)."""
        if record.status != RUNNING:
            return False
        started = datetime.fromisoformat(record.created_at.replace("Z", "+00:00"))
        return self._ctx.clock.now() - started < STALE_AFTER

    def _failed(self, payload: dict[str, Any], message: str) -> ExportRecord:
        before = self._exports.get_export(payload["export_id"])
        details = json.dumps({"failure": message}, ensure_ascii=False)
        record = ExportRecord(
            payload["export_id"], int(payload["year"]), FAILED, before.created_at if before else self._ctx.now_iso(),
            payload.get("by", "system"), before.trigger if before else "api", details,
        )  # fmt: skip
        self._exports.put_export(record)
        return record

    def get(self, caller: Principal, export_id: str) -> dict[str, Any]:
        self._guard.require(caller, Action.EXPORT_EARS_NET)
        record = self._exports.get_export(export_id)
        if record is None:
            raise NotFound("Export EARS-Net introuvable.")
        return self._view(record)

    def history(self, caller: Principal) -> list[dict[str, Any]]:
        self._guard.require(caller, Action.EXPORT_EARS_NET)
        return [self._view(record, urls=False) for record in self._exports.list_exports()]

    # The yearly schedule ----------------------------------------------------------------------
    def scheduled(self) -> dict[str, Any]:
        """Daily: export the previous year once the settings' export date has come, if not exported yet."""
        today = self._ctx.clock.now().date()
        exported = {record.year for record in self._exports.list_exports()}
        year = due_year(today, self._settings(), exported)
        if year is None:
            return {"exported": None}
        try:
            record = self._run(year, "system", "schedule")
        except Conflict as error:
            return {"exported": None, "year": year, "skipped": error.message}
        return {"exported": record.export_id, "year": year, "status": record.status}

    # ------------------------------------------------------------------------------------------

    def _run(self, year: int, by: str, trigger: str, export_id: str | None = None) -> ExportRecord:
        closed = self._closed.year(year)
        if closed.empty:
            raise _no_closed_data(year)
        settings = self._settings()
        records = self._plan(year, closed.isolates)
        cover = plan_amrcover(year, closed.covered, closed.national_patient_days, settings.coverage(year))
        ledger = self._ledger(year)
        changes = diff(ledger, records)
        test_report, cover_report = validate(changes.records), validate(cover)
        sent = test_report.kept(list(changes.records))
        sent_cover = cover_report.kept(cover)
        published = test_report.publishable and cover_report.publishable
        status = PUBLISHED if published else REJECTED

        export_id = export_id or self._ctx.ids.new_id()
        files: dict[str, str | None] = {"amrtest": None, "amrcover": None}
        if published:
            amrtest = self._export_files.put(year, export_id, "amrtest.csv", self._files.write(sent, "AMRTEST"), CSV)
            amrcover = self._export_files.put(year, export_id, "amrcover.csv", self._files.write(sent_cover, "AMRCOVER"), CSV)
            after = list(ledger.after(sent).sent.values())
            self._export_files.put_ledger(year, self._files.write(after, "AMRTEST"))
            files = {"amrtest": amrtest, "amrcover": amrcover}
        counts = {
            "amrtest_records": len(sent),
            "isolates": len({r.isolate_id for r in sent if r.status != STATUS_DELETE}),
            "new": len(changes.new),
            "updated": len(changes.updated),
            "unchanged": len(changes.unchanged),
            "deleted": len(changes.deletes),
            "amrcover_records": len(sent_cover),
            "establishments": len(closed.covered),
            "laboratories": len({item.laboratory_code for item in closed.isolates if item.laboratory_code}),
            "closed_isolates": closed.closed_isolates,
        }
        validation = _validation_counts(test_report, cover_report)
        findings = _findings(test_report, changes.records, cover_report)
        report = {
            "year": year,
            "status": status,
            "counts": counts,
            "validation": validation,
            "summary": {"amrtest": test_report.summary(), "amrcover": cover_report.summary(), "ledger": changes.summary()},
            "findings": findings,
        }
        content = json.dumps(report, ensure_ascii=False, indent=1).encode()
        report_key = self._export_files.put(year, export_id, "validation.json", content, "application/json")
        details = {**report, "findings": findings[:SHOWN_FINDINGS], "files": {**files, "report": report_key}}
        record = ExportRecord(export_id, year, status, self._ctx.now_iso(), by, trigger, json.dumps(details, ensure_ascii=False))
        self._exports.put_export(record)
        self._ctx.audit(by, "ears_net.export", f"exports:ears-net/{export_id}", None,
                        {"year": year, "status": record.status, "records": counts["amrtest_records"]})  # fmt: skip
        self._notify(year, published, counts, validation, test_report.summary())
        return record

    def _plan(self, year: int, isolates: list[ExportIsolate]) -> list[AmrTestRecord]:
        """AMRTEST records; the patients are numbered first, only those exported (a first pass tells which)."""
        wanted: dict[str, list[str]] = {}

        def note(laboratory: str, pseudonym: str) -> int:
            wanted.setdefault(laboratory, []).append(pseudonym)
            return 0

        plan_amrtest(isolates, AmrTestContext(year, note))
        numbers: dict[tuple[str, str], int] = {}
        for laboratory, pseudonyms in wanted.items():
            if laboratory:
                found = self._counters.counters(laboratory, pseudonyms)
            else:  # no EARS-Net code: the validator rejects these records; nothing is stored for them
                found = {p: n for n, p in enumerate(dict.fromkeys(pseudonyms), start=1)}
            numbers.update({(laboratory, p): n for p, n in found.items()})
        return plan_amrtest(isolates, AmrTestContext(year, lambda laboratory, pseudonym: numbers[(laboratory, pseudonym)]))

    def _ledger(self, year: int) -> Ledger:
        found = self._export_files.ledger(year)
        return Ledger() if found is None else Ledger.of(self._files.read_amrtest(found))

    def _settings(self) -> ExportSettings:
        stored = self._exports.export_settings()
        return ExportSettings.parse(stored) if stored else ExportSettings()

    def _year(self, year: object) -> int:
        text = str(year if year is not None else "").strip()
        last = self._ctx.clock.now().year
        if not (text.isdigit() and FIRST_YEAR <= int(text) <= last):
            raise InvalidInput(f"Année invalide : « {text} » (de {FIRST_YEAR} à {last}).", details=[{"field": "year"}])
        return int(text)

    def _notify(self, year: int, published: bool, counts: dict[str, int], validation: dict[str, int], summary: str) -> None:
        national = {email.value for email, profile in self._access.list_profiles() if profile.type is ProfileType.NATIONAL}
        recipients = tuple(sorted(national | set(self._team)))
        if recipients:
            self._mailer.send(letters.ears_net_export(recipients, year, published, counts, validation, summary))

    def _view(self, record: ExportRecord, urls: bool = True) -> dict[str, Any]:
        details: dict[str, Any] = json.loads(record.details_json)
        keys: dict[str, str | None] = details.get("files", {})
        stem = f"{record.year}_{record.export_id}"
        names = {
            "amrtest": f"AMRTEST_{stem}.csv",
            "amrcover": f"AMRCOVER_{stem}.csv",
            "report": f"validation_EARS-Net_{stem}.json",
        }
        files: dict[str, str | None] = {}
        for name, filename in names.items():
            key = keys.get(name)
            files[name] = self._export_files.url(key, filename, URL_SECONDS) if key and urls else None
        return {
            "export_id": record.export_id,
            "year": record.year,
            "status": record.status,
            "created_at": record.created_at,
            "created_by": record.created_by,
            "trigger": record.trigger,
            "counts": details.get("counts", {}),
            "validation": details.get("validation", {"errors": 0, "warnings": 0, "ignored": 0}),
            "summary": details.get("summary", {}),
            "findings": details.get("findings", []) if urls else [],
            "files": files,
            **({"failure": details["failure"]} if "failure" in details else {}),
        }


def _no_closed_data(year: int) -> Conflict:
    return Conflict(
        f"Aucune donnée clôturée pour l'année {year} : aucun antibiogramme clôturé à envoyer à l'ECDC. "
        "Les établissements doivent d'abord clôturer l'année (ou ses périodes).",
        code="ERR_NO_CLOSED_DATA",
    )


def _validation_counts(test: ValidationReport, cover: ValidationReport) -> dict[str, int]:
    return {
        "errors": len(test.errors) + len(cover.errors),
        "warnings": len(test.warnings) + len(cover.warnings),
        "ignored": len(test.dropped) + len(cover.dropped),
    }


def _findings(test: ValidationReport, records: Sequence[AmrTestRecord], cover: ValidationReport) -> list[dict[str, Any]]:
    """Every finding, errors first, each with its file and the AMRTEST RecordId (never patient data)."""
    order = {"Error": 0, "Warning": 1, "Ignore": 2}

    def shown(finding: Finding, record_id: str | None) -> dict[str, Any]:
        return {**finding.as_dict(), "file": finding.record_type, "record_id": record_id}

    found = [shown(f, records[f.record].record_id if f.record < len(records) else None) for f in test.findings]
    found += [shown(f, None) for f in cover.findings]
    return sorted(found, key=lambda item: order.get(str(item["severity"]), 3))
