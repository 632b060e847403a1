"""Alerts on rare phenotypes (API.md "Follow-up", docs/api-extensions.md): thin routes over services/alerts.py.

The service decides who sees an alert (404 for anyone else) and who acknowledges it; the comment is bounded
here only so that a request stays small: its rule and French message are the domain's."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import Field

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers import params as q
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import follow_up as r
from chalicelib.handlers.schemas import Body

bp = Blueprint(__name__)


class AcknowledgeBody(Body):
    status: str = Field(max_length=40)
    comment: str | None = Field(default=None, max_length=20_000)


@endpoint(bp, "/api/alerts", summary="Alertes sur les phénotypes rares ou émergents (?scope=&year=&status=)",
          tag="follow-up", action=Action.VIEW_ALERTS, params=(q.SCOPE, q.YEAR, q.ALERT_STATUS),
          response=list[r.Alert])  # fmt: skip
def list_alerts(caller: Principal) -> list[dict[str, Any]]:
    return services().alerts.listing(caller, query(bp, "scope"), query(bp, "year"), query(bp, "status"))


@endpoint(bp, "/api/alerts/counts", summary="Nombre d'alertes par phénotype et par statut (?scope=&year=)",
          tag="follow-up", action=Action.VIEW_ALERTS, params=(q.SCOPE, q.YEAR), response=r.AlertCounts)  # fmt: skip
def count_alerts(caller: Principal) -> dict[str, Any]:
    return services().alerts.counts(caller, query(bp, "scope"), query(bp, "year"))


@endpoint(bp, "/api/alerts/{alert_id}", "PATCH", summary="Marquer une alerte vue ou traitée, avec un commentaire",
          body=AcknowledgeBody, tag="follow-up", action=Action.ACKNOWLEDGE_ALERT, response=r.Alert)  # fmt: skip
def acknowledge(alert_id: str, body: AcknowledgeBody, caller: Principal) -> dict[str, Any]:
    return services().alerts.acknowledge(caller, alert_id, body.status, body.comment)
