"""Tenants administration (profile admin) and the public directory."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.tenants import (
    Establishment,
    Laboratory,
    Region,
    all_regions,
    ears_net_laboratory_code,
    known_category,
    known_region,
)
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import TenantStore


def establishment_view(es: Establishment) -> dict[str, Any]:
    return {
        "finess": es.finess.value,
        "name": es.name,
        "category": es.category,
        "region": es.region.value,
        "laboratories": sorted(es.laboratories),
    }


def laboratory_view(lab: Laboratory) -> dict[str, Any]:
    return {"id": lab.lab_id, "name": lab.name, "ears_net_code": lab.ears_net_code}


class TenantService:
    def __init__(self, tenants: TenantStore, guard: Guard, context: Context) -> None:
        self._tenants = tenants
        self._guard = guard
        self._ctx = context

    # Public directory -------------------------------------------------
    def regions(self) -> list[Region]:
        return all_regions()

    def establishments(self, region: str | None) -> list[Establishment]:
        return self._tenants.list_establishments(known_region(region) if region else None)

    # Administration ----------------------------------------------------
    def create_establishment(self, caller: Principal, finess: str, name: str, category: str, region: str) -> Establishment:
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        establishment = Establishment.create(finess, name, category, region)
        self._tenants.create_establishment(establishment)
        self._ctx.audit(
            caller.email.value,
            "establishment.create",
            f"establishment:{establishment.finess}",
            None,
            establishment_view(establishment),
        )
        return establishment

    def update_establishment(self, caller: Principal, finess: str, changes: dict[str, Any]) -> Establishment:
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        current = self._guard.existing(finess)
        updated = current
        if changes.get("name") is not None:
            name = str(changes["name"]).strip()
            if not name:
                raise InvalidInput("Le nom de l'établissement est obligatoire.", details=[{"field": "name"}])
            updated = replace(updated, name=name)
        if changes.get("category") is not None:
            updated = replace(updated, category=known_category(changes["category"]))
        if changes.get("region") is not None:
            updated = replace(updated, region=known_region(changes["region"]))
        self._tenants.replace_establishment(updated)
        self._ctx.audit(
            caller.email.value,
            "establishment.update",
            f"establishment:{finess}",
            establishment_view(current),
            establishment_view(updated),
        )
        return updated

    def create_laboratory(self, caller: Principal, name: str, ears_net_code: str | None) -> Laboratory:
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        clean = name.strip()
        if not clean:
            raise InvalidInput("Le nom du laboratoire est obligatoire.", details=[{"field": "name"}])
        code = ears_net_laboratory_code(ears_net_code)
        laboratory = Laboratory(self._ctx.ids.new_id(), clean, code)
        self._tenants.create_laboratory(laboratory)
        self._ctx.audit(
            caller.email.value, "laboratory.create", f"laboratory:{laboratory.lab_id}", None, laboratory_view(laboratory)
        )
        return laboratory

    def laboratories(self, caller: Principal) -> list[Laboratory]:
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        return self._tenants.list_laboratories()

    def laboratories_of(self, caller: Principal, finess: str) -> list[dict[str, Any]]:
        """The laboratories serving an establishment, for its members (resistance imports)."""
        establishment = self._guard.establishment(caller, Action.ANALYSE, finess)
        found = [self._tenants.get_laboratory(lab_id) for lab_id in sorted(establishment.laboratories)]
        return [laboratory_view(lab) for lab in found if lab is not None]

    def link_laboratory(self, caller: Principal, finess: str, lab_id: str) -> Establishment:
        self._guard.require(caller, Action.ADMINISTER_TENANTS)
        current = self._guard.existing(finess)
        if self._tenants.get_laboratory(lab_id) is None:
            raise NotFound("Laboratoire introuvable.")
        if lab_id in current.laboratories:
            return current  # idempotent PUT
        updated = replace(current, laboratories=current.laboratories | {lab_id})
        self._tenants.replace_establishment(updated)
        self._ctx.audit(
            caller.email.value,
            "establishment.link_laboratory",
            f"establishment:{finess}",
            {"laboratories": sorted(current.laboratories)},
            {"laboratories": sorted(updated.laboratories)},
        )
        return updated
