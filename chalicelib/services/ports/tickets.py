"""Where tickets, their threads and their attachments' files live (DOMAIN.md §10.9)."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.tickets.model import Attachment, Message, Ticket


class TicketStore(Protocol):
    def save(self, ticket: Ticket, message: Message | None = None, attachment: Attachment | None = None) -> bool:
        """Write ``ticket`` at its version n, with the message or attachment that comes with it, all or none,
        only if the stored ticket is still at version n - 1 (absent for n = 1). False when another change
        came first: nothing is written, the caller reads the ticket again and decides again."""
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def thread(self, ticket_id: str) -> tuple[list[Message], list[Attachment]]:
        """The ticket's messages (by number) and attachments (by message, then as added)."""
        ...

    def of_team(self, team: str) -> list[Ticket]:
        """The tickets a team owns, the last changed first (so are the other listings)."""
        ...

    def of_establishment(self, finess: str) -> list[Ticket]: ...

    def of_author(self, author: str) -> list[Ticket]: ...

    def all(self) -> list[Ticket]: ...


class TicketFiles(Protocol):
    """The attachments' files: where they are kept is the store's own."""

    def upload_form(self, ticket_id: str, attachment: Attachment, max_bytes: int, expires_in: int) -> dict[str, Any]:
        """A presigned POST for this attachment only (its key, content type, at most ``max_bytes``)."""
        ...

    def download_url(self, ticket_id: str, attachment: Attachment, expires_in: int) -> str:
        """A URL that downloads the file under its name for ``expires_in`` seconds."""
        ...

    def arrived(self, ticket_id: str) -> set[str]:
        """The ids of the ticket's attachments whose file was sent."""
        ...
