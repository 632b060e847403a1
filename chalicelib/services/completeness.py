"""Completeness (DOMAIN.md §10.9, API.md "Follow-up"): for a region or the nation, each establishment ×
file type × period of a year: absent, imported, waiting or closed.

A region's table is its regional team's and the national team's; the nation's, the national team's
only (a regional team never reads another region's establishments). Each establishment's year is
read from the stores a few establishments at a time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import RegionCode
from chalicelib.domain.completeness import WAITING_STATUSES, YearFacts, dataset_states
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.periods import Period
from chalicelib.domain.tenants import Establishment
from chalicelib.services.indicators.visibility import check_aggregates, is_national
from chalicelib.services.ports import PeriodStatusStore, SettingsStore, TenantStore, UploadStore

#: Establishments read at once (each costs four reads of the stores).
PARALLEL_READS = 16


class CompletenessService:
    def __init__(
        self, *, tenants: TenantStore, uploads: UploadStore, periods: PeriodStatusStore, settings: SettingsStore
    ) -> None:
        self._tenants = tenants
        self._uploads = uploads
        self._periods = periods
        self._settings = settings

    def table(self, caller: Principal, scope: str | None, year: str | None) -> list[dict[str, Any]]:
        """``[{finess, name, region, category, datasets: {type: {period: state}}}]`` sorted by name.
        Raises InvalidInput (scope, year), Forbidden, NotFound (another region)."""
        region = _region(scope)
        when = _year(year)
        if region is None and caller.regions() and not is_national(caller):
            raise Forbidden("La complétude nationale est réservée à l'équipe nationale : choisissez votre région.")
        check_aggregates(caller, region)
        establishments = self._tenants.list_establishments(region)
        with ThreadPoolExecutor(max_workers=PARALLEL_READS, thread_name_prefix="completeness") as pool:
            rows = list(pool.map(lambda e: self.row(e, when), establishments))
        return sorted(rows, key=lambda r: (r["name"].casefold(), r["finess"]))

    def row(self, establishment: Establishment, year: int) -> dict[str, Any]:
        """One establishment's year, as the table shows it."""
        states = dataset_states(self.facts(establishment, year))
        return {
            "finess": establishment.finess.value,
            "name": establishment.name,
            "region": establishment.region.value,
            "category": establishment.category,
            "datasets": {kind: {p: s.value for p, s in periods.items()} for kind, periods in states.items()},
        }

    def facts(self, establishment: Establishment, year: int) -> YearFacts:
        finess = establishment.finess
        imported = frozenset((c.file_type, c.period) for c in self._uploads.current_for_year(finess, year))
        waiting = frozenset(
            (u.file_type.value, str(u.period))
            for u in self._uploads.list_uploads(finess)
            if u.period.year == year and u.status in WAITING_STATUSES
        )
        closed = frozenset(s.period for s in self._periods.states(finess, year) if s.status == "closed")
        return YearFacts(year, self._settings.periodicities(finess, year) or {}, imported, waiting, closed)


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
