"""Antifungal resistance of the priority fungi (DOMAIN.md §10.10): one query per class of
antifungals (``antifungal_r.sql``), its agents and species read from the reference table."""

from __future__ import annotations

from functools import cache
from typing import Any

from chalicelib.domain.resistance.antifungal import AntifungalClass, antifungal_classes
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.services.indicators.derived import RowSource
from chalicelib.services.ports.indicators import Tables


@cache
def classes() -> tuple[AntifungalClass, ...]:
    return antifungal_classes(default_reference())


def _listed(codes: tuple[str, ...]) -> str:
    return "," + ",".join(codes) + ","


def antifungal_raw(computation: RowSource, year: int, tables: Tables, per_es: bool) -> list[dict[str, Any]]:
    """The engine's rows (``dim``: species|class), class by class."""
    rows: list[dict[str, Any]] = []
    for found in classes():
        parameters = (found.id, _listed(found.agents), _listed(found.species), year, per_es)
        rows.extend(computation.raw("antifungal_r", parameters, tables))
    return rows
