"""Answers of the support tickets (handlers/tickets.py)."""

from __future__ import annotations

from chalicelib.domain.tickets.model import Category, TicketStatus
from chalicelib.handlers.responses.base import Answer
from chalicelib.handlers.responses.files import PresignedPost

#: How many tickets in each status (every status of TicketStatus, 0 included).
TicketCounts = dict[str, int]


class TicketOpened(Answer):
    ticket_id: str
    status: TicketStatus
    #: national, or region:<code>.
    team: str


class TicketLinks(Answer):
    upload_id: str | None
    period: str | None
    ucds: list[str]


class Ticket(Answer):
    ticket_id: str
    category: Category
    subject: str
    status: TicketStatus
    team: str
    finess: str | None
    author: str
    links: TicketLinks
    attachments_count: int
    category_label: str
    status_label: str
    team_label: str
    #: The establishment's name (null: none, or unknown).
    establishment: str | None
    created_at: str
    updated_at: str
    messages_count: int
    #: Opened by the caller.
    mine: bool


class TicketAttachment(Answer):
    attachment_id: str
    filename: str
    size: int
    content_type: str


class TicketMessage(Answer):
    number: int
    author: str
    body: str
    at: str
    #: Those whose file has arrived.
    attachments: list[TicketAttachment]


class TicketAllowed(Answer):
    """What the caller may do with the ticket."""

    reply: bool
    statuses: list[TicketStatus]
    accept_reopening: bool


class TicketThread(Ticket):
    messages: list[TicketMessage]
    allowed: TicketAllowed


class TicketReply(Answer):
    number: int
    author: str
    body: str
    at: str
    #: The ticket's status after the reply.
    status: TicketStatus


class AttachmentCreated(TicketAttachment):
    #: The number of the message it is joined to.
    message: int
    post: PresignedPost
    expires_at: str
