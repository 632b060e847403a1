"""Answers of the public directory and the service's state (handlers/directory.py)."""

from __future__ import annotations

from typing import Any, Literal

from chalicelib.handlers.responses.base import Answer


class Health(Answer):
    status: Literal["ok"]
    version: str


class Region(Answer):
    code: str
    name: str


class Establishment(Answer):
    finess: str
    name: str
    category: str
    region: str


class EstablishmentWithLaboratories(Establishment):
    #: The ids of the laboratories linked to it.
    laboratories: list[str]


class Laboratory(Answer):
    id: str
    name: str
    ears_net_code: str | None


#: The OpenAPI 3.1 document itself.
OpenApiDocument = dict[str, Any]
