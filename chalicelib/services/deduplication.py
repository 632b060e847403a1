"""The deduplication workflow's tasks (Step Functions; DOMAIN.md §5–§7).

The isolates travel as columns (``domain/resistance/table.py``), in plain JSON
objects under ``work/<finess>/<upload>/``; each task reads the objects it needs
by name, writes its own, and returns the ids and a pointer to what it wrote:
payloads never carry patient data.

=========================  ======  =====================  ============================================
object                     bucket  written by             content
=========================  ======  =====================  ============================================
``patients.json``          raw     on_upload              the raw patient identifiers (dictionary-
                                                          encoded, aligned with the table); deleted by
                                                          ``pseudonymise``
``isolates.json``          raw     on_upload              the isolate table: no identifier
``pseudonyms.json``        lake    ``pseudonymise``       the pseudonyms, same encoding as the
                                                          identifiers
``decisions.json``         lake    ``deduplicate``        kept, duplicate_of, blood_kept columns, rule ids
``phenotypes.json``        lake    ``phenotypes``         phenotype flags, dictionary-encoded
``isolates_part.parquet``  lake    ``prepare_isolates``   the isolates file's columns but the decided
                                                          ones (``DECIDED_COLUMNS``), with the rows
=========================  ======  =====================  ============================================

The workflow runs three branches at once: pseudonymise then deduplicate; the
results file (``publish_results``); phenotypes then ``prepare_isolates``. Then
``publish`` joins the decisions to the prepared columns into the lake's
``isolates`` file, makes both files current and deletes the raw file.

The raw identifiers exist only in the raw bucket (the file and ``patients.json``),
and ``pseudonymise`` deletes their object; ``finish`` and ``fail`` delete the work
objects. Every task is idempotent: a retried task overwrites its own object with
the same content.
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
from chalicelib.domain.resistance.table import RESULT_CHARACTERS, IsolateTable, decoded, isolate_id
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import Upload, superseded_message
from chalicelib.services.batch import collector_paused
from chalicelib.services.context import Context
from chalicelib.services.deduplication_messages import Failure, Finished, Published, Step
from chalicelib.services.ports import (
    ColumnarLakeWriter,
    ObjectStore,
    PseudonymKeys,
    ReportStore,
    TenantStore,
    UnitStore,
    UploadStore,
)
from chalicelib.services.publisher import PARQUET, LakePublisher
from chalicelib.services.year_dedup import YearDeduplication

#: The isolate table's row: the work objects' join key (not a lake column).
ROW = Column("row", "INTEGER")
#: The isolates file's columns the deduplication decides (with the table's row, to join them on).
DECIDED_COLUMNS = (ROW, *ISOLATES.only(("pseudonym", "kept", "duplicate_of", "dedup_rule", "blood_kept", "blood_rule")))
#: The others, known before (``prepare_isolates``), with the row.
PART_COLUMNS = (ROW, *(column for column in ISOLATES.columns if column not in DECIDED_COLUMNS))
#: Characters of the table's result strings -> the lake's ``sir`` values.
SIR_VALUES = {character: sir.value for sir, character in RESULT_CHARACTERS.items()}

# The work objects, by name (see the module's docstring).
PATIENTS = "patients"
TABLE = "isolates"
PSEUDONYMS = "pseudonyms"
DECISIONS = "decisions"
PHENOTYPES_OBJECT = "phenotypes"
ISOLATES_PART = "isolates_part"
_LAKE_WORK = (PSEUDONYMS, DECISIONS, PHENOTYPES_OBJECT)
PATIENTS_FORMAT = "consores-patients-1"
PSEUDONYMS_FORMAT = "consores-pseudonyms-1"

Decide = Callable[[IsolateTable, str, Sequence[str], str], dict[str, Any]]
Classify = Callable[[IsolateTable], dict[str, Any]]


def pseudonym(secret: bytes, patient_id: str) -> str:
    """HMAC-SHA256 of the normalised identifier with the establishment's secret."""
    normalised = "".join(patient_id.split()).upper()
    return hmac.new(secret, normalised.encode(), hashlib.sha256).hexdigest()


def work_key(finess: str, upload_id: str, name: str, suffix: str = ".json") -> str:
    """A work object of one import (in the raw bucket or the lake's work area, see the module's docstring)."""
    return f"work/{finess}/{upload_id}/{name}{suffix}"


