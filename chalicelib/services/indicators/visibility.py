"""Who sees what of the indicators (DOMAIN.md §10.1), decided here and nowhere else.

- An establishment's members see its drafts and its closed data; anyone else allowed to
  analyse it (its region's team, the national team) sees its closed periods only.
- A regional profile sees rows per establishment of its own regions only: at the
  national scope it gets the aggregates, never another region's establishments.
- A distribution (benchmark percentiles) is shown only when built from at least
  ``MIN_PEERS`` establishments other than the one compared; else it is suppressed, with why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.tenants import Establishment

MIN_PEERS = 5


def sees_drafts(caller: Principal, finess: Finess) -> bool:
    """Only the establishment's own members ever see its unclosed data."""
    return finess in caller.memberships


def establishment_filter(caller: Principal, establishments: Callable[[], Iterable[Establishment]]) -> Callable[[str], bool]:
    """Which establishments' own rows ``caller`` may read: all for the national team, else those of
    its regions and its own memberships."""
    if caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN):
        return lambda _finess: True
    regions = caller.regions()
    allowed = {e.finess.value for e in establishments() if e.region in regions} | {f.value for f in caller.memberships}
    return allowed.__contains__


def visible_rows(rows: Sequence[dict[str, Any]], allowed: Callable[[str], bool]) -> list[dict[str, Any]]:
    """The rows ``allowed`` lets through: rows naming an establishment are kept only for allowed ones."""
    return [row for row in rows if "establishment" not in row or allowed(str(row["establishment"]))]


def distribution_suppressed(peers: int) -> str | None:
    """Why a distribution of ``peers`` other establishments is not shown (None: it is shown)."""
    if peers >= MIN_PEERS:
        return None
    return (
        f"Comparaison masquée : elle ne compterait que {peers} autre{'s' if peers > 1 else ''} établissement"
        f"{'s' if peers > 1 else ''} de la catégorie avec des données clôturées (au moins {MIN_PEERS} sont nécessaires "
        "pour que la valeur d'aucun établissement ne puisse être déduite)."
    )
