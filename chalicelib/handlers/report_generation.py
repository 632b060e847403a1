"""Remaking a year's standard reports and syntheses (API.md "Reports", the national team): the request
(202, followed like the EARS-Net export), and the generation workflow's tasks."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers.http import endpoint
from chalicelib.handlers.responses.reports import Generation
from chalicelib.handlers.schemas import Body
from chalicelib.handlers.workflow import register_tasks

bp = Blueprint(__name__)
BASE = "/api/admin/reports/{year}/generate"


class GenerateBody(Body):
    #: region:<code>, national or establishment:<FINESS>; none: every report of the year.
    scope: str | None = Field(default=None, max_length=40)


@endpoint(bp, BASE, "POST", summary="Régénérer les rapports d'une année (tous, ou un périmètre)", body=GenerateBody,
          status=202, tag="reports", action=Action.GENERATE_REPORTS, response=Generation)  # fmt: skip
def generate(year: str, body: GenerateBody, caller: Principal) -> dict[str, Any]:
    return services().report_generation.start(caller, year, body.scope)


@endpoint(bp, f"{BASE}/{{job_id}}", summary="Une demande de génération : statut, rapports produits, échecs", tag="reports",
          action=Action.GENERATE_REPORTS, response=Generation)  # fmt: skip
def generation(year: str, job_id: str, caller: Principal) -> dict[str, Any]:
    return services().report_generation.get(caller, year, job_id)


class GenerationPayload(BaseModel):
    """What the generation's state machine hands its tasks: ids and scopes, never data."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    year: int
    scope: str | None = None
    items: list[dict[str, str]] | None = None
    error: dict[str, Any] | None = None


TASKS = {"plan": "task_plan", "make": "task_make", "item_failed": "task_item_failed", "finish": "task_finish",
         "fail": "task_fail"}  # fmt: skip
register_tasks(bp, "rg", lambda: services().report_generation, TASKS, GenerationPayload)
