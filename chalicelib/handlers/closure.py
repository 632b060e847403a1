"""Periods, their closure (API and workflow tasks) and reopening."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers import params as q
from chalicelib.handlers import schemas
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import closure as r
from chalicelib.handlers.workflow import register_tasks

bp = Blueprint(__name__)
ES = "/api/establishments/{finess}"


@endpoint(bp, f"{ES}/periods", summary="Les périodes de l'année et leur statut (?year=)", action=Action.ANALYSE,
          params=(q.YEAR_REQUIRED,), response=list[r.PeriodOfYear])  # fmt: skip
def periods(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return services().closure.periods(caller, finess, query(bp, "year"))


@endpoint(bp, f"{ES}/periods/{{period}}/close", "POST", summary="Clôturer une période (409 : contrôles bloquants)", status=202,
          action=Action.CLOSE_PERIOD, response=r.PeriodChange)  # fmt: skip
def close(finess: str, period: str, caller: Principal) -> dict[str, Any]:
    return services().closure.close(caller, finess, period)


@endpoint(bp, "/api/admin/establishments/{finess}/periods/{period}/reopen", "POST", summary="Rouvrir une période clôturée",
          body=schemas.ReopenBody, action=Action.REOPEN_PERIOD, response=r.PeriodChange)  # fmt: skip
def reopen(finess: str, period: str, body: schemas.ReopenBody, caller: Principal) -> dict[str, Any]:
    return services().closure.reopen(caller, finess, period, body.reason)


class ClosurePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finess: str
    period: str
    by: str
    blocking: int | None = None
    published: int | None = None
    notified: int | None = None
    status: str | None = None
    error: dict[str, Any] | None = None
    #: The closure's own id (its execution's name): the report it makes is claimed by it.
    closure: str | None = None
    report: dict[str, Any] | None = None  # {year, version, pages} once made
    report_failed: bool | None = None


CLOSURE_TASKS = {name: f"task_{name}" for name in ("controls", "close", "notify", "abort")}
register_tasks(bp, "cl", lambda: services().closure, CLOSURE_TASKS, ClosurePayload)
