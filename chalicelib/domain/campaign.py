"""The campaign of a year's data (DOMAIN.md §10.9): the national deadline by which establishments
send and close that year, and the days before it on which the référents of establishments with
missing or unclosed periods are reminded, once per reminder day, never twice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.errors import InvalidInput

#: A reminder at most this many days before the deadline; at most this many reminder days.
MAX_DAYS_BEFORE = 365
MAX_REMINDERS = 10
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Campaign:
    year: int
    deadline: date
    #: Days before the deadline, largest first (0: the deadline's own day).
    reminder_days: tuple[int, ...]
    set_by: str = ""
    set_at: str = ""

    def due_reminder(self, today: date) -> int | None:
        """The reminder day due on ``today``: the latest one whose date has come, until the deadline.

        A day the job did not run is not caught up with an extra e-mail: only the latest due one is sent."""
        before = (self.deadline - today).days
        if before < 0:
            return None
        due = [n for n in self.reminder_days if n >= before]
        return min(due) if due else None

    def document(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "deadline": self.deadline.isoformat(),
            "reminder_days": list(self.reminder_days),
            "set_by": self.set_by,
            "set_at": self.set_at,
        }


def campaign_year(raw: object) -> int:
    """A campaign's year from a path. Raises InvalidInput."""
    text = str(raw or "")
    if not (text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise InvalidInput("Année invalide : une année sur quatre chiffres (2025).", details=[{"field": "year", "value": text}])
    return int(text)


def campaign_of(year: int, values: Mapping[str, Any], set_by: str, set_at: str) -> Campaign:
    """The campaign as the national team sets it. Raises InvalidInput (in French, naming the field)."""
    deadline = _deadline(values.get("deadline"), year)
    days = _reminder_days(values.get("reminder_days"))
    return Campaign(year, deadline, days, set_by, set_at)


def _deadline(raw: object, year: int) -> date:
    try:
        found = date.fromisoformat(str(raw))
    except ValueError as error:
        raise InvalidInput(
            "Date limite invalide : une date AAAA-MM-JJ (2026-03-31).", details=[{"field": "deadline", "value": str(raw)}]
        ) from error
    if found.year < year:
        raise InvalidInput(
            f"La date limite de la campagne {year} ne peut pas précéder l'année {year}.",
            details=[{"field": "deadline", "value": found.isoformat()}],
        )
    return found


def _reminder_days(raw: object) -> tuple[int, ...]:
    if not isinstance(raw, Iterable) or isinstance(raw, str | bytes | Mapping):
        raise InvalidInput(
            "Jours de relance invalides : une liste de nombres de jours avant la date limite ([30, 7, 1]).",
            details=[{"field": "reminder_days"}],
        )
    days = list(raw)
    if len(days) > MAX_REMINDERS or any(
        isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= MAX_DAYS_BEFORE for d in days
    ):
        raise InvalidInput(
            f"Jours de relance invalides : au plus {MAX_REMINDERS} nombres entiers de 0 à {MAX_DAYS_BEFORE} "
            "(jours avant la date limite).",
            details=[{"field": "reminder_days", "value": str(days)[:200]}],
        )
    return tuple(sorted(set(days), reverse=True))
