"""What a resistance file is checked against, and what its validation gives."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from chalicelib.domain.cells import normalise_header
from chalicelib.domain.imports import Report
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.model import RawColumns, RawIsolate
from chalicelib.domain.structure import Unit

MASKED = "(masqué)"
EXCLUSION_REASONS = ("screening", "no_species", "no_result", "uf_not_eligible")
WORDS = re.compile(r"[a-z0-9]+")
_SCREENING_WORDS = frozenset({"depistage", "depist", "screening", "portage"})


def looks_like_screening(label: str) -> bool:
    """The default screening test: the label mentions dépistage, portage or screening."""
    return not _SCREENING_WORDS.isdisjoint(WORDS.findall(normalise_header(label)))


@dataclass(frozen=True)
class ResistanceContext:
    """What a resistance file is checked against.

    ``is_screening``: whether a specimen label (the lab's) is a screening specimen;
    called once per distinct label of a file. ``date1904``: the workbook's date system.
    """

    period: Period
    units: Mapping[str, Unit]
    date1904: bool = False
    is_screening: Callable[[str], bool] = looks_like_screening


@dataclass(frozen=True)
class ParsedResistance:
    """The isolates of a file (empty unless ``report.accepted``) and its report.

    ``legacy_i`` maps an antibiotic label to every row where a legacy ``I`` was read as SFP. Each
    isolate's ``results`` reads its row's result string (one character per antibiotic column).
    """

    raw: RawColumns  # the isolates, as columns
    report: Report
    antibiotic_labels: list[str]
    header_row: int | None = None
    excluded: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EXCLUSION_REASONS, 0))
    legacy_i: dict[str, list[int]] = field(default_factory=dict)
    #: The antibiotic labels with at least one result among the isolates, in file order.
    tested_labels: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.report.accepted

    @property
    def isolates(self) -> list[RawIsolate]:
        """The isolates one by one, in row order (built from ``raw`` at each call)."""
        return self.raw.rows()


# --------------------------------------------------------------------------- NIR
