"""Administration of tenants and profiles, and the audit trail (profile admin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers import params as q
from chalicelib.handlers import schemas, views
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import admin as r
from chalicelib.handlers.responses.directory import EstablishmentWithLaboratories, Laboratory
from chalicelib.services.tenants import establishment_view, laboratory_view

bp = Blueprint(__name__)


@endpoint(bp, "/api/admin/establishments", "POST", summary="Créer un établissement",
          body=schemas.EstablishmentCreate, status=201, action=Action.ADMINISTER_TENANTS,
          response=EstablishmentWithLaboratories)  # fmt: skip
def create_establishment(body: schemas.EstablishmentCreate, caller: Principal) -> dict[str, Any]:
    created = services().tenants.create_establishment(caller, body.finess, body.name, body.category, body.region)
    return establishment_view(created)


@endpoint(bp, "/api/admin/establishments/{finess}", "PATCH", summary="Modifier un établissement",
          body=schemas.EstablishmentPatch, action=Action.ADMINISTER_TENANTS,
          response=EstablishmentWithLaboratories)  # fmt: skip
def update_establishment(finess: str, body: schemas.EstablishmentPatch, caller: Principal) -> dict[str, Any]:
    return establishment_view(services().tenants.update_establishment(caller, finess, body.model_dump(exclude_none=True)))


@endpoint(bp, "/api/admin/laboratories", "POST", summary="Créer un laboratoire",
          body=schemas.LaboratoryCreate, status=201, action=Action.ADMINISTER_TENANTS, response=Laboratory)  # fmt: skip
def create_laboratory(body: schemas.LaboratoryCreate, caller: Principal) -> dict[str, Any]:
    return laboratory_view(services().tenants.create_laboratory(caller, body.name, body.ears_net_code))


@endpoint(bp, "/api/admin/establishments", action=Action.ADMINISTER_TENANTS, params=(q.REGION, q.YEAR),
          response=list[r.EstablishmentOverview],
          summary="Les établissements avec référent, membres et statut des périodes (?region=&year=)")  # fmt: skip
def establishments(caller: Principal) -> list[dict[str, Any]]:
    found = services().administration.establishments(caller, query(bp, "region"), query(bp, "year"))
    return [views.establishment_overview(o) for o in found]


@endpoint(bp, "/api/admin/laboratories", summary="Les laboratoires et les établissements qu'ils servent",
          action=Action.ADMINISTER_TENANTS, response=list[r.LaboratoryLinks])  # fmt: skip
def laboratories(caller: Principal) -> list[dict[str, Any]]:
    return [views.laboratory_links(links) for links in services().administration.laboratories(caller)]


@endpoint(bp, "/api/admin/establishments/{finess}/laboratories/{lab_id}", "PUT",
          summary="Rattacher un laboratoire", action=Action.ADMINISTER_TENANTS,
          response=EstablishmentWithLaboratories)  # fmt: skip
def link_laboratory(finess: str, lab_id: str, caller: Principal) -> dict[str, Any]:
    return establishment_view(services().tenants.link_laboratory(caller, finess, lab_id))


@endpoint(bp, "/api/admin/profiles", "POST", summary="Accorder un profil",
          body=schemas.ProfileGrant, status=201, action=Action.ADMINISTER_PROFILES, response=r.GrantedProfile)  # fmt: skip
def grant_profile(body: schemas.ProfileGrant, caller: Principal) -> dict[str, Any]:
    granted = services().profiles.grant(caller, body.email, body.type, body.region)
    return {"email": body.email.lower(), **views.profile(granted)}


@endpoint(
    bp, "/api/admin/profiles", summary="Les profils régionaux, nationaux et administrateurs", action=Action.ADMINISTER_PROFILES,
    response=list[r.ProfileHolder],
)
def profiles(caller: Principal) -> list[dict[str, Any]]:
    return [views.profile_holder(h) for h in services().administration.profiles(caller)]


@endpoint(bp, "/api/admin/profiles/{email}/{kind}", "DELETE", summary="Retirer un profil", action=Action.ADMINISTER_PROFILES,
          response=r.Revoked)  # fmt: skip
def revoke_profile(email: str, kind: str, caller: Principal) -> dict[str, Any]:
    services().profiles.revoke(caller, unquote(email), kind)
    return {"status": "revoked"}


@endpoint(bp, "/api/admin/audit", summary="Journal d'audit (?since=AAAA-MM-JJ)", action=Action.READ_AUDIT,
          params=(q.SINCE,), response=list[r.AuditEntry])  # fmt: skip
def audit(caller: Principal) -> list[dict[str, Any]]:
    return [views.audit(e) for e in services().profiles.audit_since(caller, query(bp, "since"))]
