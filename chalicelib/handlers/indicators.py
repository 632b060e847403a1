"""Indicators: the registry, values for a scope, benchmarks."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import DomainError, InvalidInput
from chalicelib.domain.indicator_batch import parse_items
from chalicelib.handlers import params as q
from chalicelib.handlers.http import endpoint, query, status_of
from chalicelib.handlers.responses import indicators as r
from chalicelib.services.indicators.batch import answer_batch

bp = Blueprint(__name__)


def _options() -> dict[str, str]:
    return {p.name: value for p in q.INDICATOR_OPTIONS if (value := query(bp, p.name))}


@endpoint(bp, "/api/indicators", summary="Les indicateurs disponibles", public=True, response=list[r.IndicatorInfo])
def catalogue() -> list[dict[str, Any]]:
    return services().indicators.catalogue()


@endpoint(
    bp,
    "/api/indicator-batch",
    summary="Plusieurs indicateurs d'une section en une requête (?scope=&year=&items=)",
    tag="indicators",
    params=(q.SCOPE, q.YEAR, q.ITEMS),
    response=r.IndicatorBatch,
)
def batch(caller: Principal) -> dict[str, Any]:
    items = parse_items(query(bp, "items"))
    answers = answer_batch(services().indicators, caller, query(bp, "scope"), query(bp, "year"), items)
    return {"results": [_result(a) for a in answers]}


def _result(answer: dict[str, Any] | DomainError) -> dict[str, Any]:
    if isinstance(answer, DomainError):
        return {"status": status_of(answer), "body": {"code": answer.code, "message": answer.message, "details": answer.details}}
    return {"status": 200, "body": answer}


@endpoint(
    bp,
    "/api/indicators/{indicator_id}",
    summary="Valeurs d'un indicateur (?scope=&year=&by=&phenotype=&specimen=&sector=&pair=)",
    params=(q.SCOPE_REQUIRED, q.YEAR_REQUIRED, q.BY, *q.INDICATOR_OPTIONS),
    response=r.IndicatorValues,
)
def values(indicator_id: str, caller: Principal) -> dict[str, Any]:
    return services().indicators.compute(caller, indicator_id, query(bp, "scope"), query(bp, "year"), query(bp, "by"), _options())


@endpoint(
    bp,
    "/api/indicators/{indicator_id}/trend",
    summary="Évolution d'un indicateur par année (?scope=&from=&to=&by=&phenotype=&pair=)",
    params=(q.SCOPE_REQUIRED, q.FROM, q.TO, q.BY, *q.INDICATOR_OPTIONS),
    response=r.IndicatorTrend,
)
def trend(indicator_id: str, caller: Principal) -> dict[str, Any]:
    return services().indicators.trend(
        caller, indicator_id, query(bp, "scope"), query(bp, "from"), query(bp, "to"), query(bp, "by"), _options()
    )


@endpoint(
    bp, "/api/indicators/{indicator_id}/benchmark", summary="Positionnement parmi les établissements comparables (?by=sector)",
    params=(q.ESTABLISHMENT, q.YEAR, q.BY, *q.INDICATOR_OPTIONS), response=r.Benchmark,
)
def benchmark(indicator_id: str, caller: Principal) -> dict[str, Any]:
    establishment = query(bp, "establishment")
    if not establishment:
        raise InvalidInput("Précisez l'établissement : establishment=<FINESS>.", details=[{"field": "establishment"}])
    return services().indicators.benchmark(
        caller, indicator_id, establishment, query(bp, "year"), _options(), query(bp, "by")
    )


@endpoint(
    bp, "/api/open/indicators/{indicator_id}", summary="Données ouvertes : agrégats régionaux et nationaux clôturés", public=True,
    params=(q.SCOPE, q.YEAR, q.BY, *q.INDICATOR_OPTIONS), response=r.IndicatorValues,
)
def open_data(indicator_id: str) -> dict[str, Any]:
    return services().indicators.open_data(indicator_id, query(bp, "scope"), query(bp, "year"), _options(), query(bp, "by"))
