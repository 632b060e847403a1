"""A dashboard section's questions answered in one request (``GET /api/indicator-batch``):
each item as its single route would answer it, an item's refusal never failing the others."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import DomainError
from chalicelib.domain.indicator_batch import BatchItem
from chalicelib.services.indicators.one_answer import one_answer
from chalicelib.services.indicators.service import IndicatorService

#: An item's options, as the single routes take them.
_OPTIONS = ("phenotype", "specimen", "sector", "pair")


def answer_batch(
    service: IndicatorService, caller: Principal, scope: str | None, year: str | None, items: list[BatchItem]
) -> list[dict[str, Any] | DomainError]:
    """One answer per item, in order: its body, or the domain error its single route would answer."""
    answers: list[dict[str, Any] | DomainError] = []
    with one_answer():  # the items share what they read of the stores (one state of them for the request)
        for item in items:
            try:
                answers.append(_answer(service, caller, scope, year, item))
            except DomainError as error:
                answers.append(error)
    return answers


def _answer(service: IndicatorService, caller: Principal, scope: str | None, year: str | None, item: BatchItem) -> dict[str, Any]:
    scope = item.get("scope") or scope
    year = item.get("year") or year
    options = {name: value for name in _OPTIONS if (value := item.get(name))}
    by = item.get("by")
    if item.kind == "trend":
        return service.trend(caller, item.indicator, scope, item.get("from"), item.get("to") or year, by, options)
    if item.kind == "benchmark":
        finess = item.get("establishment") or _establishment_of(scope)
        return service.benchmark(caller, item.indicator, finess, year, options, by)
    return service.compute(caller, item.indicator, scope, year, by, options)


def _establishment_of(scope: str | None) -> str:
    """The FINESS of an ``establishment:<FINESS>`` scope ("" otherwise: the benchmark says it is unknown)."""
    kind, _, finess = (scope or "").partition(":")
    return finess if kind == "establishment" else ""
