"""The deduplication workflow's tasks (Step Functions; DOMAIN.md §5–§7).

The isolates travel as columns (``domain/resistance/table.py``), in work objects
(``WorkObjects``: Parquet files under ``work/<finess>/<upload>/``, the port
owning their keys and buckets); each task reads the objects it needs by name,
writes its own, and returns the ids and a pointer to what it wrote: payloads
never carry patient data.

=================  ======  =====================  ==================================================
work object        bucket  written by             content (one row per isolate, in the table's order)
=================  ======  =====================  ==================================================
``patients``       raw     on_upload              the raw patient identifiers; deleted by
                                                  ``pseudonymise``
``isolates``       raw     on_upload              the isolate table: no identifier
``pseudonyms``     lake    ``pseudonymise``       the pseudonyms
``decisions``      lake    ``deduplicate``        kept, duplicate_of, blood_kept columns; rule ids
``phenotypes``     lake    ``phenotypes``         one code per isolate into the flags of each
                                                  combination (names, flags and rule beside)
``isolates_part``  lake    ``prepare_isolates``   the isolates file's columns but the decided
                                                  ones (``DECIDED_COLUMNS``), with the rows
=================  ======  =====================  ==================================================

The workflow runs three branches at once: pseudonymise then deduplicate; the
results file (``publish_results``); phenotypes then ``prepare_isolates``. Then
``publish`` joins the decisions to the prepared columns into the lake's
``isolates`` file, makes both files current and deletes the raw file.

The raw identifiers exist only in the raw bucket (the file and ``patients``),
and ``pseudonymise`` deletes their object; ``finish`` and ``fail`` empty the
import's work area. Every task is idempotent: a retried task overwrites its own
object with the same content.

A workflow begun before the work objects became Parquet (its objects in the
earlier JSON format, ``*.json``) finds none of the objects it needs: its task
fails, and ``fail`` ends the upload FAILED with the French message of any
failure (the file can be sent again), its work area emptied, identifiers first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from itertools import compress
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Superseded
from chalicelib.domain.imports import Problem, UploadStatus
from chalicelib.domain.lake import ISOLATES, PHENOTYPES, RESULTS, Column, Dataset
from chalicelib.domain.resistance.table import COLUMNS, RESULT_CHARACTERS, IsolateTable, isolate_id
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import Upload, superseded_message
from chalicelib.services.alerts import AlertService
from chalicelib.services.batch import collector_paused
from chalicelib.services.context import Context
from chalicelib.services.deduplication_messages import Failure, Finished, Published, Step
from chalicelib.services.ports import (
    ColumnarLakeWriter,
    LakeStore,
    PseudonymKeys,
    RawStore,
    ReportStore,
    TenantStore,
    UnitStore,
    UploadStore,
    WorkObject,
    WorkObjects,
    work_key,
)
from chalicelib.services.publisher import LakePublisher
from chalicelib.services.year_dedup import YearDeduplication

#: The isolate table's row: the work objects' join key (not a lake column).
ROW = Column("row", "INTEGER")
#: The isolates file's columns the deduplication decides (with the table's row, to join them on).
DECIDED_COLUMNS = (ROW, *ISOLATES.only(("pseudonym", "kept", "duplicate_of", "dedup_rule", "blood_kept", "blood_rule")))
#: The others, known before (``prepare_isolates``), with the row.
PART_COLUMNS = (ROW, *(column for column in ISOLATES.columns if column not in DECIDED_COLUMNS))
#: Characters of the table's result strings -> the lake's ``sir`` values.
SIR_VALUES = {character: sir.value for sir, character in RESULT_CHARACTERS.items()}

#: The work objects' columns (the isolate table's: ``COLUMNS``).
PATIENT_COLUMNS = (("patient_id", "VARCHAR"),)
PSEUDONYM_COLUMNS = (("pseudonym", "VARCHAR"),)
DECISION_COLUMNS = (("kept", "BOOLEAN"), ("duplicate_of", "VARCHAR"), ("blood_kept", "BOOLEAN"))
PHENOTYPE_COLUMNS = (("code", "INTEGER"),)
#: The work object's text value holding the isolate table's antibiotics.
ANTIBIOTICS = "antibiotics"

Decide = Callable[[IsolateTable, str, Sequence[str], str], dict[str, Any]]
Classify = Callable[[IsolateTable], dict[str, Any]]


def pseudonym(secret: bytes, patient_id: str) -> str:
    """HMAC-SHA256 of the normalised identifier with the establishment's secret."""
    normalised = "".join(patient_id.split()).upper()
    return hmac.new(secret, normalised.encode(), hashlib.sha256).hexdigest()


