"""The deduplication workflow's tasks (Step Functions; DOMAIN.md §5–§7).

Each task reads the previous state's S3 object, does one thing, writes its
own object and returns a pointer: payloads never carry patient data. The only
object holding raw patient identifiers lives in the raw bucket and is deleted
by ``pseudonymise``. Every task is idempotent: a retried task overwrites its
own object with the same content.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.resistance import serial
from chalicelib.domain.resistance.model import Isolate
from chalicelib.services.context import Context
from chalicelib.services.ports import ObjectStore, PseudonymKeys, TenantStore, UnitStore, UploadStore
from chalicelib.services.publisher import LakePublisher

ISOLATE_COLUMNS = (
    ("finess", "VARCHAR"),
    ("period", "VARCHAR"),
    ("upload_id", "VARCHAR"),
    ("isolate_id", "VARCHAR"),
    ("pseudonym", "VARCHAR"),
    ("age", "INTEGER"),
    ("sex", "VARCHAR"),
    ("code_uf", "VARCHAR"),
    ("sector", "VARCHAR"),
    ("specimen", "VARCHAR"),
    ("species", "VARCHAR"),
    ("species_group", "VARCHAR"),
    ("specimen_date", "DATE"),
    ("kept", "BOOLEAN"),
    ("duplicate_of", "VARCHAR"),
    ("dedup_rule", "VARCHAR"),
    ("blood_kept", "BOOLEAN"),
    ("blood_rule", "VARCHAR"),
    ("esbl", "BOOLEAN"),
    ("carbapenemase", "VARCHAR"),
    ("van", "VARCHAR"),
    ("sarm", "BOOLEAN"),
    ("eblse", "BOOLEAN"),
    ("epc", "BOOLEAN"),
    ("erg", "BOOLEAN"),
    ("c3g_r", "BOOLEAN"),
    ("fq_r", "BOOLEAN"),
    ("carba_r", "BOOLEAN"),
    ("caz_r", "BOOLEAN"),
)
RESULT_COLUMNS = (
    ("finess", "VARCHAR"),
    ("period", "VARCHAR"),
    ("upload_id", "VARCHAR"),
    ("isolate_id", "VARCHAR"),
    ("antibiotic", "VARCHAR"),
    ("sir", "VARCHAR"),
)
PHENOTYPES = ("sarm", "eblse", "epc", "erg", "c3g_r", "fq_r", "carba_r", "caz_r")

Decide = Callable[[list[Isolate], str], dict[str, Any]]
Classify = Callable[[Isolate], dict[str, Any]]


def pseudonym(secret: bytes, patient_id: str) -> str:
    """HMAC-SHA256 of the normalised identifier with the establishment's secret."""
    normalised = "".join(patient_id.split()).upper()
    return hmac.new(secret, normalised.encode(), hashlib.sha256).hexdigest()


