"""The national settings of the indicators' methods: the deduplication period of a year's figures."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import Field

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers.http import endpoint
from chalicelib.handlers.responses import methods as r
from chalicelib.handlers.schemas import Body

bp = Blueprint(__name__)
PATH = "/api/methods/deduplication"


class DedupBody(Body):
    period: str = Field(max_length=40)
    reason: str = Field(max_length=500)


@endpoint(bp, PATH, summary="Réglage national du dédoublonnage : version en vigueur et versions passées", tag="methods",
          response=r.DedupSettings)  # fmt: skip
def deduplication(caller: Principal) -> dict[str, Any]:
    return services().methods.deduplication(caller)


@endpoint(bp, PATH, "PUT", summary="Changer la période de dédoublonnage des indicateurs annuels (nouvelle version)",
          body=DedupBody, tag="methods", action=Action.SET_METHODS, response=r.DedupVersion)  # fmt: skip
def change_deduplication(body: DedupBody, caller: Principal) -> dict[str, Any]:
    return services().methods.change_deduplication(caller, body.model_dump())
