"""The drug catalogue: lookups (any signed-in user), the national team's edits,
the sync on demand, and the daily sync schedule."""

from __future__ import annotations

from typing import Annotated, Any

from chalice import Blueprint
from pydantic import BeforeValidator, ConfigDict, Field, RootModel, WithJsonSchema

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers.http import endpoint
from chalicelib.handlers.responses import catalogue as r
from chalicelib.handlers.schemas import Body
from chalicelib.services.catalogue import MAX_ENTRIES_PER_CALL, record_view

bp = Blueprint(__name__)


def _number_as_text(value: object) -> object:
    """JSON numbers become their text (read exactly as a Decimal later); true/false are refused."""
    if isinstance(value, bool):
        raise ValueError("nombre attendu")
    return str(value) if isinstance(value, int | float) else value


#: A number or a decimal text ("1,5" accepted).
NumberOrText = Annotated[
    str,
    BeforeValidator(_number_as_text),
    Field(max_length=40),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "maxLength": 40}]}),
]


class CatalogueEntryBody(Body):
    """One product. The values are checked by the service, which lists every problem with its index."""

    ucd: str = Field(max_length=20)
    label: str = Field(max_length=300)
    atc: str = Field(max_length=20)
    route: str = Field(max_length=20)
    #: Amount of the WHO DDD's reference substance per dispensed unit, in ``strength_unit``.
    strength: NumberOrText
    strength_unit: str = Field(max_length=10)
    form: str = Field(default="", max_length=200)
    #: The WHO substance, needed only to pick one of several WHO DDDs; defaults to the ATC code's.
    substance: str | None = Field(default=None, max_length=200)


class CatalogueEntries(RootModel[list[CatalogueEntryBody]]):
    # No max_length here: more than 1000 entries is a 413 from the service, not a 400.
    model_config = ConfigDict(json_schema_extra={"maxItems": MAX_ENTRIES_PER_CALL})


@endpoint(bp, "/api/catalogue/ucd/{ucd}", summary="Un produit du catalogue des médicaments (UCD à 7 ou 13 chiffres)",
          response=r.CatalogueProduct)  # fmt: skip
def lookup(ucd: str, caller: Principal) -> dict[str, Any]:
    return record_view(services().catalogue.lookup(ucd))


@endpoint(
    bp,
    "/api/admin/catalogue/entries",
    "PUT",
    summary="Ajouter ou corriger des produits du catalogue (1000 au plus par appel)",
    body=CatalogueEntries,
    action=Action.ADMINISTER_CATALOGUE,
    response=r.CatalogueWrite,
)
def put_entries(body: CatalogueEntries, caller: Principal) -> dict[str, Any]:
    entries = [item.model_dump(exclude_none=True) for item in body.root]
    return services().catalogue.put_entries(caller, entries).as_dict()


@endpoint(
    bp,
    "/api/admin/catalogue/sync",
    "POST",
    summary="Synchroniser maintenant le catalogue avec le catalogue de référence",
    action=Action.ADMINISTER_CATALOGUE,
    response=r.CatalogueSync,
)
def sync(caller: Principal) -> dict[str, Any]:
    return services().catalogue.sync_now(caller).as_dict()
