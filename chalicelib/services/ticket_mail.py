"""Who hears of a ticket (DOMAIN.md §10.9): its owning team when it is opened and when the user side writes;
the author when the team side writes or moves the ticket. Nobody is e-mailed about their own act."""

from __future__ import annotations

from chalicelib.domain import letters
from chalicelib.domain.access import ProfileType
from chalicelib.domain.codes import Finess
from chalicelib.domain.tickets.model import PLATFORM_AUTHOR, Message, Ticket, TicketStatus
from chalicelib.domain.tickets.teams import team_region
from chalicelib.services.ports import AccessStore, Mailer


class TicketMail:
    def __init__(self, access: AccessStore, mailer: Mailer, web_url: str) -> None:
        self._access = access
        self._mailer = mailer
        self._web_url = web_url

    def link(self, ticket: Ticket) -> str:
        return f"{self._web_url}/#/support/{ticket.ticket_id}"

    def team(self, ticket: Ticket) -> tuple[str, ...]:
        """The holders of the owning team's profile: the region's regional profiles, or the national ones."""
        region = team_region(ticket.team)
        kind = ProfileType.NATIONAL if region is None else ProfileType.REGIONAL
        return tuple(sorted({email.value for email, p in self._access.list_profiles() if p.type is kind and p.region == region}))

    def opened(self, ticket: Ticket, message: Message, establishment: str | None) -> None:
        self._send(letters.ticket_opened(self.team(ticket), ticket.ticket_id, ticket.category.label, ticket.subject,
                                         establishment, ticket.author, message.body, self.link(ticket)))  # fmt: skip

    def replied(self, ticket: Ticket, message: Message, by_team: bool) -> None:
        to = set() if by_team else set(self.team(ticket))
        to.update(self._user_side(ticket))
        to.discard(message.author)
        self._send(letters.ticket_reply(tuple(sorted(to)), ticket.ticket_id, ticket.subject, message.author, message.body,
                                        self.link(ticket)))  # fmt: skip

    def moved(self, ticket: Ticket, status: TicketStatus, by: str, note: str | None = None) -> None:
        to = tuple(sorted(set(self._user_side(ticket)) - {by}))
        self._send(letters.ticket_status(to, ticket.ticket_id, ticket.subject, status.label, note, self.link(ticket)))

    def _user_side(self, ticket: Ticket) -> tuple[str, ...]:
        """The author; for a ticket the platform opened, the référent of its establishment."""
        if ticket.author != PLATFORM_AUTHOR:
            return (ticket.author,)
        found = self._access.referent_of(Finess(ticket.finess)) if ticket.finess else None
        return (found.value,) if found else ()

    def _send(self, letter: letters.Letter) -> None:
        if letter.to:
            self._mailer.send(letter)
