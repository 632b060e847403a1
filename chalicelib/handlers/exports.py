"""The ECDC export (EARS-Net), for the national team: launch, follow, download; its settings."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers.http import endpoint
from chalicelib.handlers.responses import exports as r
from chalicelib.handlers.schemas import Body
from chalicelib.handlers.workflow import register_tasks

bp = Blueprint(__name__)
BASE = "/api/admin/exports/ears-net"


class ExportBody(Body):
    year: int = Field(ge=2000, le=2100)


class SettingsBody(Body):
    export_date: str | None = Field(default=None, max_length=5)
    hospital_representativeness: str | None = Field(default=None, max_length=6)
    isolate_representativeness: str | None = Field(default=None, max_length=6)
    geographic_representativeness: str | None = Field(default=None, max_length=6)
    culture_sets: dict[str, int] | None = None


@endpoint(bp, BASE, "POST", summary="Lancer l'export EARS-Net (ECDC TESSy) d'une année clôturée", body=ExportBody, status=202,
          tag="exports", action=Action.EXPORT_EARS_NET, response=r.EarsNetExport)  # fmt: skip
def export(body: ExportBody, caller: Principal) -> dict[str, Any]:
    return services().ears_net.export(caller, body.year)


@endpoint(bp, BASE, summary="Les exports EARS-Net passés", tag="exports", action=Action.EXPORT_EARS_NET,
          response=list[r.EarsNetExport])  # fmt: skip
def exports(caller: Principal) -> list[dict[str, Any]]:
    return services().ears_net.history(caller)


@endpoint(bp, f"{BASE}/settings", summary="Paramètres de l'export EARS-Net", tag="exports", action=Action.EXPORT_EARS_NET,
          response=r.EarsNetSettings)  # fmt: skip
def settings(caller: Principal) -> dict[str, Any]:
    return services().ears_net.settings(caller)


@endpoint(bp, f"{BASE}/settings", "PUT", summary="Modifier les paramètres de l'export EARS-Net", body=SettingsBody,
          tag="exports", action=Action.EXPORT_EARS_NET, response=r.EarsNetSettings)  # fmt: skip
def put_settings(body: SettingsBody, caller: Principal) -> dict[str, Any]:
    return services().ears_net.put_settings(caller, body.model_dump(exclude_none=True))


@endpoint(bp, f"{BASE}/{{export_id}}", summary="Un export EARS-Net : statut, validation, effectifs, fichiers", tag="exports",
          action=Action.EXPORT_EARS_NET, response=r.EarsNetExport)  # fmt: skip
def export_status(export_id: str, caller: Principal) -> dict[str, Any]:
    return services().ears_net.get(caller, export_id)



class ExportPayload(BaseModel):
    """What the export's state machine hands its tasks: ids, never data."""

    model_config = ConfigDict(extra="forbid")

    export_id: str
    year: int
    by: str
    error: dict[str, Any] | None = None


register_tasks(bp, "ex", lambda: services().ears_net, {"run": "task_run", "fail": "task_fail"}, ExportPayload)
