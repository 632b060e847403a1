"""Uploads, from the presigned POST to the report (DOMAIN.md §4, API.md "Uploads").

The browser sends the file straight to S3; the "object created" event calls
``process_object``, which validates through the file type's processor, writes
the accepted rows to the lake, points the establishment's current data at them
(replacing an earlier upload of the same type and period atomically) and
records the report.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.errors import Conflict, DomainError, InvalidInput, NotFound, PeriodClosed, Superseded, Unprocessable
from chalicelib.domain.imports import FileType, Problem, Report, Severity, UploadStatus
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.domain.tenants import Establishment
from chalicelib.domain.uploads import (
    RAW_KEPT_DAYS,
    Upload,
    check_size,
    content_type_for,
    parse_raw_key,
    pointer_periods,
    raw_expired,
    raw_key,
    size_limit,
    superseded_message,
)
from chalicelib.services.batch import collector_paused
from chalicelib.services.context import Context
from chalicelib.services.file_processing import CatalogueWaiting, FileProcessor, Validation
from chalicelib.services.following_stores import FollowingStores
from chalicelib.services.guard import Guard
from chalicelib.services.ports import (
    ImportRequests,
    KeptRows,
    PeriodStatusStore,
    RawStore,
    ReportStore,
    SettingsStore,
    SheetLike,
    SpreadsheetReader,
    TenantStore,
    UploadStore,
)

logger = logging.getLogger("consores.uploads")
POST_EXPIRY = timedelta(minutes=15)


class UploadService:
    def __init__(
        self,
        *,
        uploads: UploadStore,
        tenants: TenantStore,
        periods: PeriodStatusStore,
        settings: SettingsStore,
        raw: RawStore,
        imports: ImportRequests,
        reader: SpreadsheetReader,
        processors: Mapping[FileType, FileProcessor],
        guard: Guard,
        context: Context,
        max_bytes: int | None = None,
        following: FollowingStores | None = None,
        reports: ReportStore,
        catalogue_wait: CatalogueWaiting | None = None,
    ) -> None:
        self._catalogue_wait = catalogue_wait
        self._following = following
        self._reports = reports
        self._uploads = uploads
        self._tenants = tenants
        self._periods = periods
        self._settings = settings
        self._raw = raw
        self._imports = imports
        self._reader = reader
        self._processors = processors
        self._guard = guard
        self._ctx = context
        self._max_bytes = max_bytes  # None: each file type's own limit (domain/uploads.size_limit)

    # Creating an upload ----------------------------------------------------
    def create(
        self, caller: Principal, finess: str, file_type: str, period: str, filename: str, size: int, laboratory_id: str | None
    ) -> tuple[Upload, dict[str, Any], str]:
        """Record a PENDING upload and return it with its presigned POST and expiry.

        Raises NotFound/Forbidden (rights), InvalidInput (type, period, name,
        periodicity), TooLarge, Conflict (closed period).
        """
        kind = _file_type(file_type)
        establishment = self._guard.establishment(caller, kind.action, finess)
        when = Period.parse(period)
        if kind not in self._processors:
            raise Unprocessable(f"L'import des fichiers de {kind.label} n'est pas encore disponible.")
        content_type = content_type_for(filename)
        check_size(size, self._limit(kind))
        self._check_periodicity(establishment, kind, when)
        if self._periods.is_closed(establishment.finess, str(when)):
            raise PeriodClosed(f"La période {when} est clôturée ou en cours de clôture : aucun import ne peut la modifier.")
        upload_id = self._ctx.ids.new_id()
        now = self._ctx.now_iso()
        key = raw_key(establishment.finess, kind, when, upload_id, filename)
        upload = Upload(
            upload_id,
            establishment.finess,
            kind,
            when,
            filename,
            size,
            UploadStatus.PENDING,
            caller.email,
            now,
            now,
            key,
            laboratory_id,
        )
        self._uploads.create(upload)
        post = self._raw.presigned_post(key, content_type, self._limit(kind), int(POST_EXPIRY.total_seconds()))
        expires_at = (self._ctx.clock.now() + POST_EXPIRY).isoformat(timespec="seconds")
        return upload, post, expires_at

    def _check_periodicity(self, establishment: Establishment, kind: FileType, when: Period) -> None:
        setting = kind.periodicity_setting
        if setting is None:
            if when.quarter is not None:
                raise InvalidInput(f"Le fichier de {kind.label} est annuel : indiquez l'année ({when.year}).")
            return
        chosen = (self._settings.periodicities(establishment.finess, when.year) or {}).get(setting)
        if chosen is None:
            return  # the first file of the year accepted sets it (``_adopt_periodicity``): a refused one never does
        if kind is not FileType.RESISTANCE and when.quarter is None and chosen == Periodicity.QUARTER.value:
            return  # a year file of a quarterly establishment: its rows carry the quarters, each imported apart
        if Periodicity(chosen) is not when.periodicity:
            expected = "trimestrielle (2025-T1…)" if chosen == Periodicity.QUARTER.value else "annuelle (2025)"
            raise InvalidInput(
                f"La période {when} ne correspond pas à la périodicité choisie pour {when.year} : {expected}.",
                details=[{"field": "period", "value": str(when)}],
                code="ERR_PERIODICITY",
            )

    def _adopt_periodicity(self, upload: Upload, periods: tuple[Period, ...]) -> None:
        """The first file of a year accepted sets its periodicity (the référent can change it in the settings).

        Only an accepted import does: a refused file changes no setting.
        """
        setting = upload.file_type.periodicity_setting
        if setting is None:
            return
        current = self._settings.periodicities(upload.finess, upload.period.year) or {}
        if current.get(setting) is None:
            held = Periodicity.QUARTER if any(p.quarter is not None for p in periods) else Periodicity.YEAR
            self._settings.put_periodicities(upload.finess, upload.period.year, {**current, setting: held.value})

    def _limit(self, kind: FileType) -> int:
        return self._max_bytes if self._max_bytes is not None else size_limit(kind)

    # Reading ---------------------------------------------------------------
    def list(self, caller: Principal, finess: str, file_type: str | None, period: str | None) -> list[Upload]:
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        return self._uploads.list_uploads(establishment.finess, file_type, str(Period.parse(period)) if period else None)

    def get(self, caller: Principal, finess: str, upload_id: str) -> tuple[Upload, dict[str, Any]]:
        """The upload and its full report (``{}`` while not processed)."""
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        upload = self._uploads.get(establishment.finess, upload_id)
        if upload is None:
            raise NotFound("Import introuvable.")
        report: dict[str, Any] = {}
        if upload.status.final or upload.status.waiting:
            report = self._report(upload).as_dict()
        return upload, report

    # Processing ----------------------------------------------------------------
    def process_object(self, bucket: str, key: str, version_id: str | None) -> UploadStatus | None:
        """Handle one "object created" event. Idempotent on bucket + key + version.

        Returns the final status, or None when the event was ignored (unknown
        key, duplicate delivery).
        """
        target = parse_raw_key(key)
        if not self._raw.owns(bucket) or target is None:
            logger.warning("ignored object %s/%s: not an upload key", bucket, key)
            return None
        upload = self._uploads.get(target.finess, target.upload_id)
        if upload is None or upload.raw_key != key:
            logger.warning("ignored object %s/%s: no such upload", bucket, key)
            return None
        return self._claimed(upload, version_id)

    def _claimed(self, upload: Upload, version_id: str | None) -> UploadStatus | None:
        """Process the upload once claimed (PENDING -> PROCESSING, one claimant); None when another claimed it."""
        version = version_id or "null"
        if not self._uploads.claim(upload.finess, upload.upload_id, version, self._ctx.now_iso()):
            logger.info("upload %s already claimed; duplicate event ignored", upload.upload_id)
            return None
        upload = replace(upload, version_id=version, status=UploadStatus.PROCESSING)
        try:
            with collector_paused():
                return self._process(upload)
        except Exception:
            logger.exception("upload %s failed", upload.upload_id)
            if self._committed(upload):
                return self._settle_committed(upload)
            report = Report()
            report.add(
                Problem("internal", "Erreur interne pendant le traitement du fichier : réessayez ou contactez le support.")
            )
            self._finish(upload, UploadStatus.FAILED, report, None, "ERR_INTERNAL", rows=None)
            return UploadStatus.FAILED

    def _process(self, upload: Upload) -> UploadStatus:
        establishment = self._tenants.get_establishment(upload.finess)
        assert establishment is not None
        version = None if upload.version_id == "null" else upload.version_id
        head = self._raw.head(upload.raw_key, version)
        if head is None:
            return self._reject(
                upload, "file.missing",
                f"Le fichier envoyé n'est plus disponible (conservé {RAW_KEPT_DAYS} jours au plus) : déposez-le à nouveau.",
            )  # fmt: skip
        limit = self._limit(upload.file_type)
        if head["size"] > limit:
            size = head["size"] / 1_048_576
            return self._reject(
                upload, "file.too_large", f"Le fichier fait {size:.1f} Mo : la taille maximale est de {limit / 1_048_576:.0f} Mo."
            )
        try:
            sheet = self._reader.read(self._raw.get(upload.raw_key, version), upload.filename)
        except DomainError as error:
            return self._reject(upload, "file.unreadable", error.message)
        processor = self._processors[upload.file_type]
        validation = processor.validate(upload, establishment, sheet)
        if validation.report.accepted and validation.needs_mapping:
            self._finish(
                upload,
                UploadStatus.NEEDS_MAPPING,
                validation.report,
                validation.header_row,
                None,
                sheet,
                validation.masked_columns,
            )
            return UploadStatus.NEEDS_MAPPING  # the raw file stays until resumed (7 days at most)
        waiting_for = self._waits_on_catalogue(upload, validation.report)
        if waiting_for and self._catalogue_wait is not None:
            self._finish(
                upload, UploadStatus.NEEDS_CATALOGUE, validation.report, validation.header_row, None, sheet,
                validation.masked_columns, {"unknown_ucds": list(waiting_for)},
            )  # fmt: skip
            self._catalogue_wait.wait(upload, waiting_for)
            return UploadStatus.NEEDS_CATALOGUE  # the raw file stays; processed again once the UCDs exist
        if not validation.report.accepted:
            self._finish(
                upload,
                UploadStatus.REJECTED,
                validation.report,
                validation.header_row,
                "ERR_FILE_REJECTED",
                sheet,
                validation.masked_columns,
            )
            return UploadStatus.REJECTED
        periods = validation.periods or (upload.period,)
        closed = [p for p in periods if p != upload.period and self._periods.is_closed(upload.finess, str(p))]
        if closed:
            validation.report.add(Problem("period.closed", _closed_quarters_message(closed)))
            self._finish(
                upload, UploadStatus.REJECTED, validation.report, validation.header_row, "ERR_PERIOD_CLOSED", sheet,
                validation.masked_columns,
            )  # fmt: skip
            return UploadStatus.REJECTED
        if self._periods.is_closed(upload.finess, str(upload.period)):
            validation.report.add(Problem("period.closed", f"La période {upload.period} a été clôturée pendant l'import."))
            self._finish(
                upload,
                UploadStatus.REJECTED,
                validation.report,
                validation.header_row,
                "ERR_PERIOD_CLOSED",
                sheet,
                validation.masked_columns,
            )
            return UploadStatus.REJECTED
        if getattr(processor, "asynchronous", False):
            # The workflow takes over and ends the import: record VALIDATED first so
            # that its DEDUPLICATED can never be overwritten; it removes the raw file.
            self._finish(
                upload, UploadStatus.VALIDATED, validation.report, validation.header_row, None, sheet, validation.masked_columns
            )
            processor.publish(upload, establishment, validation)
            self._adopt_periodicity(upload, periods)
            return UploadStatus.VALIDATED
        # The report first: once the data is current, only the status remains to write (DOMAIN.md §10.2).
        self._write_report(upload, validation.report, validation.header_row, sheet, validation.masked_columns)
        try:
            processor.publish(upload, establishment, validation)
        except Superseded as newer:
            validation.report.add(
                Problem("upload.superseded", superseded_message(upload, self._uploads.get(upload.finess, newer.newer_upload_id)))
            )
            self._finish(
                upload, UploadStatus.REJECTED, validation.report, validation.header_row, Superseded.code, sheet,
                validation.masked_columns,
            )  # fmt: skip
            return UploadStatus.REJECTED
        except PeriodClosed as closing:
            # The closure began while this file was being read: it is refused, never committed after.
            message = f"La période {upload.period} a été clôturée pendant l'import."
            validation.report.add(Problem("period.closed", closing.message if periods != (upload.period,) else message))
            self._finish(
                upload, UploadStatus.REJECTED, validation.report, validation.header_row, "ERR_PERIOD_CLOSED", sheet,
                validation.masked_columns,
            )  # fmt: skip
            return UploadStatus.REJECTED
        self._adopt_periodicity(upload, periods)
        self._record(upload, UploadStatus.VALIDATED, _counts(validation.report.as_dict(), upload), None)
        self._raw.delete(upload.raw_key)  # accepted: the raw file goes
        return UploadStatus.VALIDATED

    def _waits_on_catalogue(self, upload: Upload, report: Report) -> tuple[str, ...]:
        """The UCDs a consumption file waits for (DOMAIN.md §10.4); none for a period already closed."""
        if upload.file_type is not FileType.CONSUMPTION or self._periods.is_closed(upload.finess, str(upload.period)):
            return ()
        return report.waits_on_catalogue()

    def _committed(self, upload: Upload) -> bool:
        """Whether the upload's data became current (then it is imported, whatever failed after).

        Raises when that cannot be known: the upload stays PROCESSING and the sweeper decides.
        """
        if upload.file_type is FileType.RESISTANCE:
            return False  # its workflow makes it current and records it
        return any(
            (current := self._uploads.current(upload.finess, upload.file_type.value, str(period))) is not None
            and current.upload_id == upload.upload_id
            for period in pointer_periods(upload)
        )

    def _settle_committed(self, upload: Upload) -> UploadStatus:
        """The data is current: the stores that follow it written again, the upload recorded VALIDATED
        with the report written before, and its raw file dropped."""
        current = self._uploads.current(upload.finess, upload.file_type.value, str(upload.period))
        if self._following is not None and current is not None:
            self._following.restore(upload, current)
        content = self._report(upload).as_dict()
        self._record(upload, UploadStatus.VALIDATED, _counts(content, upload), None)
        self._raw.delete(upload.raw_key)
        return UploadStatus.VALIDATED

    def resume(self, caller: Principal, finess: str, upload_id: str) -> Upload:
        """Process a NEEDS_MAPPING upload again once its labels are mapped, without a new upload (a
        NEEDS_CATALOGUE one is processed again by itself: services/catalogue_wait.py).

        The upload is reopened and handed to the import function (``process_again``), which alone may read
        the raw file: it copies it onto itself, and the new version's "object created" event runs the
        ordinary, idempotent processing.
        """
        upload, _ = self.get(caller, finess, upload_id)
        self._guard.establishment(caller, upload.file_type.action, finess)
        if upload.status is not UploadStatus.NEEDS_MAPPING:
            raise Conflict("Seul un import en attente de correspondances peut être repris.", code="ERR_NOT_WAITING")
        if raw_expired(upload, self._ctx.clock.now()):
            raise Conflict(
                f"Le fichier n'est plus disponible (conservé {RAW_KEPT_DAYS} jours) : renvoyez-le.", code="ERR_RAW_EXPIRED"
            )
        if not self._uploads.reopen(upload.finess, upload.upload_id, self._ctx.now_iso(), UploadStatus.NEEDS_MAPPING):
            raise Conflict("Cet import est déjà repris.", code="ERR_NOT_WAITING")
        try:
            self._imports.process_again(upload.raw_key)
        except Exception:  # reopened all the same: the sweeper sends its file again (sweeper.py, _event_lost)
            logger.exception("upload %s reopened but not sent to be processed again", upload.upload_id)
        return replace(upload, status=UploadStatus.PENDING)

    def process_again(self, key: str) -> UploadStatus | None:
        """The import function's half of a resume or a revalidation: the reopened upload's raw file is copied onto
        itself, and its "object created" event runs the ordinary processing (the file written again keeps
        it for another retention period). A file gone meanwhile ends the upload REJECTED at once. Ignored (None)
        unless the key names an upload processed once and reopened, waiting (PENDING): a request delivered twice,
        or one naming an upload whose file the browser has not sent yet, does nothing."""
        target = parse_raw_key(key)
        upload = self._uploads.get(target.finess, target.upload_id) if target else None
        reopened = upload is not None and upload.version_id is not None  # processed once, then reopened
        if upload is None or not reopened or upload.raw_key != key or upload.status is not UploadStatus.PENDING:
            logger.warning("request to process %s again ignored: no reopened upload waiting for it", key)
            return None
        if self._raw.head(key) is None:
            return self._claimed(upload, None)  # refused: the file is gone
        self._raw.touch(key)
        return UploadStatus.PENDING

    def _reject(self, upload: Upload, code: str, message: str) -> UploadStatus:
        report = Report()
        report.add(Problem(code, message))
        self._finish(upload, UploadStatus.REJECTED, report, None, "ERR_FILE_REJECTED", None, why=message)
        return UploadStatus.REJECTED

    def _finish(
        self,
        upload: Upload,
        status: UploadStatus,
        report: Report,
        header_row: int | None,
        error: str | None,
        rows: SheetLike | None,
        masked: frozenset[int] = frozenset(),
        kept: Mapping[str, Any] | None = None,
        why: str = "",
    ) -> None:
        """Write the report, then record the status with its counts (and ``kept``, more facts for the record;
        ``why``, the one reason of a file refused as a whole)."""
        self._write_report(upload, report, header_row, rows, masked)
        self._record(upload, status, {**_counts(report.as_dict()), **(kept or {})}, error, why)

    def _write_report(
        self, upload: Upload, report: Report, header_row: int | None, rows: SheetLike | None, masked: frozenset[int]
    ) -> None:
        """The report and the rows kept for its annotated copy, read once the status says so."""
        self._reports.put(upload, report)
        kept_rows, kept_numbers = _rows_to_annotate(rows, header_row, report, masked)
        self._reports.put_rows(upload, KeptRows(header_row, kept_rows, kept_numbers))

    def _report(self, upload: Upload) -> Report:
        """The report written when the upload was processed (there is one once its status says so)."""
        report = self._reports.get(upload)
        if report is None:
            raise LookupError(f"no report for upload {upload.upload_id}")
        return report

    def _record(self, upload: Upload, status: UploadStatus, summary: dict[str, Any], error: str | None, why: str = "") -> None:
        """The upload's status and counts, audited."""
        self._uploads.finish(upload.finess, upload.upload_id, status.value, self._ctx.now_iso(), json.dumps(summary), error)
        self._ctx.audit(
            upload.created_by.value,
            f"upload.{status.value.lower()}",
            f"establishment:{upload.finess}/upload:{upload.upload_id}",
            {"status": UploadStatus.PROCESSING.value},
            {"status": status.value, "type": upload.file_type.value, "period": str(upload.period), **summary},
        )
        if status.final and upload.file_type is FileType.CONSUMPTION and self._catalogue_wait is not None:
            self._catalogue_wait.settled(upload, status, why)  # a file that waited on the catalogue: its ticket, its people


