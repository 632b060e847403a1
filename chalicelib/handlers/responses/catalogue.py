"""Answers of the drug catalogue (handlers/catalogue.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.handlers.responses.base import Answer, Json


class CatalogueProduct(Answer):
    ucd: str
    ucd13: str
    label: str
    substance: str
    atc: str
    route: str
    #: Decimal text, exact.
    strength: str
    strength_unit: str
    form: str
    source: str
    resolved_at: str


class CatalogueWrite(Answer):
    received: int
    created: int
    updated: int
    unchanged: int


class CatalogueSync(Answer):
    #: failed: the copy is unchanged; skipped: no source configured.
    status: Literal["ok", "failed", "skipped"]
    message: str
    since: str | None
    received: int
    written: int
    total: int
    last_success_at: str | None
    alert_sent: bool
    #: The problems met, as the error details of the catalogue's source give them.
    details: list[Json]