class DeduplicationWorkflow:
    def __init__(
        self,
        uploads: UploadStore,
        tenants: TenantStore,
        units: UnitStore,
        objects: ObjectStore,
        keys: PseudonymKeys,
        publisher: LakePublisher,
        decide: Decide,
        classify: Classify,
        group_of: Callable[[str], str | None],
        context: Context,
        raw_bucket: str,
        lake_bucket: str,
    ) -> None:
        self._uploads = uploads
        self._tenants = tenants
        self._units = units
        self._objects = objects
        self._keys = keys
        self._publisher = publisher
        self._decide = decide
        self._classify = classify
        self._group_of = group_of
        self._ctx = context
        self._raw = raw_bucket
        self._lake = lake_bucket

    def pseudonymise(self, payload: dict[str, Any]) -> dict[str, Any]:
        finess = Finess(payload["finess"])
        source = payload["raw_work_key"]
        target = _work_key(payload, "pseudonymised")
        if self._objects.head(self._raw, source) is not None:  # absent: a retry after success
            isolates, extra = serial.load(self._objects.get(self._raw, source))
            secret = self._keys.secret_for(finess)
            cache: dict[str, str] = {}
            hidden = []
            for isolate in isolates:
                raw = isolate.pseudonym  # before this task, the slot holds the raw identifier
                if raw not in cache:
                    cache[raw] = pseudonym(secret, raw)
                hidden.append(replace(isolate, pseudonym=cache[raw]))
            self._objects.put(self._lake, target, serial.dump(hidden, extra), "application/gzip")
            self._objects.delete_all_versions(self._raw, source)
        return _next(payload, target)

    def deduplicate(self, payload: dict[str, Any]) -> dict[str, Any]:
        isolates, extra = serial.load(self._objects.get(self._lake, payload["work_key"]))
        extra["decisions"] = self._decide(isolates, payload["period"])
        target = _work_key(payload, "deduplicated")
        self._objects.put(self._lake, target, serial.dump(isolates, extra), "application/gzip")
        return _next(payload, target)

    def phenotypes(self, payload: dict[str, Any]) -> dict[str, Any]:
        isolates, extra = serial.load(self._objects.get(self._lake, payload["work_key"]))
        extra["phenotypes"] = {i.isolate_id: self._classify(i) for i in isolates}
        target = _work_key(payload, "phenotyped")
        self._objects.put(self._lake, target, serial.dump(isolates, extra), "application/gzip")
        return _next(payload, target)

    def publish(self, payload: dict[str, Any]) -> dict[str, Any]:
        finess = Finess(payload["finess"])
        upload = self._uploads.get(finess, payload["upload_id"])
        establishment = self._tenants.get_establishment(finess)
        assert upload is not None and establishment is not None
        isolates, extra = serial.load(self._objects.get(self._lake, payload["work_key"]))
        decisions, phenotypes = extra["decisions"], extra["phenotypes"]
        sectors = {u.code_uf: u.sector for u in self._units.units(finess)}
        period = str(upload.period)
        isolate_rows: list[tuple[Any, ...]] = []
        result_rows: list[tuple[Any, ...]] = []
        for i in isolates:
            d, p = decisions["main"][i.isolate_id], phenotypes[i.isolate_id]
            blood = decisions["blood"].get(i.isolate_id)
            isolate_rows.append(
                (finess.value, period, upload.upload_id, i.isolate_id, i.pseudonym, i.age, i.sex, i.uf, sectors.get(i.uf),
                 i.specimen,
                 i.species, self._group_of(i.species), i.specimen_date, d["kept"], d["duplicate_of"], d["rule"],
                 blood["kept"] if blood else None, blood["rule"] if blood else None, i.esbl,
                 i.carbapenemase.value if i.carbapenemase else None, i.van.value if i.van else None,
                 *(p.get(name) for name in PHENOTYPES))
            )  # fmt: skip
            result_rows.extend(
                (finess.value, period, upload.upload_id, i.isolate_id, code, sir.value) for code, sir in i.results.items()
            )
        year = upload.period.year
        keys = (
            self._publisher.write(establishment, year, upload.upload_id, "isolates", ISOLATE_COLUMNS, isolate_rows),
            self._publisher.write(establishment, year, upload.upload_id, "results", RESULT_COLUMNS, result_rows),
        )
        self._publisher.make_current(finess, upload.file_type.value, period, upload.upload_id, keys)
        self._objects.delete_all_versions(self._raw, upload.raw_key)  # imported: the raw file goes
        kept = [i for i in isolates if decisions["main"][i.isolate_id]["kept"]]
        summary = {
            "isolates_kept": len(kept),
            "blood_isolates_kept": sum(1 for b in decisions["blood"].values() if b["kept"]),
            "duplicates": len(isolates) - len(kept),
            "phenotypes": {name: sum(1 for i in kept if phenotypes[i.isolate_id].get(name) is True) for name in PHENOTYPES},
            "rule": decisions["rule"],
            "blood_rule": decisions["blood_rule"],
        }
        return {**_next(payload, payload["work_key"]), "summary": summary}

    def finish(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._record(payload, UploadStatus.DEDUPLICATED, payload.get("summary", {}), None)
        for name in ("pseudonymised", "deduplicated", "phenotyped"):
            self._objects.delete_all_versions(self._lake, _work_key(payload, name))
        return {"finess": payload["finess"], "upload_id": payload["upload_id"], "status": UploadStatus.DEDUPLICATED.value}

    def fail(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Catch-all of the workflow: FAILED with a code; raw identifiers are removed at once."""
        error = payload.get("error") or {}
        code = str(error.get("Error") or "ERR_WORKFLOW")[:60]
        if payload.get("raw_work_key"):
            self._objects.delete_all_versions(self._raw, payload["raw_work_key"])
        for name in ("pseudonymised", "deduplicated", "phenotyped"):
            self._objects.delete_all_versions(self._lake, _work_key(payload, name))
        message = (
            "Le traitement des antibiogrammes a échoué (étape de dédoublonnage) : l'équipe technique est prévenue ; "
            "vous pouvez renvoyer le fichier."
        )
        self._record(payload, UploadStatus.FAILED, {"failure": {"code": code, "message": message}}, code)
        return {"finess": payload["finess"], "upload_id": payload["upload_id"], "status": UploadStatus.FAILED.value}

    def _record(self, payload: dict[str, Any], status: UploadStatus, summary: dict[str, Any], error: str | None) -> None:
        finess = Finess(payload["finess"])
        upload = self._uploads.get(finess, payload["upload_id"])
        assert upload is not None
        report_key = f"reports/{finess}/{upload.upload_id}.json"
        report = json.loads(self._objects.get(self._lake, report_key))
        report["summary"] = {**report.get("summary", {}), **summary}
        if error:
            report.setdefault("errors", []).append(
                {"row": None, "column": None, "value": None, "code": "workflow.failed", "message": summary["failure"]["message"]}
            )
        self._objects.put(self._lake, report_key, json.dumps(report, ensure_ascii=False).encode(), "application/json")
        self._uploads.finish(finess, upload.upload_id, status.value, self._ctx.now_iso(), upload.summary_json, error)
        self._ctx.audit(
            upload.created_by.value, f"upload.{status.value.lower()}", f"establishment:{finess}/upload:{upload.upload_id}", None,
            {"status": status.value},
        )  # fmt: skip


def _work_key(payload: dict[str, Any], step: str) -> str:
    return f"work/{payload['finess']}/{payload['upload_id']}/{step}.json.gz"


def _next(payload: dict[str, Any], key: str) -> dict[str, Any]:
    """The next state's input: ids and one pointer, nothing else."""
    return {k: payload[k] for k in ("finess", "upload_id", "period") if k in payload} | {"work_key": key}
