"""Completeness (DOMAIN.md §10.9, API.md "Follow-up"): for a region or the nation, each establishment ×
file type × period of a year: absent, imported, waiting or closed.

A region's table is its regional team's and the national team's; the nation's, the national team's
only (a regional team never reads another region's establishments). The year is read from the stores
in bulk, every establishment at once (``YearRecords``).
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import RegionCode
from chalicelib.domain.completeness import YearFacts, YearStates, dataset_states, nothing_of
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.periods import Period
from chalicelib.domain.tenants import Establishment
from chalicelib.services.indicators.visibility import check_aggregates, is_national
from chalicelib.services.ports import TenantStore
from chalicelib.services.ports.completeness import YearRecords


class CompletenessService:
    def __init__(self, *, tenants: TenantStore, records: YearRecords) -> None:
        self._tenants = tenants
        self._records = records

    def table(self, caller: Principal, scope: str | None, year: str | None) -> list[dict[str, Any]]:
        """``[{finess, name, region, category, datasets: {type: {period: state}}}]`` sorted by name.
        Raises InvalidInput (scope, year), Forbidden, NotFound (another region)."""
        region = _region(scope)
        when = _year(year)
        if region is None and caller.regions() and not is_national(caller):
            raise Forbidden("La complétude nationale est réservée à l'équipe nationale : choisissez votre région.")
        check_aggregates(caller, region)
        rows = [_row(e, states) for e, states in self.states(when, region)]
        return sorted(rows, key=lambda r: (r["name"].casefold(), r["finess"]))

    def states(self, year: int, region: RegionCode | None = None) -> list[tuple[Establishment, YearStates]]:
        """Each establishment of ``region`` (None: the nation) with the state of its year's datasets."""
        return [(e, dataset_states(facts)) for e, facts in self.facts(year, region)]

    def facts(self, year: int, region: RegionCode | None = None) -> list[tuple[Establishment, YearFacts]]:
        """Each establishment of ``region`` (None: the nation) with what the stores say of its year."""
        establishments = self._tenants.list_establishments(region)
        records = self._records.of_year(year, None if region is None else [e.finess for e in establishments])
        return [(e, records.get(e.finess.value) or nothing_of(year)) for e in establishments]


def _row(establishment: Establishment, states: YearStates) -> dict[str, Any]:
    return {
        "finess": establishment.finess.value,
        "name": establishment.name,
        "region": establishment.region.value,
        "category": establishment.category,
        "datasets": {kind: {p: s.value for p, s in periods.items()} for kind, periods in states.items()},
    }


def _region(scope: str | None) -> RegionCode | None:
    """``region:XX`` -> XX; ``national`` -> None. Raises InvalidInput."""
    if scope == "national":
        return None
    if scope and scope.startswith("region:"):
        try:
            return RegionCode.parse(scope.removeprefix("region:"))
        except InvalidInput as error:
            raise NotFound("Région introuvable.") from error
    raise InvalidInput("Portée invalide : « region:<code> » ou « national » (scope=region:84).", details=[{"field": "scope"}])


def _year(raw: str | None) -> int:
    try:
        when = Period.parse(raw or "")
    except InvalidInput as error:
        raise InvalidInput("Année invalide : une année sur quatre chiffres (year=2025).", details=[{"field": "year"}]) from error
    if when.quarter is not None:
        raise InvalidInput("Année invalide : une année sur quatre chiffres (year=2025).", details=[{"field": "year"}])
    return when.year