def patients_object(patient_ids: Sequence[str]) -> bytes:
    """The raw identifiers' object (raw bucket only): distinct identifiers and one index per isolate."""
    index = {value: code for code, value in enumerate(dict.fromkeys(patient_ids))}
    document = {"format": PATIENTS_FORMAT, "values": list(index), "codes": list(map(index.__getitem__, patient_ids))}
    return _json(document)


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
        columnar: ColumnarLakeWriter,
        reports: ReportStore,
        year: YearDeduplication | None = None,
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
        self._columnar = columnar
        self._reports = reports
        #: The whole-year decisions, recomputed once an upload is current (None: not kept up to date).
        self._year = year

    def pseudonymise(self, message: Step) -> Step:
        """Pseudonyms for the raw identifiers' object, which goes. Reads nothing else."""
        source = message.raw_work_key or _key(message, PATIENTS)
        target = _key(message, PSEUDONYMS)
        if self._objects.head(self._raw, source) is not None:  # absent: a retry after success
            patients = _load(self._objects.get(self._raw, source), PATIENTS_FORMAT)
            secret = self._keys.secret_for(Finess(message.finess))
            with collector_paused():
                pseudonyms = [pseudonym(secret, raw) for raw in patients["values"]]
                document = {"format": PSEUDONYMS_FORMAT, "values": pseudonyms, "codes": patients["codes"]}
                self._objects.put(self._lake, target, _json(document), "application/json")
            self._objects.delete_all_versions(self._raw, source)
        return _next(message, target)

    def deduplicate(self, message: Step) -> Step:
        target = _key(message, DECISIONS)
        with collector_paused():
            table = self._table(message)
            pseudonyms = decoded(_load(self._objects.get(self._lake, _key(message, PSEUDONYMS)), PSEUDONYMS_FORMAT))
            decisions = self._decide(table, message.upload_id, pseudonyms, message.period)
            self._objects.put(self._lake, target, _json(decisions), "application/json")
        return _next(message, target)

    def phenotypes(self, message: Step) -> Step:
        target = _key(message, PHENOTYPES_OBJECT)
        with collector_paused():
            found = self._classify(self._table(message))
            self._objects.put(self._lake, target, _json(found), "application/json")
        return _next(message, target)

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
        target = _part_key(message)
        finess, upload, _ = self._subject(message)
        with collector_paused():
            table = self._table(message)
            found = json.loads(self._objects.get(self._lake, _key(message, PHENOTYPES_OBJECT)))
            known = self._known_columns(finess, upload, table, found)
            body = self._columnar.columns_parquet(PART_COLUMNS, [table.row, *(known[name] for name, _ in PART_COLUMNS[1:])])
            self._objects.put(self._lake, target, body, PARQUET)
        return _next(message, target)

    def publish(self, message: Step) -> Published:
        """The isolates file, then both files made current. The results file is the one ``publish_results``
        wrote (``results_key``, which the Parallel state hands on); absent, this task writes it.
        The isolates file joins the decisions to the columns ``prepare_isolates`` wrote; absent, to columns
        computed here."""
        finess, upload, establishment = self._subject(message)
        with collector_paused():
            table = self._table(message)
            pseudonyms = decoded(_load(self._objects.get(self._lake, _key(message, PSEUDONYMS)), PSEUDONYMS_FORMAT))
            decisions = json.loads(self._objects.get(self._lake, _key(message, DECISIONS)))
            found = json.loads(self._objects.get(self._lake, _key(message, PHENOTYPES_OBJECT)))
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
            part = _part_key(message)
            if self._objects.head(self._lake, part) is not None:
                body = self._columnar.joined_parquet(
                    ISOLATES.columns, self._objects.get(self._lake, part), "row", DECIDED_COLUMNS,
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
        self._objects.delete_all_versions(self._raw, upload.raw_key)  # imported: the raw file goes
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
        if message.raw_work_key:
            self._objects.delete_all_versions(self._raw, message.raw_work_key)
        self._objects.delete_all_versions(self._raw, _key(message, PATIENTS))
        self._clean(message)
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
        return IsolateTable.from_json(self._objects.get(self._raw, _key(message, TABLE)))

    def _clean(self, message: Step) -> None:
        self._objects.delete_all_versions(self._raw, _key(message, TABLE))
        for name in _LAKE_WORK:
            self._objects.delete_all_versions(self._lake, _key(message, name))
        self._objects.delete_all_versions(self._lake, _part_key(message))

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
            key = dataset.key(upload.period.year, establishment.region.value, establishment.finess, upload.upload_id)
            self._objects.delete_all_versions(self._lake, key)

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
        key = dataset.key(year, establishment.region.value, establishment.finess, upload_id)
        self._objects.put(self._lake, key, body, PARQUET)
        return key

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


def _key(message: Step, name: str) -> str:
    return work_key(message.finess, message.upload_id, name)


def _part_key(message: Step) -> str:
    """The isolates file's columns written by ``prepare_isolates`` (Parquet, lake bucket)."""
    return work_key(message.finess, message.upload_id, ISOLATES_PART, ".parquet")


def _json(document: Any) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def _load(data: bytes, expected: str) -> dict[str, Any]:
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("format") != expected:
        raise ValueError(f"not a {expected} object")
    return document


def _next(message: Step, key: str) -> Step:
    """The next state's input: ids and one pointer (the object just written), nothing else."""
    return Step(finess=message.finess, upload_id=message.upload_id, period=message.period, work_key=key)
