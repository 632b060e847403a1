"""Who owns a ticket, who sees it and who moves it (DOMAIN.md §10.9).

- The owning team: the national team for catalogue, laboratory and reopening tickets and for a ticket
  without establishment; otherwise the team of the establishment's region (``region:<code>``).
- A ticket is seen by its author, the référent of its establishment, its owning team (the regional
  profiles of that region, or the national profiles), and the national team and administrators, who
  see every ticket. A regional team never sees another region's ticket nor a national one.
- Its status is changed by its owning team (national and administrators included, for any ticket);
  its author may close it. Whoever sees it may reply, until it is closed.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import RegionCode
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.tickets.model import Category, Ticket, TicketStatus

NATIONAL = "national"
REGION_PREFIX = "region:"
NATIONAL_CATEGORIES = frozenset({Category.CATALOGUE, Category.LABORATORY, Category.REOPENING})

#: The moves a team may make; the author may only close.
TRANSITIONS: Mapping[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.OPEN: frozenset(
        {TicketStatus.IN_PROGRESS, TicketStatus.WAITING_USER, TicketStatus.RESOLVED, TicketStatus.CLOSED}
    ),
    TicketStatus.IN_PROGRESS: frozenset({TicketStatus.WAITING_USER, TicketStatus.RESOLVED, TicketStatus.CLOSED}),
    TicketStatus.WAITING_USER: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED, TicketStatus.CLOSED}),
    TicketStatus.RESOLVED: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.CLOSED}),
    TicketStatus.CLOSED: frozenset(),
}


def owning_team(category: Category, region: RegionCode | None) -> str:
    if category in NATIONAL_CATEGORIES or region is None:
        return NATIONAL
    return f"{REGION_PREFIX}{region.value}"


def team_region(team: str) -> RegionCode | None:
    return RegionCode(team[len(REGION_PREFIX) :]) if team.startswith(REGION_PREFIX) else None


def team_label(team: str, region_name: str | None = None) -> str:
    region = team_region(team)
    if region is None:
        return "Équipe nationale"
    return f"Équipe régionale {region_name or region.value}"


def team_of(raw: object) -> str:
    """A team filter as given in a query string: ``national``, ``region:52`` or ``52``. Raises InvalidInput."""
    text = str(raw or "").strip()
    if text == NATIONAL:
        return NATIONAL
    code = text[len(REGION_PREFIX) :] if text.startswith(REGION_PREFIX) else text
    try:
        return f"{REGION_PREFIX}{RegionCode.parse(code).value}"
    except InvalidInput:
        raise InvalidInput(
            f"Équipe inconnue : « {text} » (attendu : national ou region:<code>).", details=[{"field": "team"}]
        ) from None


def oversees_all(caller: Principal) -> bool:
    """The national team and administrators see and handle every ticket."""
    return caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN)


def in_team(caller: Principal, ticket: Ticket) -> bool:
    """The caller answers for the ticket's owning team."""
    if oversees_all(caller):
        return True
    region = team_region(ticket.team)
    return region is not None and region in caller.regions()


def sees(caller: Principal, ticket: Ticket, is_referent: bool) -> bool:
    """``is_referent``: the caller is the référent of the ticket's establishment."""
    return ticket.author == caller.email.value or is_referent or in_team(caller, ticket)


def may_set(caller: Principal, ticket: Ticket, status: TicketStatus) -> bool:
    """Whether the caller may make this move (the move itself allowed by TRANSITIONS)."""
    if status not in TRANSITIONS[ticket.status]:
        return False
    if in_team(caller, ticket):
        return True
    return ticket.author == caller.email.value and status is TicketStatus.CLOSED


def status_after_reply(status: TicketStatus, by_team: bool) -> TicketStatus:
    """A reply moves the ticket on: the team's first answer takes it in hand; the user's answer to a ticket
    waiting for them, or resolved, gives it back to the team."""
    if by_team and status is TicketStatus.OPEN:
        return TicketStatus.IN_PROGRESS
    if not by_team and status in (TicketStatus.WAITING_USER, TicketStatus.RESOLVED):
        return TicketStatus.IN_PROGRESS
    return status
