"""What a regional or national synthesis reads: whose scope, how complete its year is, the
establishments it compares, and the indicator service's answers by question key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.reports import labels
from chalicelib.domain.reports.facts import Answer, Answers


@dataclass(frozen=True)
class Completeness:
    """How complete the scope's year is, establishment by establishment."""

    establishments: int  # in the scope
    sent: int  # have sent data of the year (an import made current, closed or not)
    with_closed: int  # have at least one period of the year closed
    year_closed: int  # have every period of the year closed
    periods_closed: int  # periods of the year closed, all establishments together

    def text(self) -> str:
        return (
            f"{self.establishments} établissement(s) dans le périmètre, {self.sent} ayant transmis des données de "
            f"l'année, {self.with_closed} avec au moins une période clôturée, {self.year_closed} avec l'année entière "
            f"clôturée ({self.periods_closed} période(s) clôturée(s) au total). Seules les données clôturées sont comptées."
        )


@dataclass(frozen=True)
class Member:
    """An establishment of the scope, as the comparisons name it."""

    finess: str
    name: str
    region: str  # code


@dataclass(frozen=True)
class ScopeSubject:
    """Whose synthesis (``region:52`` or ``national``), for which year, and where its data stand."""

    scope: str
    year: int
    completeness: Completeness
    members: tuple[Member, ...]
    generated_at: datetime
    version: int
    #: The regions compared side by side (the national synthesis), by code.
    regions: tuple[str, ...] = ()

    @property
    def region(self) -> str | None:
        return self.scope.removeprefix("region:") if self.scope.startswith("region:") else None

    @property
    def name(self) -> str:
        """``Pays de la Loire`` or ``France entière``."""
        return labels.region(self.region) if self.region else "France entière"

    @property
    def title(self) -> str:
        return f"Synthèse régionale {self.year}" if self.region else f"Synthèse nationale {self.year}"


class ScopeFacts(Answers):
    """A scope's answers, with whose synthesis it is."""

    def __init__(self, subject: ScopeSubject, answers: Mapping[str, Answer]) -> None:
        super().__init__(subject.year, answers)
        self.subject = subject
