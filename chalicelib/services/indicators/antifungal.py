"""Antifungal resistance of the priority fungi (DOMAIN.md §10.10): one query for every class of
antifungals (``antifungal_r.sql``), their agents and species read from the reference table."""

from __future__ import annotations

from functools import cache
from typing import Any

from chalicelib.domain.resistance.antifungal import AntifungalClass, antifungal_classes
from chalicelib.domain.resistance.reference import default_reference
from chalicelib.services.indicators.derived import RowSource, listed
from chalicelib.services.ports.indicators import Tables


@cache
def classes() -> tuple[AntifungalClass, ...]:
    return antifungal_classes(default_reference())


@cache
def memberships() -> str:
    """Every class's agents for every species it is reported for, as ``antifungal_r.sql`` binds them:
    ``",class|species|agent,…"``."""
    return listed([f"{found.id}|{species}|{agent}" for found in classes() for species in found.species for agent in found.agents])


def antifungal_raw(computation: RowSource, year: int, tables: Tables, per_es: bool) -> list[dict[str, Any]]:
    """The engine's rows (``dim``: species|class), every class in one query."""
    return computation.raw("antifungal_r", (memberships(), year, per_es), tables)
