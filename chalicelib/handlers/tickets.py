"""Support tickets (API.md "Tickets", docs/api-extensions.md): thin routes over services/tickets.py.

The service decides who sees a ticket (404 for anyone else) and who moves it; bodies are bounded here
only so that a request stays small: their rules and French messages are the domain's."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response
from pydantic import Field

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Principal
from chalicelib.handlers import params as q
from chalicelib.handlers.http import endpoint, header, query
from chalicelib.handlers.responses import files
from chalicelib.handlers.responses import tickets as r
from chalicelib.handlers.schemas import Body
from chalicelib.handlers.uploads import annotated_answer
from chalicelib.services.annotated_reports import Ready

bp = Blueprint(__name__)
TICKET = "/api/tickets/{ticket_id}"


class LinksBody(Body):
    upload_id: str | None = Field(default=None, max_length=100)
    period: str | None = Field(default=None, max_length=20)
    ucds: list[str] | None = Field(default=None, max_length=1000)


class TicketBody(Body):
    category: str = Field(max_length=40)
    subject: str = Field(max_length=2_000)
    body: str = Field(max_length=20_000)
    finess: str | None = Field(default=None, max_length=20)
    links: LinksBody | None = None


class MessageBody(Body):
    body: str = Field(max_length=20_000)


class StatusBody(Body):
    status: str = Field(max_length=40)
    accept_reopening: bool = False


class AttachmentBody(Body):
    filename: str = Field(min_length=1, max_length=255)
    size: int


@endpoint(bp, "/api/tickets", "POST", summary="Ouvrir une demande de support", body=TicketBody, status=201,
          response=r.TicketOpened)  # fmt: skip
def open_ticket(body: TicketBody, caller: Principal) -> dict[str, Any]:
    return services().tickets.open(caller, body.model_dump(exclude_none=True))


@endpoint(bp, "/api/tickets", summary="Les demandes que l'on voit (?status=&finess=&team=), les plus récentes d'abord",
          params=(q.TICKET_STATUS, q.FINESS, q.TEAM), response=list[r.Ticket])  # fmt: skip
def list_tickets(caller: Principal) -> list[dict[str, Any]]:
    return services().tickets.listing(caller, query(bp, "status"), query(bp, "finess"), query(bp, "team"))


@endpoint(bp, "/api/tickets/counts", summary="Nombre de demandes par statut (?finess=&team=)", params=(q.FINESS, q.TEAM),
          response=r.TicketCounts)  # fmt: skip
def count_tickets(caller: Principal) -> dict[str, int]:
    return services().tickets.counts(caller, query(bp, "finess"), query(bp, "team"))


@endpoint(bp, TICKET, summary="Une demande, sa discussion et ses pièces jointes", response=r.TicketThread)
def get_ticket(ticket_id: str, caller: Principal) -> dict[str, Any]:
    return services().tickets.get(caller, ticket_id)


@endpoint(bp, f"{TICKET}/messages", "POST", summary="Répondre dans une demande", body=MessageBody, status=201,
          response=r.TicketReply)  # fmt: skip
def reply(ticket_id: str, body: MessageBody, caller: Principal) -> dict[str, Any]:
    return services().tickets.reply(caller, ticket_id, body.body)


@endpoint(bp, TICKET, "PATCH", summary="Changer le statut d'une demande (accept_reopening : accepter une réouverture)",
          body=StatusBody, response=r.Ticket)  # fmt: skip
def set_status(ticket_id: str, body: StatusBody, caller: Principal) -> dict[str, Any]:
    return services().tickets.set_status(caller, ticket_id, body.status, body.accept_reopening)


@endpoint(bp, f"{TICKET}/attachments", "POST", summary="Joindre un fichier au dernier message (POST présigné)",
          body=AttachmentBody, status=201, response=r.AttachmentCreated)  # fmt: skip
def attach(ticket_id: str, body: AttachmentBody, caller: Principal) -> dict[str, Any]:
    return services().tickets.attach(caller, ticket_id, body.filename, body.size)


@endpoint(bp, f"{TICKET}/attachments/{{attachment_id}}", summary="Télécharger une pièce jointe (303 vers le fichier)",
          response=files.ReadyFile, answers=files.KEPT_FILE)  # fmt: skip
def download(ticket_id: str, attachment_id: str, caller: Principal) -> Response:
    found = services().tickets.download(caller, ticket_id, attachment_id)
    return annotated_answer(Ready(found.url, found.filename, found.expires_in), header(bp, "accept"))
