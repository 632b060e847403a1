"""A laboratory's label mappings, the reference lists, and resuming an import."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.drugs import default_ddd_table
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.handlers import params as q
from chalicelib.handlers import schemas
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import mappings as r
from chalicelib.handlers.responses.uploads import Upload
from chalicelib.handlers.uploads import upload_view
from chalicelib.services.ports import LabelMapping

bp = Blueprint(__name__)
LAB = "/api/laboratories/{lab_id}"


def mapping_view(m: LabelMapping) -> dict[str, Any]:
    view: dict[str, Any] = {"label": m.label, "state": m.state}
    if m.code:
        view["code"] = m.code
    if m.proposed_code:
        view["proposed_code"] = m.proposed_code
    if m.hints:
        view["hints"] = list(m.hints)
    if m.state == "confirmed" and m.version:
        view |= {"version": m.version, "updated_by": m.updated_by, "updated_at": m.updated_at}
        if m.previous_code:
            view["previous_code"] = m.previous_code
    return view


@endpoint(bp, f"{LAB}/mappings", summary="Correspondances des libellés du laboratoire (?kind=&state=)",
          params=(q.MAPPING_KIND, q.MAPPING_STATE), response=list[r.Mapping])  # fmt: skip
def list_mappings(lab_id: str, caller: Principal) -> list[dict[str, Any]]:
    found = services().mappings.list_labels(caller, lab_id, query(bp, "kind"), query(bp, "state"))
    return [mapping_view(m) for m in found]


@endpoint(bp, f"{LAB}/mappings/changes", summary="Version des correspondances et leurs modifications, la dernière d'abord",
          response=r.MappingChanges)  # fmt: skip
def mapping_changes(lab_id: str, caller: Principal) -> dict[str, Any]:
    version, confirmed = services().mappings.changes(caller, lab_id)
    return {"version": version, "mappings": [mapping_view(m) | {"kind": m.kind} for m in confirmed]}


@endpoint(
    bp, f"{LAB}/mappings/{{kind}}", "PUT", summary="Confirmer des correspondances [{label, code}]", body=schemas.MappingsPut,
    response=list[r.Mapping],
)
def put_mappings(lab_id: str, kind: str, body: schemas.MappingsPut, caller: Principal) -> list[dict[str, Any]]:
    confirmed = services().mappings.confirm(caller, lab_id, kind, [(line.label, line.code) for line in body.root])
    return [mapping_view(m) for m in confirmed]


@endpoint(bp, f"{LAB}/mappings/{{kind}}/confirm-proposals", "POST", summary="Confirmer toutes les propositions automatiques",
          response=list[r.Mapping])  # fmt: skip
def confirm_proposals(lab_id: str, kind: str, caller: Principal) -> list[dict[str, Any]]:
    return [mapping_view(m) for m in services().mappings.confirm_all_proposals(caller, lab_id, kind)]


@endpoint(
    bp,
    "/api/establishments/{finess}/uploads/{upload_id}/resume",
    "POST",
    summary="Reprendre un import après les correspondances",
    status=202,
    action=Action.UPLOAD_DATA,
    response=Upload,
)
def resume(finess: str, upload_id: str, caller: Principal) -> dict[str, Any]:
    return upload_view(services().uploads.resume(caller, finess, upload_id))


@endpoint(bp, "/api/reference/species", summary="Liste de référence des espèces", public=True, response=list[r.Species])
def species() -> list[dict[str, Any]]:
    return [
        {"code": s.code, "name": s.name, "group": s.group.value, "gram": s.gram.value, "ears_net_code": s.ears_net_code}
        for s in default_reference().species_by_code.values()
    ]


@endpoint(bp, "/api/reference/specimen-categories", summary="Catégories de prélèvement", public=True,
          response=list[r.SpecimenCategory])  # fmt: skip
def specimen_categories() -> list[dict[str, Any]]:
    return [
        {"code": c.code, "label": c.label, "ears_net_specimen": c.ears_net_specimen}
        for c in default_reference().specimen_categories_by_code.values()
    ]


@endpoint(bp, "/api/reference/antibiotics", summary="Liste de référence des antibiotiques", public=True,
          response=list[r.Antibiotic])  # fmt: skip
def antibiotics() -> list[dict[str, Any]]:
    return [
        {"code": a.code, "name": a.name_fr, "atc": a.atc, "family": a.family}
        for a in default_reference().antibiotics_by_code.values()
    ]


@endpoint(bp, "/api/reference/ddd", summary="DDJ de l'OMS (?version=2024)", public=True, params=(q.DDD_VERSION,),
          response=list[r.Ddd])  # fmt: skip
def ddd() -> list[dict[str, Any]]:
    table = default_ddd_table()
    version = query(bp, "version")
    return [
        {
            "version": d.version,
            "atc": str(d.atc),
            "substance": d.substance,
            "route": d.route.value,
            "ddd": str(d.value),
            "unit": d.unit.value,
        }
        for d in table.rows
        if version is None or str(d.version) == version
    ]