def put_import(work: WorkObjects, finess: str, upload_id: str, table: IsolateTable, patient_ids: Sequence[str]) -> str:
    """What an import hands the workflow: the isolate table, and apart the raw identifiers (aligned with it).
    Returns the identifiers' key (the workflow's ``raw_work_key``)."""
    if len(patient_ids) != len(table):
        raise ValueError(f"{len(patient_ids)} identifiers for {len(table)} isolates")
    work.put(finess, upload_id, WorkObject.TABLE, COLUMNS, table.columns(), {ANTIBIOTICS: table.antibiotics_text()})
    return work.put(finess, upload_id, WorkObject.PATIENTS, PATIENT_COLUMNS, [patient_ids])


class DeduplicationWorkflow:
    def __init__(
        self,
        *,
        uploads: UploadStore,
        tenants: TenantStore,
        units: UnitStore,
        raw: RawStore,
        lake: LakeStore,
        keys: PseudonymKeys,
        publisher: LakePublisher,
        decide: Decide,
        classify: Classify,
        group_of: Callable[[str], str | None],
        context: Context,
        columnar: ColumnarLakeWriter,
        reports: ReportStore,
        work: WorkObjects,
        year: YearDeduplication | None = None,
        alerts: AlertService | None = None,
    ) -> None:
        self._uploads = uploads
        self._tenants = tenants
        self._units = units
        self._raw = raw
        self._lake = lake
        self._keys = keys
        self._publisher = publisher
        self._decide = decide
        self._classify = classify
        self._group_of = group_of
        self._ctx = context
        self._columnar = columnar
        self._reports = reports
        self._work = work
        #: The whole-year decisions, recomputed once an upload is current (None: not kept up to date).
        self._year = year
        #: Raises the alerts of the kept isolates once the import is current (None: no alerts).
        self._alerts = alerts

    def pseudonymise(self, message: Step) -> Step:
        """Pseudonyms for the raw identifiers' object, which goes. Reads nothing else."""
        finess, upload_id = message.finess, message.upload_id
        if self._work.exists(finess, upload_id, WorkObject.PATIENTS):  # absent: a retry after success
            patient_ids = self._work.get(finess, upload_id, WorkObject.PATIENTS).columns["patient_id"]
            secret = self._keys.secret_for(Finess(finess))
            with collector_paused():
                of = {raw: pseudonym(secret, raw) for raw in set(patient_ids)}
                self._work.put(
                    finess, upload_id, WorkObject.PSEUDONYMS, PSEUDONYM_COLUMNS, [list(map(of.__getitem__, patient_ids))]
                )
            self._work.delete(finess, upload_id, WorkObject.PATIENTS)
        return _next(message, self._work_key(message, WorkObject.PSEUDONYMS))

    def deduplicate(self, message: Step) -> Step:
        with collector_paused():
            table = self._table(message)
            decisions = self._decide(table, message.upload_id, self._pseudonyms(message), message.period)
            key = self._work.put(
                message.finess, message.upload_id, WorkObject.DECISIONS, DECISION_COLUMNS,
                [decisions[name] for name, _ in DECISION_COLUMNS],
                {"rule": decisions["rule"], "blood_rule": decisions["blood_rule"]},
            )  # fmt: skip
        return _next(message, key)

    def phenotypes(self, message: Step) -> Step:
        with collector_paused():
            found = self._classify(self._table(message))
            beside = {"rule": found["rule"], "names": json.dumps(found["names"]), "values": json.dumps(found["values"])}
            key = self._work.put(
                message.finess, message.upload_id, WorkObject.PHENOTYPES, PHENOTYPE_COLUMNS, [found["codes"]], beside
            )
        return _next(message, key)

    def publish_results(self, message: Step) -> Step:
        """The lake's results file (isolate × antibiotic): it needs the table only, so the workflow writes it
        while the patients are pseudonymised and deduplicated. Not current until ``publish``. Idempotent."""
        finess, upload, establishment = self._subject(message)
        with collector_paused():
            table = self._table(message)
            ids = [isolate_id(upload.upload_id, row) for row in table.row]
            constants = (finess.value, str(upload.period), upload.upload_id)
            key = self._write_results(establishment, upload.period.year, upload.upload_id, constants, ids, table)
        return _next(message, key).model_copy(update={"results_key": key})

    def prepare_isolates(self, message: Step) -> Step:
        """The isolates file's columns that do not depend on the deduplication (a Parquet work object),
        written in a branch of its own after the phenotypes; ``publish`` joins the decisions to it. Idempotent."""
        finess, upload, _ = self._subject(message)
        with collector_paused():
            table = self._table(message)
            known = self._known_columns(finess, upload, table, self._phenotypes(message))
            body = self._columnar.columns_parquet(PART_COLUMNS, [table.row, *(known[name] for name, _ in PART_COLUMNS[1:])])
            key = self._work.put_parquet(message.finess, message.upload_id, WorkObject.ISOLATES_PART, body)
        return _next(message, key)

    def publish(self, message: Step) -> Published:
        """The isolates file, then both files made current. The results file is the one ``publish_results``
        wrote (``results_key``, which the Parallel state hands on); absent, this task writes it.
        The isolates file joins the decisions to the columns ``prepare_isolates`` wrote; absent, to columns
        computed here."""
        finess, upload, establishment = self._subject(message)
        with collector_paused():
            table = self._table(message)
            pseudonyms = self._pseudonyms(message)
            decisions = self._decisions(message)
            found = self._phenotypes(message)
            period, count = str(upload.period), len(table)
            blood_kept = decisions["blood_kept"]
            decided: dict[str, Sequence[Any]] = {
                "pseudonym": pseudonyms,
                "kept": decisions["kept"],
                "duplicate_of": decisions["duplicate_of"],
                "dedup_rule": [decisions["rule"]] * count,
                "blood_kept": blood_kept,
                "blood_rule": [None if kept is None else decisions["blood_rule"] for kept in blood_kept],
            }
            constants = (finess.value, period, upload.upload_id)
            year = upload.period.year
            if self._work.exists(message.finess, message.upload_id, WorkObject.ISOLATES_PART):
                body = self._columnar.joined_parquet(
                    ISOLATES.columns, self._work.get_parquet(message.finess, message.upload_id, WorkObject.ISOLATES_PART),
                    "row", DECIDED_COLUMNS,
                    [table.row, *(decided[name] for name, _ in DECIDED_COLUMNS[1:])],
                )  # fmt: skip
            else:
                columns = {**self._known_columns(finess, upload, table, found), **decided}
                body = self._columnar.columns_parquet(ISOLATES.columns, ISOLATES.ordered(columns))
            isolates = self._put(establishment, year, upload.upload_id, ISOLATES, body)
            results = message.results_key or self._write_results(
                establishment, year, upload.upload_id, constants, [isolate_id(upload.upload_id, row) for row in table.row], table
            )
            keys = (isolates, results)
            kept = decisions["kept"]
            kept_count = kept.count(True)
            summary = {
                "isolates_kept": kept_count,
                "blood_isolates_kept": blood_kept.count(True),
                "duplicates": count - kept_count,
                "phenotypes": _positive_among_kept(found, kept),
                "rule": decisions["rule"],
                "blood_rule": decisions["blood_rule"],
            }
        self._publisher.make_current(finess, upload.file_type.value, period, upload.upload_id, keys, upload.created_at)
        self._raw.delete(upload.raw_key)  # imported: the raw file goes
        if self._alerts is not None:  # current: its kept isolates' rare phenotypes raise their alerts, once
            summary["alerts"] = self._alerts.raise_for_import(establishment, upload.upload_id, year, table, pseudonyms, kept)
        if self._year is not None:  # the year's antibiograms changed: its whole-year decisions follow
            summary["year"] = self._year.recompute_quietly(finess, year)
        return Published(**_next(message, keys[0]).model_dump(), summary=summary)

    def _known_columns(
        self, finess: Finess, upload: Upload, table: IsolateTable, found: dict[str, Any]
    ) -> dict[str, Sequence[Any]]:
        """The isolates file's columns known before the deduplication: all but ``DECIDED_COLUMNS``."""
        flags = _phenotype_columns(found)
        sectors = {u.code_uf: u.sector for u in self._units.units(finess)}
        groups = {code: self._group_of(code) for code in set(table.species)}
        dates = {day: date.fromordinal(day) for day in set(table.specimen_date)}
        period, count = str(upload.period), len(table)
        return {
            "finess": [finess.value] * count,
            "period": [period] * count,
            "upload_id": [upload.upload_id] * count,
            "isolate_id": [isolate_id(upload.upload_id, row) for row in table.row],
            "age": table.age,
            "sex": table.sex,
            "code_uf": table.uf,
            "sector": [sectors.get(uf) for uf in table.uf],
            "specimen": table.specimen,
            "species": table.species,
            "species_group": [groups[code] for code in table.species],
            "specimen_date": [dates[day] for day in table.specimen_date],
            "esbl": table.esbl,
            "carbapenemase": table.carbapenemase,
            "van": table.van,
            **{name: flags[name] for name in PHENOTYPES},
        }

    def finish(self, message: Published) -> Finished:
        self._record(message, UploadStatus.DEDUPLICATED, message.summary, None)
        self._clean(message)
        return Finished(finess=message.finess, upload_id=message.upload_id, status=UploadStatus.DEDUPLICATED.value)

    def fail(self, message: Failure) -> Finished:
        """Catch-all of the workflow: FAILED with a code; raw identifiers are removed at once."""
        error = message.error or {}
        code = str(error.get("Error") or "ERR_WORKFLOW")[:60]
        self._work.delete(message.finess, message.upload_id, WorkObject.PATIENTS)  # the identifiers first
        self._clean(message)  # the rest of the work area, whatever wrote it
        self._drop_unpublished(message)
        text = (
            "Le traitement des antibiogrammes a échoué (étape de dédoublonnage) : l'équipe technique est prévenue ; "
            "vous pouvez renvoyer le fichier."
        )
        status = UploadStatus.FAILED
        if code == Superseded.__name__:  # a file sent later became current first: named, never an internal error
            status, code, text = UploadStatus.REJECTED, Superseded.code, self._superseded(message)
        self._record(message, status, {"failure": {"code": code, "message": text}}, code)
        return Finished(finess=message.finess, upload_id=message.upload_id, status=status.value)

    def _superseded(self, message: Step) -> str:
        finess, upload, _ = self._subject(message)
        current = self._uploads.current(finess, upload.file_type.value, str(upload.period))
        return superseded_message(upload, self._uploads.get(finess, current.upload_id) if current else None)

    # ------------------------------------------------------------------------------------------

    def _table(self, message: Step) -> IsolateTable:
        found = self._work.get(message.finess, message.upload_id, WorkObject.TABLE)
        return IsolateTable.from_columns(found.metadata[ANTIBIOTICS], found.columns)

    def _pseudonyms(self, message: Step) -> list[str]:
        return self._work.get(message.finess, message.upload_id, WorkObject.PSEUDONYMS).columns["pseudonym"]

    def _decisions(self, message: Step) -> dict[str, Any]:
        """As the decider answered (``Decide``): the columns and the rule ids."""
        found = self._work.get(message.finess, message.upload_id, WorkObject.DECISIONS)
        return {**found.columns, "rule": found.metadata["rule"], "blood_rule": found.metadata["blood_rule"]}

    def _phenotypes(self, message: Step) -> dict[str, Any]:
        """As the classifier answered (``Classify``): one code per isolate into the flags of each combination."""
        found = self._work.get(message.finess, message.upload_id, WorkObject.PHENOTYPES)
        beside = found.metadata
        return {
            "rule": beside["rule"], "names": json.loads(beside["names"]), "values": json.loads(beside["values"]),
            "codes": found.columns["code"],
        }  # fmt: skip

    def _work_key(self, message: Step, name: WorkObject) -> str:
        return work_key(message.finess, message.upload_id, name)

    def _clean(self, message: Step) -> None:
        self._work.delete_all(message.finess, message.upload_id)

    def _subject(self, message: Step) -> tuple[Finess, Upload, Establishment]:
        """The establishment and upload a task works for (both exist: the import created them)."""
        finess = Finess(message.finess)
        upload = self._uploads.get(finess, message.upload_id)
        establishment = self._tenants.get_establishment(finess)
        assert upload is not None and establishment is not None
        return finess, upload, establishment

    def _drop_unpublished(self, message: Step) -> None:
        """The lake files this upload may have written before failing, unless they became current."""
        finess = Finess(message.finess)
        upload = self._uploads.get(finess, message.upload_id)
        establishment = self._tenants.get_establishment(finess)
        if upload is None or establishment is None:
            return
        current = self._uploads.current(finess, upload.file_type.value, str(upload.period))
        if current is not None and current.upload_id == upload.upload_id:
            return
        for dataset in (ISOLATES, RESULTS):
            self._lake.remove_written(dataset, upload.period.year, establishment, upload.upload_id)

    def _write_results(
        self,
        establishment: Establishment,
        year: int,
        upload_id: str,
        constants: Sequence[str],
        ids: list[str],
        table: IsolateTable,
    ) -> str:
        """The lake's results file (isolate × antibiotic × result), from the result strings."""
        body = self._columnar.unpivoted_parquet(RESULTS.columns, constants, ids, table.antibiotics, table.results, SIR_VALUES)
        return self._put(establishment, year, upload_id, RESULTS, body)

    def _put(self, establishment: Establishment, year: int, upload_id: str, dataset: Dataset, body: bytes) -> str:
        return self._lake.write_parquet(dataset, year, establishment, upload_id, body)

    def _record(self, message: Step, status: UploadStatus, summary: dict[str, Any], error: str | None) -> None:
        finess = Finess(message.finess)
        upload = self._uploads.get(finess, message.upload_id)
        assert upload is not None
        report = self._reports.get(upload)
        if report is None:
            raise LookupError(f"no report for upload {upload.upload_id}")
        report.summary = {**report.summary, **summary}
        if error:
            report.add(Problem("workflow.failed", summary["failure"]["message"]))
        self._reports.put(upload, report)
        self._uploads.finish(finess, upload.upload_id, status.value, self._ctx.now_iso(), upload.summary_json, error)
        self._ctx.audit(
            upload.created_by.value, f"upload.{status.value.lower()}", f"establishment:{finess}/upload:{upload.upload_id}", None,
            {"status": status.value},
        )  # fmt: skip


def _phenotype_columns(found: dict[str, Any]) -> dict[str, list[bool | None]]:
    """The classifier's dictionary-encoded flags, one column per phenotype."""
    codes = found["codes"]
    columns = {}
    for position, name in enumerate(found["names"]):
        by_code = [flags[position] for flags in found["values"]]
        columns[name] = list(map(by_code.__getitem__, codes))
    return columns


def _positive_among_kept(found: dict[str, Any], kept: list[bool]) -> dict[str, int]:
    """Kept isolates with each phenotype True, counted per combination of the classifier's flags."""
    per_code = Counter(compress(found["codes"], kept))
    names = found["names"]
    return {
        name: sum(per_code[code] for code, flags in enumerate(found["values"]) if flags[names.index(name)] is True)
        for name in PHENOTYPES
    }


def _next(message: Step, key: str) -> Step:
    """The next state's input: ids and one pointer (the object just written), nothing else."""
    return Step(finess=message.finess, upload_id=message.upload_id, period=message.period, work_key=key)
