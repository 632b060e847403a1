"""Who sees what of the indicators (DOMAIN.md §10.1), decided here and nowhere else.

- An establishment's members see its drafts and its closed data; anyone else allowed to
  analyse it (its region's team, the national team) sees its closed periods only.
- A region's aggregates are its regional team's and the national team's; the nation's, every
  regional team's too. A region the caller's profiles do not cover is another tenant: it does
  not exist for them (404); a caller with no regional or national profile lacks the right (403).
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
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.tenants import Establishment

MIN_PEERS = 5


def sees_drafts(caller: Principal, finess: Finess) -> bool:
    """Only the establishment's own members ever see its unclosed data."""
    return finess in caller.memberships


def is_national(caller: Principal) -> bool:
    """The national team (or an administrator): every region, every establishment."""
    return caller.has_profile(ProfileType.NATIONAL) or caller.has_profile(ProfileType.ADMIN)


def check_aggregates(caller: Principal, region: RegionCode | None) -> None:
    """May ``caller`` read the aggregates of ``region`` (None: the nation)? Raises Forbidden or NotFound."""
    if is_national(caller):
        return
    if not caller.regions():
        if region is not None:
            raise Forbidden("Les indicateurs d'une région sont réservés à sa cellule régionale et à l'équipe nationale.")
        raise Forbidden("Les indicateurs nationaux sont réservés aux équipes régionales et nationale.")
    if region is not None and region not in caller.regions():
        raise NotFound("Région introuvable.")


def establishment_filter(
    caller: Principal, establishments_of: Callable[[RegionCode], Iterable[Establishment]]
) -> Callable[[str], bool]:
    """Which establishments' own rows ``caller`` may read: all for the national team, else those of
    its regions and its own memberships (``establishments_of`` each of its regions read when a row first names
    an establishment: most answers have none; a region's directory, not the nation's 1,700)."""
    if is_national(caller):
        return lambda _finess: True
    regions = caller.regions()
    allowed: set[str] | None = None

    def may_read(finess: str) -> bool:
        nonlocal allowed
        if allowed is None:
            mine = {e.finess.value for region in sorted(regions) for e in establishments_of(region) if e.region == region}
            allowed = mine | {f.value for f in caller.memberships}
        return finess in allowed

    return may_read


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
