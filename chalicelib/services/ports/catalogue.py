"""Ports of the drug catalogue (DOMAIN.md §4.4): the platform's cached copy and
the commercial reference it is synchronised from every day.

Each port has a real adapter (``adapters/dynamo_catalogue.py``,
``adapters/rest_catalogue.py``) and an in-memory fake (``tests/fakes/catalogue.py``);
``tests/contract`` runs the same suite against both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.drugs import CatalogueEntry, Ucd
from chalicelib.domain.errors import DomainError

#: Where an entry of the cached copy came from (kept per entry).
SOURCE_REFERENCE = "reference"  # the commercial catalogue, by the daily sync
SOURCE_MANUAL = "manual"  # added or corrected by the national team
SOURCE_DEMO = "demo"  # the small catalogue shipped for the demo


class CatalogueUnavailable(DomainError):
    """The commercial catalogue could not be read (network, HTTP error, bad answer).

    The message is French and says what went wrong; ``details`` lists the
    individual problems (e.g. unreadable products, with their position).
    """

    code = "ERR_CATALOGUE_UNAVAILABLE"
    default_message = "Le catalogue des médicaments de référence est indisponible."


@dataclass(frozen=True)
class CatalogueRecord:
    """One entry of the cached copy with its provenance."""

    entry: CatalogueEntry
    #: One of SOURCE_REFERENCE, SOURCE_MANUAL, SOURCE_DEMO.
    source: str
    #: When the entry was last resolved (written from its source), timezone-aware UTC.
    resolved_at: datetime


@dataclass(frozen=True)
class SyncState:
    """What the copy knows about its synchronisation with the commercial catalogue."""

    #: Start of the last successful sync; the next one asks for changes since then.
    last_success_at: datetime | None = None
    #: Start of the last attempt, successful or not.
    last_attempt_at: datetime | None = None
    #: French message of the last attempt's failure; None when it succeeded.
    last_error: str | None = None
    #: Entries received by the last successful sync.
    last_received: int = 0


class DrugCatalogue(Protocol):
    """The platform's own copy of the drug catalogue, one entry per UCD.

    UCDs are always stored under their 7-digit value (``Ucd`` already folds the
    13-digit form into it), so both forms of a code reach the same entry.
    """

    def get(self, ucd: Ucd) -> CatalogueEntry | None:
        """The entry of ``ucd``, or None when the catalogue does not know it."""
        ...

    def record(self, ucd: Ucd) -> CatalogueRecord | None:
        """The entry of ``ucd`` with its source and resolution date, or None."""
        ...

    def get_many(self, ucds: Iterable[Ucd]) -> dict[Ucd, CatalogueEntry]:
        """The known entries among ``ucds`` (repeats allowed); unknown codes are absent from the result."""
        ...

    def put_many(self, entries: Sequence[CatalogueEntry], source: str, resolved_at: datetime) -> int:
        """Create or replace ``entries`` (any number; written in batches).

        Idempotent: writing the same entries again leaves the same copy. When a
        UCD appears more than once, the last one wins. Each entry keeps
        ``source`` and ``resolved_at``. Not atomic across batches: a failure may
        leave part of the entries written (writing them again is harmless).

        Returns:
            The number of entries written (repeats counted once).
        """
        ...

    def count(self) -> int:
        """How many UCDs the copy holds."""
        ...

    def sync_state(self) -> SyncState:
        """The synchronisation state; an empty ``SyncState`` before any sync."""
        ...

    def save_sync_state(self, state: SyncState) -> None:
        """Replace the synchronisation state (idempotent)."""
        ...


class CatalogueSource(Protocol):
    """The commercial reference catalogue (REST), read by the daily sync."""

    def fetch_since(self, since: datetime | None) -> list[CatalogueEntry]:
        """Every product created or changed at or after ``since`` (all products when None).

        Reads every page before returning: the result is complete or the call
        raises, so a failure never yields half a catalogue. Read-only and safe
        to repeat.

        Raises:
            CatalogueUnavailable: the catalogue could not be reached, answered an
                error, or sent something that is not a valid list of products
                (every unreadable product is listed in ``details``).
        """
        ...
