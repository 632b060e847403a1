"""Structure (UF), beds and per-year settings of an establishment."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers import params as q
from chalicelib.handlers import schemas
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import structure as r
from chalicelib.handlers.responses.directory import Laboratory
from chalicelib.services.structure import unit_view

bp = Blueprint(__name__)
ES = "/api/establishments/{finess}"


@endpoint(bp, f"{ES}/units", summary="Structure : les UF de l'établissement", action=Action.ANALYSE,
          response=list[r.UnitView])  # fmt: skip
def units(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return [unit_view(u) for u in services().structure.units(caller, finess)]


@endpoint(
    bp, f"{ES}/units/{{code_uf}}", "PUT", summary="Créer ou modifier une UF", body=schemas.UnitPut, action=Action.EDIT_STRUCTURE,
    response=r.UnitView,
)
def put_unit(finess: str, code_uf: str, body: schemas.UnitPut, caller: Principal) -> dict[str, Any]:
    return unit_view(services().structure.put_unit(caller, finess, unquote(code_uf), body.model_dump()))


@endpoint(bp, f"{ES}/units/{{code_uf}}", "DELETE", summary="Supprimer une UF", action=Action.EDIT_STRUCTURE,
          response=r.Deleted)  # fmt: skip
def delete_unit(finess: str, code_uf: str, caller: Principal) -> dict[str, Any]:
    services().structure.delete_unit(caller, finess, unquote(code_uf))
    return {"status": "deleted"}


@endpoint(
    bp, f"{ES}/beds/{{year}}", "PUT", summary="Lits par UF pour une année", body=schemas.BedsPut, action=Action.EDIT_STRUCTURE,
    response=r.Beds,
)
def put_beds(finess: str, year: str, body: schemas.BedsPut, caller: Principal) -> dict[str, Any]:
    saved = services().structure.put_beds(caller, finess, year, [(line.code_uf, line.lits) for line in body.root])
    return {"year": year, "beds": [{"code_uf": k, "lits": v} for k, v in sorted(saved.items())]}


@endpoint(bp, f"{ES}/beds/{{year}}", summary="Lits par UF pour une année", action=Action.ANALYSE, response=r.Beds)
def get_beds(finess: str, year: str, caller: Principal) -> dict[str, Any]:
    return {
        "year": year,
        "beds": [{"code_uf": k, "lits": v} for k, v in sorted(services().structure.beds(caller, finess, year).items())],
    }


@endpoint(bp, f"{ES}/laboratories", summary="Laboratoires de l'établissement", action=Action.ANALYSE,
          response=list[Laboratory])  # fmt: skip
def laboratories(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return services().tenants.laboratories_of(caller, finess)


@endpoint(bp, f"{ES}/settings/{{year}}", summary="Réglages de l'année (périodicités, antifongiques)", action=Action.ANALYSE,
          response=r.YearSettings)  # fmt: skip
def get_settings(finess: str, year: str, caller: Principal) -> dict[str, Any]:
    return services().structure.settings(caller, finess, year)


@endpoint(
    bp,
    f"{ES}/settings/{{year}}",
    "PUT",
    summary="Choisir les périodicités de l'année ou dire si ses consommations couvrent les antifongiques",
    body=schemas.SettingsPut,
    action=Action.EDIT_SETTINGS,
    response=r.YearSettings,
)
def put_settings(finess: str, year: str, body: schemas.SettingsPut, caller: Principal) -> dict[str, Any]:
    return services().structure.put_settings(caller, finess, year, body.model_dump(exclude_none=True))


@endpoint(bp, f"{ES}/controls", summary="Contrôles de l'année (?year=2025)", action=Action.ANALYSE,
          params=(q.YEAR_REQUIRED,), response=list[r.Control])  # fmt: skip
def controls(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return [c.as_dict() for c in services().controls.controls(caller, finess, query(bp, "year"))]
