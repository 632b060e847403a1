"""Alerts on rare phenotypes (DOMAIN.md §10.10, API.md "Follow-up"): raised at import, listed, acknowledged.

- **Raised** by the deduplication workflow once an antibiogram import is current, for each isolate the
  import's deduplication kept: one alert per isolate and kind, its id derived from the isolate
  (``alerts.alert_id``) and written only if absent, so a retried task or the same isolate imported again
  raises nothing new and never resets a status. Each new alert is e-mailed to the establishment's
  référent once (the store's ``claim_mail``: whoever claims it sends it; a mail that fails is logged, the
  alert stays listed).
- **Listed** for the establishment's members, its region's team and the national team (``VIEW_ALERTS``),
  from the import on: an alert is a signal to follow, not an indicator of closed data.
- **Acknowledged** (``vue``/``traitée``, with a comment) by the establishment's référent and
  contributeurs (``ACKNOWLEDGE_ALERT``), audited.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any

from chalicelib.domain import letters
from chalicelib.domain.alerts import ALERTS_RULE, Alert, AlertKind, alert_id, comment_of, listed_status_of, status_of
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import RegionCode
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.table import IsolateTable
from chalicelib.domain.tenants import Establishment
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.indicators.visibility import check_aggregates, is_national
from chalicelib.services.ports import AccessStore, Mailer
from chalicelib.services.ports.alerts import AlertStore
from chalicelib.services.resistance_rules import FindAlerts

logger = logging.getLogger(__name__)


class AlertService:
    def __init__(
        self,
        *,
        alerts: AlertStore,
        access: AccessStore,
        mailer: Mailer,
        guard: Guard,
        context: Context,
        find: FindAlerts,
        species_name: Callable[[str], str],
        web_url: str,
    ) -> None:
        self._alerts = alerts
        self._access = access
        self._mailer = mailer
        self._guard = guard
        self._ctx = context
        self._find = find
        self._species_name = species_name
        self._web_url = web_url

    # --- raised at import ------------------------------------------------------------------------

    def raise_for_import(
        self,
        establishment: Establishment,
        upload_id: str,
        year: int,
        table: IsolateTable,
        pseudonyms: Sequence[str],
        kept: Sequence[bool],
    ) -> dict[str, int]:
        """The alerts of the import's kept isolates, each written once and e-mailed once. Idempotent.
        Returns the alerts the import shows per kind (new or raised before)."""
        finess = establishment.finess.value
        now = self._ctx.now_iso()
        shown: Counter[str] = Counter()
        referent = self._access.referent_of(establishment.finess)
        for position, finding in self._find(table, kept):
            when = date.fromordinal(table.specimen_date[position]).isoformat()
            species, specimen = table.species[position], table.specimen[position]
            alert = Alert(
                alert_id(finess, pseudonyms[position], species, specimen, when, finding.kind), finess,
                establishment.region.value, year, finding.kind, finding.phenotype, species, self._species_name(species),
                specimen, when, upload_id, now,
            )  # fmt: skip
            shown[finding.kind.value] += 1
            new = self._alerts.add(alert)
            if referent is not None:
                self._mail(establishment, alert if new else (self._alerts.get(alert.alert_id) or alert), referent.value)
        return dict(shown)

    def _mail(self, establishment: Establishment, stored: Alert, referent: str) -> None:
        """The référent hears of the alert once (also when a retry finds the alert written but not mailed)."""
        if not self._alerts.claim_mail(stored.alert_id, self._ctx.now_iso()):
            return
        letter = letters.alert_raised(
            (referent,), establishment.name, stored.finess, stored.kind.label, stored.phenotype, stored.species_name,
            stored.specimen_date, self.link(stored),
        )  # fmt: skip
        try:
            self._mailer.send(letter)
        except Exception:  # the alert is listed whatever the mail does; the import goes on
            logger.exception("alert mail failed", extra={"alert_id": stored.alert_id})

    def link(self, alert: Alert) -> str:
        return f"{self._web_url}/#/alertes?scope=establishment:{alert.finess}&alerte={alert.alert_id}"

    # --- listed and acknowledged -----------------------------------------------------------------

    def listing(self, caller: Principal, scope: str | None, year: str | None, status: str | None) -> list[dict[str, Any]]:
        """The alerts of a scope the caller may follow, the last raised first (then the latest specimen).
        Raises InvalidInput, Forbidden, NotFound (an establishment or region the caller cannot see)."""
        wanted_status = listed_status_of(status)
        wanted_year = _year(year)
        found = [a for a in self._scoped(caller, scope) if wanted_year is None or a.year == wanted_year]
        found.sort(key=lambda a: (a.created_at, a.specimen_date), reverse=True)  # one import's: the latest specimen first
        return [a.row() for a in found if wanted_status is None or a.status is wanted_status]

    def counts(self, caller: Principal, scope: str | None, year: str | None) -> dict[str, Any]:
        """How many alerts per kind and per status (the dashboards' "Alertes" section)."""
        wanted_year = _year(year)
        found = [a for a in self._scoped(caller, scope) if wanted_year is None or a.year == wanted_year]
        by_kind = Counter(a.kind.value for a in found)
        return {
            "total": len(found),
            "by_kind": [{"kind": k.value, "label": k.label, "count": by_kind.get(k.value, 0)} for k in AlertKind],
            "by_status": dict(Counter(a.status.value for a in found)),
        }

    def year_summary(
        self, caller: Principal, scope: str, year: int, closed: Mapping[str, Collection[str]] | None = None
    ) -> dict[str, Any]:
        """The year's alerts of a scope as a report presents them (DOMAIN.md §10.8): how many per kind (every
        kind, zeros included) and per carbapenemase type of the EPC, how many acknowledged (``vue`` or
        ``traitée``) and still to handle, and each alert, the earliest specimen first, without its comment
        nor its id (nothing a person typed, nothing that names an isolate). With ``closed`` (each
        establishment's closed periods: a synthesis, never a draft), only the alerts of closed data.
        Raises as ``listing``."""
        found = sorted((a for a in self._scoped(caller, scope)
                        if a.year == year and (closed is None or a.in_closed(closed.get(a.finess, ())))),
                       key=lambda a: (a.specimen_date, a.kind.value, a.species))  # fmt: skip
        by_kind = Counter(a.kind.value for a in found)
        by_type = Counter(a.carbapenemase for a in found if a.carbapenemase is not None)
        acknowledged = sum(1 for a in found if a.acknowledged_yet)
        return {
            "scope": scope,
            "year": year,
            "rule": ALERTS_RULE,
            "total": len(found),
            "acknowledged": acknowledged,
            "to_handle": len(found) - acknowledged,
            "by_kind": [{"kind": k.value, "label": k.label, "count": by_kind.get(k.value, 0)} for k in AlertKind],
            "by_carbapenemase": [{"type": t, "count": n} for t, n in sorted(by_type.items(), key=lambda i: (-i[1], i[0]))],
            "rows": [_reported(a) for a in found],
        }

    def acknowledge(self, caller: Principal, alert_id: str, status: object, comment: object) -> dict[str, Any]:
        """Mark an alert seen or handled, with a comment. Raises NotFound (absent, or not the caller's to see),
        Forbidden (seen but not the caller's to handle), InvalidInput, Conflict (changed meanwhile)."""
        before = self._alerts.get(alert_id)
        if before is None:
            raise NotFound("Alerte introuvable.")
        self._guard.establishment(caller, Action.ACKNOWLEDGE_ALERT, before.finess)
        after = before.acknowledged(status_of(status), comment_of(comment), caller.email.value, self._ctx.now_iso())
        if not self._alerts.save(after):
            raise Conflict("L'alerte vient d'être modifiée par quelqu'un d'autre : rechargez la page et recommencez.")
        self._ctx.audit(
            caller.email.value, "alert.acknowledge", f"establishment:{before.finess}/alert:{alert_id}",
            {"status": before.status.value, "comment": before.comment}, {"status": after.status.value, "comment": after.comment},
        )  # fmt: skip
        return after.row()

    def _scoped(self, caller: Principal, scope: str | None) -> list[Alert]:
        if scope and scope.startswith("establishment:"):
            found = self._guard.establishment(caller, Action.VIEW_ALERTS, scope.removeprefix("establishment:"))
            return self._alerts.of_establishment(found.finess.value)
        if scope and scope.startswith("region:"):
            try:
                region = RegionCode.parse(scope.removeprefix("region:"))
            except InvalidInput as error:
                raise NotFound("Région introuvable.") from error
            check_aggregates(caller, region)
            return self._alerts.of_region(region.value)
        if scope == "national":
            if not is_national(caller):
                raise Forbidden("Les alertes de toute la France sont réservées à l'équipe nationale : choisissez votre région.")
            return self._alerts.all()
        raise InvalidInput(
            "Portée invalide : « establishment:<FINESS> », « region:<code> » ou « national » (scope=establishment:440000990).",
            details=[{"field": "scope"}],
        )


def _reported(alert: Alert) -> dict[str, Any]:
    """An alert as a report lists it: never its comment, nor its id."""
    return {"specimen_date": alert.specimen_date, "kind": alert.kind.value, "phenotype": alert.phenotype,
            "species": alert.species, "species_name": alert.species_name, "specimen": alert.specimen,
            "finess": alert.finess, "acknowledged": alert.acknowledged_yet}  # fmt: skip


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    try:
        when = Period.parse(raw)
    except InvalidInput as error:
        raise InvalidInput("Année invalide : une année sur quatre chiffres (year=2025).", details=[{"field": "year"}]) from error
    if when.quarter is not None:
        raise InvalidInput("Année invalide : une année sur quatre chiffres (year=2025).", details=[{"field": "year"}])
    return when.year