def _counts(report: dict[str, Any], imported: Upload | None = None) -> dict[str, Any]:
    """The counts an upload's record keeps from its report; for an ``imported`` year file that
    held quarters, the periods it made current (``Upload.periods``)."""
    counts: dict[str, Any] = {
        "rows_read": int(report.get("rows_read") or 0),
        "rows_accepted": int(report.get("rows_accepted") or 0),
        "errors": len(report.get("errors") or ()),
        "warnings": len(report.get("warnings") or ()),
    }
    periods = (report.get("summary") or {}).get("periods") or []
    if imported is not None and periods and periods != [str(imported.period)]:
        counts["periods"] = [str(p) for p in periods]
    return counts


#: Beyond this many rows, the annotated copy keeps the header and the rows with a problem only.
ANNOTATE_ALL_ROWS_UP_TO = 5_000


def _rows_to_annotate(
    sheet: SheetLike | None, header_row: int | None, report: Report, masked: frozenset[int] = frozenset()
) -> tuple[list[list[str]], list[int]]:
    """The rows worth annotating: none for a clean file; all of a small file;
    the header and the rows with a problem for a large one (writing 60,000
    rows of XLSX costs seconds that a clean import should not pay). Masked
    columns (patient identifiers) are blanked below the header."""
    if sheet is None or not report.problems:
        return [], []
    if len(sheet.rows) <= ANNOTATE_ALL_ROWS_UP_TO:
        kept = list(zip(sheet.rows, sheet.row_numbers, strict=True))
    else:
        wanted = {p.row for p in report.problems if p.row is not None} | ({header_row} if header_row else set())
        kept = [(row, number) for row, number in zip(sheet.rows, sheet.row_numbers, strict=True) if number in wanted]
    if masked:
        kept = [(row if number == header_row else _mask(row, masked), number) for row, number in kept]
    return [row for row, _ in kept], [number for _, number in kept]


def _mask(row: list[str], masked: frozenset[int]) -> list[str]:
    return [("(masqué)" if cell.strip() else "") if index in masked else cell for index, cell in enumerate(row)]


def _closed_quarters_message(closed: list[Period]) -> str:
    named = ", ".join(str(p) for p in closed)
    verb = "est clôturée" if len(closed) == 1 else "sont clôturées"
    return (
        f"Ce fichier contient des lignes de {'la période' if len(closed) == 1 else 'périodes'} {named}, qui {verb} : "
        "aucune période de ce fichier n'a été importée. Retirez ces lignes et déposez à nouveau le fichier, ou demandez "
        "une réouverture à l'équipe nationale."
    )


def _file_type(raw: str) -> FileType:
    try:
        return FileType(raw)
    except ValueError as exc:
        allowed = ", ".join(t.value for t in FileType)
        raise InvalidInput(
            f"Type de fichier inconnu : « {raw} » (valeurs possibles : {allowed}).", details=[{"field": "type"}]
        ) from exc


__all__ = ["FileProcessor", "Severity", "UploadService", "Validation"]
