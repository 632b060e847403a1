"""Public directory (no login), health, and the API's own description."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.handlers import params as q
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import directory as r
from chalicelib.services.tenants import establishment_view

bp = Blueprint(__name__)


@endpoint(bp, "/api/health", summary="État du service", public=True, response=r.Health)
def health() -> dict[str, Any]:
    return {"status": "ok", "version": services().settings.version}


@endpoint(bp, "/api/regions", summary="Les régions", public=True, response=list[r.Region])
def regions() -> list[dict[str, Any]]:
    return [{"code": r.code, "name": r.name} for r in services().tenants.regions()]


@endpoint(bp, "/api/establishments", summary="Les établissements (filtre ?region=)", public=True, params=(q.REGION,),
          response=list[r.Establishment])  # fmt: skip
def establishments() -> list[dict[str, Any]]:
    found = services().tenants.establishments(query(bp, "region"))
    return [{k: v for k, v in establishment_view(e).items() if k != "laboratories"} for e in found]


@endpoint(bp, "/api/openapi.json", summary="Description OpenAPI de l'API", public=True, response=r.OpenApiDocument)
def openapi() -> dict[str, Any]:
    from chalicelib.handlers.openapi import document

    return document(services().settings.version)
