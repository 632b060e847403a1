"""WHO's AWaRe classification of antibiotics (DOMAIN.md §10.10): Access, Watch, Reserve,
or not classified, per ATC code and, where WHO splits a molecule by route (fosfomycin,
minocycline), per route.

The one owner of the classification: the reference table ``who_aware_2023.csv`` (its
provenance in ``PROVENANCE_DRUGS.md``) is read here, and the ``aware_share`` indicator
classifies the DDD of each ATC and route through it (``AwareTable.category_of``; in SQL,
``queries/aware_ddd.sql``, through the table's entries bound as parameters, ``AwareTable.keys``):
no list of molecules is written in SQL. AWaRe is about antibacterials: antifungals (J02) are not in the
table and never reach the share (its denominator is the antibiotic scope's DDD).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache

from chalicelib.domain.drugs.codes import AtcCode, Route, as_atc, compact_code, text_field
from chalicelib.domain.errors import InvalidInput
from chalicelib.reference import read_table

#: WHO's goal: at least 60 % of the antibiotics consumed from the Access group.
ACCESS_GOAL_PERCENT = 60


class AwareCategory(Enum):
    """An AWaRe group; the French labels are WHO's French terms."""

    ACCESS = "access"
    WATCH = "watch"
    RESERVE = "reserve"
    NOT_CLASSIFIED = "not_classified"

    @classmethod
    def parse(cls, raw: object) -> AwareCategory:
        text = compact_code(raw).casefold()
        for category in cls:
            if category.value == text:
                return category
        raise InvalidInput(f"Catégorie AWaRe inconnue : « {raw} ».", details=[{"field": "category", "value": str(raw)}])

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AwareCategory.ACCESS: "Accès",
    AwareCategory.WATCH: "À surveiller",
    AwareCategory.RESERVE: "Réserve",
    AwareCategory.NOT_CLASSIFIED: "Non classé",
}


@dataclass(frozen=True)
class AwareEntry:
    """One row of the table: a molecule (ATC code), for every route or for one, and its group."""

    atc: AtcCode
    route: Route | None  # None: every route
    molecule: str
    category: AwareCategory


@dataclass(frozen=True)
class AwareTable:
    """The classification of one version of WHO's list."""

    version: str
    entries: tuple[AwareEntry, ...]

    def __post_init__(self) -> None:
        index: dict[tuple[str, Route | None], AwareEntry] = {}
        for entry in self.entries:
            key = (entry.atc.value, entry.route)
            if key in index:
                route = entry.route.value if entry.route else "toutes voies"
                raise InvalidInput(f"Classification AWaRe : {entry.atc} ({route}) en double.", details=[{"atc": entry.atc.value}])
            index[key] = entry
        object.__setattr__(self, "_index", index)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> AwareTable:
        """Rows ``version, atc_code, route, molecule, category, note`` of one version (an empty route: every route).

        Raises:
            InvalidInput: rows of several versions, an invalid code, route or category, a key twice.
        """
        entries, versions = [], set()
        for row in rows:
            versions.add(text_field(row, "version"))
            route = text_field(row, "route")
            entries.append(AwareEntry(as_atc(text_field(row, "atc_code")), Route.parse(route) if route else None,
                                      text_field(row, "molecule"), AwareCategory.parse(text_field(row, "category"))))  # fmt: skip
        if len(versions) != 1:
            raise InvalidInput("Classification AWaRe : une version par table.", details=[{"versions": sorted(versions)}])
        return cls(versions.pop(), tuple(entries))

    def entry_of(self, atc: AtcCode | str, route: Route | str | None = None) -> AwareEntry | None:
        """The row for this route if WHO splits the molecule by route, else its row for every route."""
        code = as_atc(atc).value
        chosen = Route.parse(route) if isinstance(route, str) and route else route if isinstance(route, Route) else None
        index: dict[tuple[str, Route | None], AwareEntry] = self._index  # type: ignore[attr-defined]
        return (index.get((code, chosen)) if chosen else None) or index.get((code, None))

    def keys(self, category: AwareCategory) -> tuple[str, ...]:
        """The group's entries as ``ATC|route`` (``ATC|``: every route), the form ``queries/aware_ddd.sql`` binds."""
        return tuple(f"{e.atc.value}|{e.route.value if e.route else ''}" for e in self.entries if e.category is category)

    def category_of(self, atc: AtcCode | str, route: Route | str | None = None) -> AwareCategory:
        """The group of a molecule given by a route; a molecule absent from the list (or a route of a
        split molecule WHO does not name) is not classified: counted in the denominator, never guessed."""
        entry = self.entry_of(atc, route)
        return entry.category if entry else AwareCategory.NOT_CLASSIFIED


@cache
def default_aware() -> AwareTable:
    """The shipped classification (``chalicelib/reference/who_aware_2023.csv``)."""
    return AwareTable.from_rows(read_table("who_aware_2023"))
