"""Who has sent what (DOMAIN.md §10.9): for one establishment and year, each file type × period is
absent, imported, waiting (a file held back on its mapping or the catalogue) or closed.

The periods expected of a file type follow the establishment's periodicity for the year: the
year itself for structure and beds; the four quarters, or the year when the establishment chose
yearly files, for the others (patient-days follow the consumption's). Periods that hold data
outside that plan are shown too: nothing sent is ever hidden.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period, Periodicity


class DatasetState(enum.StrEnum):
    ABSENT = "absent"
    IMPORTED = "imported"
    WAITING = "waiting"  # a file of that period waits on its laboratory's mapping or on the catalogue
    CLOSED = "closed"


#: The file types a campaign asks of every establishment, in the order they are shown.
FILE_TYPES: tuple[FileType, ...] = (
    FileType.STRUCTURE,
    FileType.BEDS,
    FileType.PATIENT_DAYS,
    FileType.CONSUMPTION,
    FileType.RESISTANCE,
)
#: Upload statuses that hold a file back until someone else acts (the laboratory's mappings, the catalogue).
WAITING_STATUSES = frozenset(status for status in UploadStatus if status.waiting)


def expected_periods(kind: FileType, year: int, periodicities: Mapping[str, str]) -> tuple[str, ...]:
    """The periods a campaign expects of ``kind``: quarters unless the establishment chose yearly files."""
    setting = kind.periodicity_setting
    if setting is None or periodicities.get(setting) == Periodicity.YEAR.value:
        return (str(year),)
    return tuple(str(q) for q in Period(year).quarters())


@dataclass(frozen=True)
class YearFacts:
    """What the stores say of one establishment's year."""

    year: int
    periodicities: Mapping[str, str]
    #: (file type, period) pairs that hold current data.
    imported: frozenset[tuple[str, str]]
    #: (file type, period) pairs whose latest file waits (mapping, catalogue).
    waiting: frozenset[tuple[str, str]]
    #: Periods closed (the year itself, or quarters).
    closed: frozenset[str]

    def is_closed(self, period: str) -> bool:
        """A period is closed when it is, or when the year is; the year when it is, or when its four quarters are."""
        if period in self.closed or str(self.year) in self.closed:
            return True
        return period == str(self.year) and all(str(q) in self.closed for q in Period(self.year).quarters())


#: ``{file type: {period: state}}`` of one establishment's year.
YearStates = dict[str, dict[str, DatasetState]]


def nothing_of(year: int) -> YearFacts:
    """The facts of an establishment that has sent nothing of ``year``."""
    return YearFacts(year, {}, frozenset(), frozenset(), frozenset())


def dataset_states(facts: YearFacts) -> YearStates:
    """``{file type: {period: state}}`` for the year, periods in calendar order."""
    states: YearStates = {}
    for kind in FILE_TYPES:
        sent = {p for t, p in facts.imported | facts.waiting if t == kind.value}
        periods = sorted(set(expected_periods(kind, facts.year, facts.periodicities)) | sent, key=lambda p: (len(p), p))
        states[kind.value] = {p: _state(facts, kind.value, p) for p in periods}
    return states


def _state(facts: YearFacts, kind: str, period: str) -> DatasetState:
    if (kind, period) in facts.imported:
        return DatasetState.CLOSED if facts.is_closed(period) else DatasetState.IMPORTED
    if (kind, period) in facts.waiting:
        return DatasetState.WAITING
    return DatasetState.ABSENT


def incomplete(states: Mapping[str, Mapping[str, DatasetState]]) -> bool:
    """Something is still to be sent or closed: any period absent, waiting or not yet closed."""
    return any(state is not DatasetState.CLOSED for periods in states.values() for state in periods.values())


def counts(rows: Iterable[Mapping[str, Mapping[str, DatasetState]]]) -> dict[str, int]:
    """How many file type × period cells are in each state, over every establishment."""
    found = {state.value: 0 for state in DatasetState}
    for states in rows:
        for periods in states.values():
            for state in periods.values():
                found[state.value] += 1
    return found


#: How a reminder names what is left, per state.
_LEFT = {
    DatasetState.ABSENT: "à envoyer",
    DatasetState.WAITING: "en attente (correspondances ou catalogue)",
    DatasetState.IMPORTED: "à clôturer",
}


def what_is_left(states: Mapping[str, Mapping[str, DatasetState]]) -> tuple[str, ...]:
    """One French line per file type with something left: « consommation … : 2025-T3, 2025-T4 à envoyer »."""
    lines = []
    for kind in FILE_TYPES:
        periods = states.get(kind.value, {})
        for state, left in _LEFT.items():
            found = [p for p, s in periods.items() if s is state]
            if found:
                lines.append(f"{kind.label} : {', '.join(found)} {left}")
    return tuple(lines)
