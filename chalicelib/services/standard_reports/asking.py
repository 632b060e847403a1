"""Asking the indicator service (the API's one source of numbers) a report's questions: as the
report's reader, of its scope (or of the scope a question names), a few at a time."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import DomainError
from chalicelib.domain.reports.questions import TREND_YEARS, Question
from chalicelib.services.indicators import IndicatorService
from chalicelib.services.ports.standard_report import YearAlerts

#: How many questions are asked at once (independent queries: Athena answers each in a second or more;
#: DuckDB releases the GIL while it scans).
PARALLEL_QUESTIONS = 4


def ask_all(
    indicators: IndicatorService, reader: Principal, scope: str, year: int, questions: Sequence[Question]
) -> dict[str, Mapping[str, Any]]:
    """Every answer by question key, in the questions' order; a refusal reads ``{"error": <French message>}``."""
    with ThreadPoolExecutor(max_workers=PARALLEL_QUESTIONS, thread_name_prefix="report-question") as pool:
        answers = pool.map(lambda q: ask(indicators, reader, q.scope or scope, year, q), questions)
        return dict(zip((q.key for q in questions), answers, strict=True))


def ask(indicators: IndicatorService, reader: Principal, scope: str, year: int, question: Question) -> Mapping[str, Any]:
    """One answer of the indicator service, or its French refusal (the report then says so)."""
    try:
        if question.kind == "trend":
            start = str(year - TREND_YEARS + 1)
            return indicators.trend(reader, question.indicator, scope, start, str(year), question.by, question.options)
        if question.kind == "benchmark":
            finess = scope.removeprefix("establishment:")
            return indicators.benchmark(reader, question.indicator, finess, str(year), question.options, question.by)
        return indicators.compute(reader, question.indicator, scope, str(year), question.by, question.options)
    except DomainError as error:
        return {"error": error.message}


def ask_alerts(
    alerts: YearAlerts, reader: Principal, scope: str, year: int, closed: Mapping[str, Collection[str]] | None = None
) -> Mapping[str, Any]:
    """The year's alerts of the scope as its reader may follow them (``closed``: of closed periods only), or
    the French refusal."""
    try:
        return alerts.year_summary(reader, scope, year, closed)
    except DomainError as error:
        return {"error": error.message}
