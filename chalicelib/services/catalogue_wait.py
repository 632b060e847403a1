"""Consumption files waiting on the drug catalogue (DOMAIN.md §10.4).

A consumption file whose only blocking problems are UCDs unknown to the catalogue waits
(``NEEDS_CATALOGUE``) instead of being refused, and the national team gets a catalogue ticket
listing them. When the catalogue grows (the national team's entries, the daily sync) and
once a day, every waiting upload whose UCDs all exist is processed again: reopened once
(a conditional write) and handed to the import function, which alone may read its raw file:
it copies the file onto itself, whose "object created" event runs the ordinary, idempotent
processing. Once it settles, its ticket is resolved and its sender and référent are e-mailed.
A file still waiting is processed again every few days, which also keeps its raw copy alive
past the raw bucket's 7 days; a file whose ticket the team closed without adding the UCDs,
or whose raw copy has outlived its retention, is refused with the reason.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta

from chalicelib.domain import letters
from chalicelib.domain.codes import Finess
from chalicelib.domain.drugs import CatalogueEntry, Ucd
from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.domain.imports import Problem, UploadStatus
from chalicelib.domain.tickets.model import Category, Links, TicketStatus
from chalicelib.domain.uploads import Upload, raw_expired
from chalicelib.services.context import Context
from chalicelib.services.ports import AccessStore, ImportRequests, Mailer, ReportStore, TenantStore, UploadStore
from chalicelib.services.tickets import TicketService

logger = logging.getLogger("consores.catalogue_wait")

#: A waiting file is processed again once its raw copy is this old: the raw bucket keeps objects 7 days.
REFRESH_AFTER = timedelta(days=5)
_DONE = (TicketStatus.RESOLVED, TicketStatus.CLOSED)


def ticket_id_of(upload: Upload) -> str:
    """The catalogue ticket of one waiting upload: opening it again is harmless."""
    return f"catalogue-{upload.upload_id}"


class CatalogueWait:
    def __init__(
        self,
        *,
        uploads: UploadStore,
        imports: ImportRequests,
        reports: ReportStore,
        tickets: TicketService,
        resolve: Callable[[Iterable[Ucd]], Mapping[Ucd, CatalogueEntry]],
        tenants: TenantStore,
        access: AccessStore,
        mailer: Mailer,
        context: Context,
        web_url: str,
    ) -> None:
        self._uploads = uploads
        self._imports = imports
        self._reports = reports
        self._tickets = tickets
        self._resolve = resolve
        self._tenants = tenants
        self._access = access
        self._mailer = mailer
        self._ctx = context
        self._web_url = web_url

    # While processing ----------------------------------------------------------------------
    def wait(self, upload: Upload, ucds: tuple[str, ...]) -> None:
        """Open, once, the national team's catalogue ticket listing the UCDs the upload waits for. Never raises:
        the upload waits whatever happens here, and the daily run opens a ticket a failure left unopened."""
        listed = "".join(f"\n- {ucd}" for ucd in ucds)
        body = (
            f"Le fichier de consommation « {upload.filename} » ({upload.period}) contient {len(ucds)} code(s) UCD "
            f"inconnu(s) du référentiel des médicaments :{listed}\n\nCe sont ses seules erreurs : il attend. "
            "Dès que ces codes seront ajoutés au catalogue (saisie ou synchronisation), il sera validé à nouveau "
            "automatiquement, l'établissement prévenu et cette demande résolue."
        )
        try:
            self._tickets.open_by_platform(
                Category.CATALOGUE, upload.finess.value, f"Codes UCD inconnus : {', '.join(ucds)}"[:150], body,
                Links(upload_id=upload.upload_id, period=str(upload.period), ucds=ucds), ticket_id=ticket_id_of(upload),
            )  # fmt: skip
        except Exception:
            logger.exception("catalogue ticket of upload %s not opened", upload.upload_id)

    def settled(self, upload: Upload, status: UploadStatus, why: str = "") -> None:
        """A consumption upload reached a final status: if it waited on the catalogue, its ticket is
        resolved (unless the team did) and its sender and référent are told. Never raises (the status is
        already recorded; the daily run settles what a failure here left)."""
        try:
            ticket = self._tickets.platform_ticket(ticket_id_of(upload))
            if ticket is None:
                return  # it never waited
            validated = status is UploadStatus.VALIDATED
            why = why or "Il a été traité à nouveau mais refusé : consultez son rapport d'import."
            if ticket.status not in _DONE:
                note = f"Les codes UCD sont au catalogue : le fichier « {upload.filename} » a été validé automatiquement."
                try:
                    self._tickets.resolve_by_platform(ticket.ticket_id, note if validated else why)
                except Conflict:
                    return  # resolved a moment ago by another run, which told them
            self._tell(upload, ticket.links.ucds, validated, why)
        except Exception:
            logger.exception("catalogue ticket of upload %s not settled", upload.upload_id)

    def _tell(self, upload: Upload, ucds: tuple[str, ...], validated: bool, why: str) -> None:
        establishment = self._tenants.get_establishment(upload.finess)
        referent = self._access.referent_of(upload.finess)
        to = tuple(sorted({upload.created_by.value, *([referent.value] if referent else [])}))
        link = f"{self._web_url}/#/etablissements/{upload.finess}/imports/{upload.upload_id}"
        name = establishment.name if establishment else upload.finess.value
        self._mailer.send(letters.waiting_file_settled(to, name, upload.filename, str(upload.period), ucds, validated, why, link))

    # When the catalogue grows, and once a day ----------------------------------------------
    def revalidate(self, refresh: bool = False) -> dict[str, int]:
        """Process again every waiting upload whose UCDs the catalogue now knows. The daily run (``refresh``)
        also processes again those last processed ``REFRESH_AFTER`` ago, and settles the tickets whose upload
        ended meanwhile (a catalogue write, answered within the API's time, does neither). Idempotent: an
        upload is reopened once, by one caller. Returns counts by outcome."""
        counts: Counter[str] = Counter()
        waiting = self._uploads.waiting_on_catalogue()
        known = self._resolve({code for upload in waiting for code in _codes(upload.unknown_ucds)})
        stale = (self._ctx.clock.now() - REFRESH_AFTER).isoformat(timespec="seconds") if refresh else None
        for upload in waiting:
            try:
                counts[self._again(upload, known, stale)] += 1
            except Exception:
                logger.exception("waiting upload %s not processed again", upload.upload_id)
                counts["failed"] += 1
        for ticket in self._tickets.platform_tickets(Category.CATALOGUE) if refresh else ():  # resolutions left undone
            ended = (
                self._uploads.get(Finess(ticket.finess), ticket.links.upload_id)
                if ticket.finess and ticket.links.upload_id
                else None
            )
            if ended is not None and ended.status.final:
                self.settled(ended, ended.status)
                counts["settled"] += 1
        return dict(counts)

    def _again(self, upload: Upload, known: Mapping[Ucd, CatalogueEntry], stale: str | None) -> str:
        self.wait(upload, upload.unknown_ucds)  # the ticket, if the process died before opening it
        ready = all(code in known for code in _codes(upload.unknown_ucds))
        ticket = self._tickets.platform_ticket(ticket_id_of(upload))
        if not ready and ticket is not None and ticket.status in _DONE:
            return self._refuse(
                upload, "file.catalogue_refused",
                "L'équipe nationale a clos la demande sans ajouter ces codes au référentiel : corrigez les codes UCD "
                "du fichier (ou retirez ces lignes) et déposez-le à nouveau.",
            )  # fmt: skip
        if not ready and (stale is None or upload.updated_at >= stale):
            return "waiting"
        if raw_expired(upload, self._ctx.clock.now()):
            return self._refuse(
                upload, "file.expired",
                "Le fichier envoyé n'est plus conservé (7 jours au plus) : déposez-le à nouveau.",
            )  # fmt: skip
        if not self._uploads.reopen(upload.finess, upload.upload_id, self._ctx.now_iso(), UploadStatus.NEEDS_CATALOGUE):
            return "moved"  # another run reopened it, or it settled
        self._imports.process_again(upload.raw_key)  # lost (raised): the sweeper asks again
        return "revalidated" if ready else "refreshed"

    def _refuse(self, upload: Upload, code: str, message: str) -> str:
        """The waiting upload ends REJECTED with ``message`` added to its report, if it is still as read (the
        status first: an upload another run processed meanwhile keeps its own report)."""
        report = self._reports.get(upload)
        if report is None:
            raise LookupError(f"no report for upload {upload.upload_id}")
        report.add(Problem(code, message))
        summary = {**json.loads(upload.summary_json or "{}"), "errors": len(report.errors)}
        if not self._uploads.abandon(upload, UploadStatus.REJECTED.value, self._ctx.now_iso(), json.dumps(summary),
                                     "ERR_FILE_REJECTED"):  # fmt: skip
            return "moved"
        self._reports.put(upload, report)
        self._ctx.audit(
            upload.created_by.value, "upload.rejected", f"establishment:{upload.finess}/upload:{upload.upload_id}",
            {"status": UploadStatus.NEEDS_CATALOGUE.value}, {"status": UploadStatus.REJECTED.value, "reason": code},
        )  # fmt: skip
        self.settled(upload, UploadStatus.REJECTED, message)
        return "refused"


def _codes(texts: Iterable[str]) -> list[Ucd]:
    found = []
    for text in texts:
        try:
            found.append(Ucd.parse(text))
        except DomainError:
            logger.warning("waiting upload lists a malformed UCD %r", text)
    return found


__all__ = ["REFRESH_AFTER", "CatalogueWait", "ticket_id_of"]
