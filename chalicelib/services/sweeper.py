"""Every upload reaches a terminal status (DOMAIN.md §10.2).

An upload left PENDING, PROCESSING, or VALIDATED while its antibiogram workflow runs,
beyond the time its step can take, died with the machine or the function that held it.
The sweeper (a scheduled job in both runtimes, and the embedded runtime at each start)
settles it: an upload that did become current is recorded as done; any other is FAILED
with a French message, its raw file (patient identifiers) and work objects deleted, and
the establishment sends it again. Each change is conditional on the upload being as read,
so an import that was slow but alive keeps its own outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.imports import FileType, Problem, Report, Severity, UploadStatus
from chalicelib.domain.uploads import RAW_KEPT_DAYS, Upload, pointer_periods
from chalicelib.services.context import Context
from chalicelib.services.following_stores import FollowingStores
from chalicelib.services.ports import CurrentDataset, RawStore, ReportStore, UploadStore, WorkObjects
from chalicelib.services.year_dedup import YearDeduplication

#: How long an upload may stay unfinished: the presigned POST lasts 15 minutes, on_upload
#: 15 minutes at most, the antibiogram workflow a few task timeouts.
LIMITS = {
    UploadStatus.PENDING: timedelta(hours=2),
    UploadStatus.PROCESSING: timedelta(minutes=30),
    UploadStatus.VALIDATED: timedelta(hours=4),
}
INTERRUPTED = "ERR_INTERRUPTED"
#: A PENDING upload whose file is there gets its event again for so long (then it is given up).
EVENT_RETRIES_FOR = timedelta(days=1)
RECOVERED = (
    "Le fichier a été importé, mais le traitement a été interrompu juste après : le détail de ses contrôles n'a pas "
    "pu être conservé. Ses données sont bien prises en compte."
)
#: A PENDING upload processed once then reopened (a resume, a catalogue revalidation) whose file went meanwhile.
REOPENED = (
    f"Le fichier devait être traité à nouveau, mais il n'est plus disponible (conservé {RAW_KEPT_DAYS} jours au plus) : "
    "rien n'a été importé. Déposez-le à nouveau."
)
MESSAGES = {
    UploadStatus.PENDING: "Le fichier n'est jamais arrivé (l'autorisation d'envoi a expiré) : rien n'a été importé. "
    "Déposez-le à nouveau.",
    UploadStatus.PROCESSING: "Le traitement de ce fichier a été interrompu avant d'aboutir : rien n'a été importé et les "
    "données déjà déposées sont conservées. Déposez-le à nouveau.",
    UploadStatus.VALIDATED: "Le dédoublonnage de ces antibiogrammes a été interrompu avant d'aboutir : rien n'a été "
    "importé et les données déjà déposées sont conservées. Déposez le fichier à nouveau.",
}


@dataclass(kw_only=True)
class UploadSweeper:
    uploads: UploadStore
    raw: RawStore
    work: WorkObjects
    ctx: Context
    #: Structure and beds written again from the current files (None: not wired, e.g. in a test).
    following: FollowingStores | None = None
    #: The whole-year decisions of the antibiograms, recomputed for one that became current (None: not wired).
    year: YearDeduplication | None = None
    reports: ReportStore

    def sweep(self, interrupted: bool = False) -> int:
        """Settle every upload stuck beyond its limit; returns how many were settled.

        ``interrupted``: the embedded runtime has just started again, so whatever was being
        processed died with the previous process (a PENDING upload may still receive its file).
        """
        now = self.ctx.clock.now()
        settled = 0
        cutoff = now + timedelta(milliseconds=1)  # whatever changed up to now
        for upload in self.uploads.unfinished(cutoff.isoformat(timespec="milliseconds")):
            limit = timedelta(0) if interrupted and upload.status is not UploadStatus.PENDING else LIMITS[upload.status]
            if datetime.fromisoformat(upload.updated_at) > now - limit:
                continue
            settled += self._settle(upload)
        return settled

    def _settle(self, upload: Upload) -> int:
        if self._event_lost(upload):
            # Its file is there but no event came (a resume or a catalogue revalidation cut between its reopening
            # and the copy that makes the event): the copy again, and the ordinary processing follows.
            self.raw.touch(upload.raw_key)
            return 0
        current = self._current(upload)
        at = self.ctx.now_iso()
        if current is not None and upload.status is not UploadStatus.PENDING:
            # It became current: only its last bookkeeping, and perhaps the stores that follow it, were lost.
            if self.following is not None:
                self.following.restore(upload, current)
            if self.year is not None and upload.file_type is FileType.RESISTANCE:  # its whole-year decisions too
                self.year.recompute_quietly(upload.finess, upload.period.year)
            done = UploadStatus.DEDUPLICATED if upload.file_type is FileType.RESISTANCE else UploadStatus.VALIDATED
            if not self.uploads.abandon(upload, done.value, at, upload.summary_json, None):
                return 0
            if self.reports.get(upload) is None:
                recovered = Report()
                recovered.add(Problem("upload.recovered", RECOVERED, severity=Severity.WARNING))
                self.reports.put(upload, recovered)
            self._forget_raw(upload)
            self._audit(upload, done)
            return 1
        summary = {"rows_read": 0, "rows_accepted": 0, "errors": 1, "warnings": 0}
        if not self.uploads.abandon(upload, UploadStatus.FAILED.value, at, json.dumps(summary), INTERRUPTED):
            return 0
        report = Report()
        report.add(Problem("upload.interrupted", REOPENED if _reopened(upload) else MESSAGES[upload.status]))
        self.reports.put(upload, report)
        self._forget_raw(upload)
        self._audit(upload, UploadStatus.FAILED)
        return 1

    def _event_lost(self, upload: Upload) -> bool:
        """A PENDING upload changed within a day whose raw file exists (beyond a day: given up, as one never sent)."""
        if upload.status is not UploadStatus.PENDING:
            return False
        recent = datetime.fromisoformat(upload.updated_at) > self.ctx.clock.now() - EVENT_RETRIES_FOR
        return recent and self.raw.head(upload.raw_key) is not None

    def _current(self, upload: Upload) -> CurrentDataset | None:
        """The pointer naming this upload, if its data became current (a year file of quarters: any quarter's)."""
        for period in pointer_periods(upload):
            found = self.uploads.current(upload.finess, upload.file_type.value, str(period))
            if found is not None and found.upload_id == upload.upload_id:
                return found
        return None

    def _forget_raw(self, upload: Upload) -> None:
        """The raw file (patient identifiers) and the import's work objects go."""
        self.raw.delete(upload.raw_key)
        self.work.delete_all(str(upload.finess), upload.upload_id)  # whatever wrote them (an earlier format too)

    def _audit(self, upload: Upload, status: UploadStatus) -> None:
        self.ctx.audit(
            "system", f"upload.{status.value.lower()}", f"establishment:{upload.finess}/upload:{upload.upload_id}",
            {"status": upload.status.value, "updated_at": upload.updated_at}, {"status": status.value, "by": "sweeper"},
        )  # fmt: skip


def _reopened(upload: Upload) -> bool:
    """Processed once (a version claimed), then reopened to be processed again."""
    return upload.status is UploadStatus.PENDING and upload.version_id is not None
