"""In-memory TicketStore (contract: tests/contract/test_ticket_store_contract.py)."""

from __future__ import annotations

import threading

from chalicelib.domain.tickets.model import Attachment, Message, Ticket


class FakeTicketStore:
    def __init__(self) -> None:
        self.tickets: dict[str, Ticket] = {}
        self.messages: dict[str, dict[int, Message]] = {}
        self.files: dict[str, dict[str, Attachment]] = {}
        self._lock = threading.Lock()

    def save(self, ticket: Ticket, message: Message | None = None, attachment: Attachment | None = None) -> bool:
        with self._lock:
            before = self.tickets.get(ticket.ticket_id)
            if (before.version if before else 0) != ticket.version - 1:
                return False
            thread = self.messages.setdefault(ticket.ticket_id, {})
            files = self.files.setdefault(ticket.ticket_id, {})
            if (message and message.number in thread) or (attachment and attachment.attachment_id in files):
                return False
            self.tickets[ticket.ticket_id] = ticket
            if message:
                thread[message.number] = message
            if attachment:
                files[attachment.attachment_id] = attachment
            return True

    def get(self, ticket_id: str) -> Ticket | None:
        return self.tickets.get(ticket_id)

    def thread(self, ticket_id: str) -> tuple[list[Message], list[Attachment]]:
        messages = [m for _, m in sorted(self.messages.get(ticket_id, {}).items())]
        files = sorted(self.files.get(ticket_id, {}).values(), key=lambda a: (a.message, a.at))
        return messages, files

    def of_team(self, team: str) -> list[Ticket]:
        return _latest_first(t for t in self.tickets.values() if t.team == team)

    def of_establishment(self, finess: str) -> list[Ticket]:
        return _latest_first(t for t in self.tickets.values() if t.finess == finess)

    def of_author(self, author: str) -> list[Ticket]:
        return _latest_first(t for t in self.tickets.values() if t.author == author)

    def all(self) -> list[Ticket]:
        return _latest_first(self.tickets.values())


def _latest_first(tickets) -> list[Ticket]:  # type: ignore[no-untyped-def]
    return sorted(tickets, key=lambda t: (t.updated_at, t.ticket_id), reverse=True)
