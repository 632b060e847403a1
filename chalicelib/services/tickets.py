"""Support tickets (DOMAIN.md §10.9, API.md "Tickets"): opening, the thread, attachments, statuses, the
inbox of each team, and the reopening a national team accepts.

A ticket the caller may not see does not exist for them (404, whatever its id). Every write is made over
the version read (``TicketStore.save``): when another change came first, the ticket is read again and the
change decided again, so that two replies or two status changes at once are both kept, or the second
refused when it no longer applies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.domain.access import Status
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from chalicelib.domain.tenants import all_regions
from chalicelib.domain.tickets.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    attachment_filename,
    attachment_type,
    check_attachment_size,
)
from chalicelib.domain.tickets.model import (
    MESSAGES_PER_HOUR,
    PLATFORM_AUTHOR,
    Attachment,
    Category,
    Links,
    Message,
    Ticket,
    TicketStatus,
    body_of,
    category_of,
    links_of,
    status_of,
    subject_of,
)
from chalicelib.domain.tickets.teams import (
    TRANSITIONS,
    in_team,
    may_set,
    oversees_all,
    owning_team,
    sees,
    status_after_reply,
    team_label,
    team_of,
    team_region,
)
from chalicelib.services.closure import ClosureService
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import TenantStore, UploadStore
from chalicelib.services.ports.tickets import TicketFiles, TicketStore
from chalicelib.services.throttle import Throttle
from chalicelib.services.ticket_mail import TicketMail

logger = logging.getLogger("consores.tickets")

#: How many times a change is decided again when another one came first.
ATTEMPTS = 8
POST_EXPIRY = timedelta(minutes=15)
URL_SECONDS = 300
NOT_FOUND = "Demande introuvable."
REGION_NAMES = {r.code: r.name for r in all_regions()}


@dataclass(frozen=True)
class Download:
    url: str
    filename: str
    expires_in: int = URL_SECONDS


#: Statuses after which a ticket waits on nobody.
DONE = (TicketStatus.RESOLVED, TicketStatus.CLOSED)
#: Tickets one person may have waiting at once (a sign-up cannot make the platform e-mail the teams at will).
MAX_OPEN_PER_AUTHOR = 10


class TicketService:
    def __init__(
        self,
        *,
        tickets: TicketStore,
        files: TicketFiles,
        tenants: TenantStore,
        uploads: UploadStore,
        closure: ClosureService,
        mail: TicketMail,
        guard: Guard,
        context: Context,
        throttle: Throttle,
    ) -> None:
        self._throttle = throttle
        self._tickets = tickets
        self._files = files
        self._tenants = tenants
        self._uploads = uploads
        self._closure = closure
        self._mail = mail
        self._guard = guard
        self._ctx = context

    # Opening -----------------------------------------------------------------------------------
    def open(self, caller: Principal, values: Mapping[str, Any]) -> dict[str, Any]:
        """Open a ticket for the caller, on one of the establishments they see (or none). Raises InvalidInput,
        NotFound (an establishment or an upload they do not see)."""
        category = category_of(values.get("category"))
        subject, body, links = subject_of(values.get("subject")), body_of(values.get("body")), links_of(values.get("links"))
        pending = [t for t in self._tickets.of_author(caller.email.value) if t.status not in DONE]
        if len(pending) >= MAX_OPEN_PER_AUTHOR:
            raise TooManyRequests(
                f"Vous avez déjà {len(pending)} demandes en cours : attendez leur réponse ou fermez celles qui sont réglées "
                "avant d'en ouvrir une nouvelle."
            )
        finess = values.get("finess")
        establishment = self._guard.establishment(caller, Action.VIEW_ESTABLISHMENT, finess) if finess else None
        self._check_links(establishment.finess if establishment else None, links)
        if category is Category.REOPENING and (establishment is None or links.period is None):
            raise InvalidInput(
                "Une demande de réouverture indique l'établissement et la période à rouvrir.",
                details=[{"field": "links.period" if establishment else "finess"}],
            )
        ticket = self._opened(caller.email.value, category, subject, body, establishment, links)
        return {"ticket_id": ticket.ticket_id, "status": ticket.status.value, "team": ticket.team}

    def open_by_platform(
        self, category: Category, finess: str, subject: str, body: str, links: Links, ticket_id: str | None = None
    ) -> Ticket:
        """A ticket the platform opens itself (a consumption file waiting on the catalogue, for instance).
        With ``ticket_id`` (one derived from what it is about, e.g. the upload), opening again is harmless:
        the ticket already opened is returned, nobody e-mailed twice (a workflow's retried step)."""
        establishment = self._guard.existing(finess)
        if ticket_id is not None and (found := self._tickets.get(ticket_id)) is not None:
            return found
        return self._opened(PLATFORM_AUTHOR, category, subject_of(subject), body_of(body), establishment, links, ticket_id)

    def platform_ticket(self, ticket_id: str) -> Ticket | None:
        """A ticket the platform opened (with the id it derived), whatever its status; None otherwise."""
        found = self._tickets.get(ticket_id)
        return found if found is not None and found.author == PLATFORM_AUTHOR else None

    def platform_tickets(self, category: Category) -> list[Ticket]:
        """The tickets the platform opened in ``category`` and nobody resolved or closed yet (those a catalogue
        update may resolve once their UCDs all exist)."""
        return [t for t in self._tickets.of_author(PLATFORM_AUTHOR) if t.category is category and t.status not in DONE]

    def _opened(
        self, author: str, category: Category, subject: str, body: str, establishment: Any, links: Links,
        ticket_id: str | None = None,
    ) -> Ticket:  # fmt: skip
        now = self._ctx.now_iso()
        team = owning_team(category, establishment.region if establishment else None)
        finess = establishment.finess.value if establishment else None
        ticket = Ticket(ticket_id or self._ctx.ids.new_id(), category, subject, TicketStatus.OPEN, team, finess, author, now,
                        now, links)  # fmt: skip
        message = Message(1, author, body, now)
        if not self._tickets.save(ticket, message):
            if ticket_id is not None and (found := self._tickets.get(ticket_id)) is not None:
                return found  # opened at the same moment by the same step run twice
            raise Conflict("Cette demande existe déjà.")
        self._ctx.audit(author, "ticket.open", f"ticket:{ticket.ticket_id}", None, _summary(ticket))
        self._mail.opened(ticket, message, establishment.name if establishment else None)
        return ticket

    def _check_links(self, finess: Finess | None, links: Links) -> None:
        if links.upload_id is None:
            return
        if finess is None or self._uploads.get(finess, links.upload_id) is None:
            raise InvalidInput("Dépôt inconnu pour cet établissement.", details=[{"field": "links.upload_id"}])

    # Reading -----------------------------------------------------------------------------------
    def listing(self, caller: Principal, status: str | None, finess: str | None, team: str | None) -> list[dict[str, Any]]:
        """The tickets the caller sees, the last changed first, filtered. Raises InvalidInput (a filter)."""
        wanted = status_of(status) if status else None
        found = [t for t in self._visible(caller, finess, team) if wanted in (None, t.status)]
        names: dict[str, str | None] = {}  # each establishment's name read once
        return [self._document(caller, t, names) for t in found]

    def counts(self, caller: Principal, finess: str | None, team: str | None) -> dict[str, int]:
        """How many tickets the caller sees in each status (the same filters as ``list`` but the status)."""
        found = self._visible(caller, finess, team)
        return {s.value: sum(1 for t in found if t.status is s) for s in TicketStatus}

    def _visible(self, caller: Principal, finess: str | None, team: str | None) -> list[Ticket]:
        wanted_team = team_of(team) if team else None
        if oversees_all(caller):
            candidates = self._tickets.all()
        else:
            pool = {t.ticket_id: t for t in self._tickets.of_author(caller.email.value)}
            for code, member in caller.memberships.items():
                if member is Status.REFERENT:
                    pool.update((t.ticket_id, t) for t in self._tickets.of_establishment(code.value))
            for region in caller.regions():
                pool.update((t.ticket_id, t) for t in self._tickets.of_team(f"region:{region.value}"))
            candidates = sorted(pool.values(), key=lambda t: (t.updated_at, t.ticket_id), reverse=True)
        return [
            t for t in candidates
            if (finess is None or t.finess == str(finess).strip()) and (wanted_team is None or t.team == wanted_team)
            and sees(caller, t, self._is_referent(caller, t))
        ]  # fmt: skip

    def get(self, caller: Principal, ticket_id: str) -> dict[str, Any]:
        """The ticket with its thread and what the caller may do with it. Raises NotFound."""
        ticket = self._seen(caller, ticket_id)
        messages, files = self._tickets.thread(ticket.ticket_id)
        arrived = self._files.arrived(ticket.ticket_id) if files else set()
        document = self._document(caller, ticket)
        document["messages"] = [
            {"number": m.number, "author": m.author, "body": m.body, "at": m.at,
             "attachments": [_file(a) for a in files if a.message == m.number and a.attachment_id in arrived]}
            for m in messages
        ]  # fmt: skip
        document["allowed"] = {
            "reply": ticket.status is not TicketStatus.CLOSED,
            "statuses": [s.value for s in TicketStatus if may_set(caller, ticket, s)],
            "accept_reopening": self._may_accept_reopening(caller, ticket),
        }
        return document

    def _seen(self, caller: Principal, ticket_id: str) -> Ticket:
        found = self._tickets.get(str(ticket_id)) if ticket_id and len(str(ticket_id)) <= 64 else None
        if found is None or not sees(caller, found, self._is_referent(caller, found)):
            raise NotFound(NOT_FOUND)
        return found

    @staticmethod
    def _is_referent(caller: Principal, ticket: Ticket) -> bool:
        return ticket.finess is not None and caller.memberships.get(Finess(ticket.finess)) is Status.REFERENT

    def _document(self, caller: Principal, ticket: Ticket, names: dict[str, str | None] | None = None) -> dict[str, Any]:
        region = team_region(ticket.team)
        names = {} if names is None else names
        if ticket.finess and ticket.finess not in names:
            found = self._tenants.get_establishment(Finess(ticket.finess))
            names[ticket.finess] = found.name if found else None
        return {
            **_summary(ticket),
            "category_label": ticket.category.label,
            "status_label": ticket.status.label,
            "team_label": team_label(ticket.team, REGION_NAMES.get(region.value) if region else None),
            "establishment": names.get(ticket.finess) if ticket.finess else None,
            "created_at": ticket.created_at,
            "updated_at": ticket.updated_at,
            "messages_count": ticket.messages,
            "mine": ticket.author == caller.email.value,
        }

    # Writing -----------------------------------------------------------------------------------
    def reply(self, caller: Principal, ticket_id: str, body: object) -> dict[str, Any]:
        """Add the caller's message to the thread (a team's first answer takes the ticket in hand; the user's
        answer gives it back to the team). Raises NotFound, InvalidInput, Conflict (closed)."""
        text = body_of(body)
        ticket = self._seen(caller, ticket_id)
        by_team = in_team(caller, ticket) and ticket.author != caller.email.value
        limit = (MESSAGES_PER_HOUR, None if by_team else caller.email.value)  # a team answering its inbox: no limit
        self._throttle.check(limit)
        answer = self._add_message(ticket.ticket_id, caller.email.value, text, by_team)
        self._throttle.count(limit)
        return answer

    def reply_by_platform(self, ticket_id: str, body: str, status: TicketStatus | None = None) -> dict[str, Any]:
        """The platform writes in a ticket (and resolves it, for instance once the catalogue knows its UCDs)."""
        return self._add_message(ticket_id, PLATFORM_AUTHOR, body_of(body), True, status)

    def _add_message(
        self, ticket_id: str, author: str, text: str, by_team: bool, status: TicketStatus | None = None
    ) -> dict[str, Any]:
        def change(ticket: Ticket) -> tuple[Ticket, Message, None]:
            if ticket.status is TicketStatus.CLOSED:
                raise Conflict("Cette demande est fermée : ouvrez-en une nouvelle.")
            if status is TicketStatus.RESOLVED and ticket.status is TicketStatus.RESOLVED:
                raise Conflict("Cette demande est déjà résolue.")  # a resolution once (two runs at once)
            now = self._ctx.now_iso()
            number = ticket.messages + 1
            after = status or status_after_reply(ticket.status, by_team)
            return ticket.changed(now, messages=number, status=after), Message(number, author, text, now), None

        before, ticket, message, _ = self._write(ticket_id, change)
        assert message is not None
        self._ctx.audit(author, "ticket.reply", f"ticket:{ticket.ticket_id}", _summary(before), _summary(ticket))
        self._mail.replied(ticket, message, by_team)  # the move a reply makes is told by the reply's own e-mail
        return {"number": message.number, "author": author, "body": message.body, "at": message.at,
                "status": ticket.status.value}  # fmt: skip

    def set_status(self, caller: Principal, ticket_id: str, status: object, accept_reopening: bool = False) -> dict[str, Any]:
        """Move the ticket (its owning team; its author may close it). With ``accept_reopening`` on a
        reopening request the national team resolves, the period is reopened first, the ticket its reason:
        if the reopening fails, the ticket does not change. Raises NotFound, Forbidden, InvalidInput, Conflict."""
        wanted = status_of(status)
        ticket = self._seen(caller, ticket_id)
        if wanted is ticket.status and not accept_reopening:  # nothing to move: nothing written, nobody e-mailed
            if not (in_team(caller, ticket) or ticket.author == caller.email.value):
                raise Forbidden("Seule l'équipe qui traite la demande peut en changer le statut ; vous pouvez la fermer.")
            return self._document(caller, ticket)
        self._check_move(caller, ticket, wanted)
        note = None
        if accept_reopening:
            note = self._reopen(caller, ticket, wanted)

        def change(current: Ticket) -> tuple[Ticket, Message | None, None]:
            self._check_move(caller, current, wanted)
            now = self._ctx.now_iso()
            if note is None:
                return current.changed(now, status=wanted), None, None
            number = current.messages + 1
            return current.changed(now, status=wanted, messages=number), Message(number, caller.email.value, note, now), None

        before, after, _, _ = self._write(ticket.ticket_id, change)
        self._ctx.audit(caller.email.value, "ticket.status", f"ticket:{after.ticket_id}", _summary(before), _summary(after))
        self._mail.moved(after, wanted, caller.email.value, note)
        return self._document(caller, after)

    def resolve_by_platform(self, ticket_id: str, body: str) -> dict[str, Any]:
        """Resolve a ticket the platform can answer itself, with a message saying why."""
        return self.reply_by_platform(ticket_id, body, TicketStatus.RESOLVED)

    @staticmethod
    def _check_move(caller: Principal, ticket: Ticket, wanted: TicketStatus) -> None:
        if wanted is ticket.status:
            return
        if wanted not in TRANSITIONS[ticket.status]:
            raise Conflict(f"Une demande « {ticket.status.label} » ne peut pas passer au statut « {wanted.label} ».")
        if not may_set(caller, ticket, wanted):
            raise Forbidden("Seule l'équipe qui traite la demande peut en changer le statut ; vous pouvez la fermer.")

    def _may_accept_reopening(self, caller: Principal, ticket: Ticket) -> bool:
        return (
            ticket.category is Category.REOPENING and ticket.finess is not None and ticket.links.period is not None
            and ticket.team == "national" and oversees_all(caller) and TicketStatus.RESOLVED in TRANSITIONS[ticket.status]
        )  # fmt: skip

    def _reopen(self, caller: Principal, ticket: Ticket, wanted: TicketStatus) -> str:
        if wanted is not TicketStatus.RESOLVED:
            raise InvalidInput("Accepter une réouverture résout la demande : statut « resolu » attendu.",
                               details=[{"field": "status"}])  # fmt: skip
        if ticket.category is not Category.REOPENING or ticket.finess is None or ticket.links.period is None:
            raise InvalidInput("Cette demande n'est pas une demande de réouverture d'une période.",
                               details=[{"field": "accept_reopening"}])  # fmt: skip
        if not self._may_accept_reopening(caller, ticket):
            raise Forbidden("Seule l'équipe nationale accepte une réouverture.")
        reason = f"Demande n° {ticket.ticket_id} : {ticket.subject}"
        self._closure.reopen(caller, ticket.finess, ticket.links.period, reason)
        return f"La période {ticket.links.period} est rouverte : vous pouvez à nouveau y déposer des fichiers."

    # Attachments -------------------------------------------------------------------------------
    def attach(self, caller: Principal, ticket_id: str, filename: object, size: object) -> dict[str, Any]:
        """A presigned POST for one file, attached to the caller's latest message in the thread. Raises
        NotFound, InvalidInput (type, name), TooLarge, Conflict (closed, ten files already, no message yet)."""
        name = attachment_filename(filename)
        content_type = attachment_type(name)
        check_attachment_size(_int(size))
        ticket = self._seen(caller, ticket_id)
        attachment_id = self._ctx.ids.new_id()

        def change(current: Ticket) -> tuple[Ticket, None, Attachment]:
            if current.status is TicketStatus.CLOSED:
                raise Conflict("Cette demande est fermée : ouvrez-en une nouvelle.")
            if current.attachments >= MAX_ATTACHMENTS:
                raise Conflict(f"Une demande porte au plus {MAX_ATTACHMENTS} pièces jointes.")
            mine = [m.number for m in self._tickets.thread(current.ticket_id)[0] if m.author == caller.email.value]
            if not mine:
                raise Conflict("Écrivez d'abord un message : les pièces jointes l'accompagnent.")
            now = self._ctx.now_iso()
            file = Attachment(attachment_id, mine[-1], name, _int(size), content_type, caller.email.value, now)
            return current.changed(now, attachments=current.attachments + 1), None, file

        before, after, _, file = self._write(ticket.ticket_id, change)
        assert file is not None
        self._ctx.audit(caller.email.value, "ticket.attach", f"ticket:{after.ticket_id}", _summary(before),
                        {**_summary(after), "attachment": _file(file)})  # fmt: skip
        post = self._files.upload_form(after.ticket_id, file, MAX_ATTACHMENT_BYTES, int(POST_EXPIRY.total_seconds()))
        expires_at = (self._ctx.clock.now() + POST_EXPIRY).isoformat(timespec="seconds")
        return {**_file(file), "message": file.message, "post": post, "expires_at": expires_at}

    def download(self, caller: Principal, ticket_id: str, attachment_id: str) -> Download:
        """A presigned GET of an attachment whose file arrived. Raises NotFound."""
        ticket = self._seen(caller, ticket_id)
        files = {a.attachment_id: a for a in self._tickets.thread(ticket.ticket_id)[1]}
        found = files.get(str(attachment_id))
        if found is None or found.attachment_id not in self._files.arrived(ticket.ticket_id):
            raise NotFound("Pièce jointe introuvable.")
        return Download(self._files.download_url(ticket.ticket_id, found, URL_SECONDS), found.filename)

    # ---------------------------------------------------------------------------------------------
    def _write(
        self, ticket_id: str, change: Callable[[Ticket], tuple[Ticket, Message | None, Attachment | None]]
    ) -> tuple[Ticket, Ticket, Message | None, Attachment | None]:
        """Apply ``change`` to the stored ticket and save it over the version read, deciding again when
        another change came first. Returns (before, after, message, attachment)."""
        for _ in range(ATTEMPTS):
            before = self._tickets.get(ticket_id)
            if before is None:
                raise NotFound(NOT_FOUND)
            after, message, attachment = change(before)
            if self._tickets.save(after, message, attachment):
                return before, after, message, attachment
            logger.info("ticket %s changed meanwhile: deciding again", ticket_id)
        raise Conflict("La demande a été modifiée en même temps par quelqu'un d'autre : réessayez.")


def _summary(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket_id": ticket.ticket_id, "category": ticket.category.value, "subject": ticket.subject,
        "status": ticket.status.value, "team": ticket.team, "finess": ticket.finess, "author": ticket.author,
        "links": ticket.links.document(), "attachments_count": ticket.attachments,
    }  # fmt: skip


def _file(attachment: Attachment) -> dict[str, Any]:
    return {"attachment_id": attachment.attachment_id, "filename": attachment.filename, "size": attachment.size,
            "content_type": attachment.content_type}  # fmt: skip


def _int(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidInput("La taille du fichier doit être un nombre entier d'octets.", details=[{"field": "size"}])
    return raw
