"""Answers of the indicators (handlers/indicators.py): the registry, an indicator's values for a scope and
a year, its trend, an establishment's position among its peers, open data, and a batch of them.

A row names its dimensions beside its counts: which ones depends on the indicator and its ``by``. The
dimension fields are derived from the registry's own lists (``INDICATORS``' dimensions, the benchmark's),
each optional; the other fields are the values some indicators add (a cumulative antibiogram's
percentages, a combined pair's parts, an open cell's establishments…)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, create_model

from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.precision import Measure
from chalicelib.domain.resistance.dedup import PeriodScope
from chalicelib.handlers.responses.base import Answer, Json
from chalicelib.services.indicators.service import BENCHMARK_DIMENSIONS

#: The dimensions whose rows carry two fields (``computation.shape``): the species, and the antibiotic or
#: the antifungal class.
_FIELDS_OF = {"species_antibiotic": ("species", "antibiotic"), "species_class": ("species", "antifungal_class")}

#: Every field a row may name a dimension by.
ROW_DIMENSIONS = tuple(
    sorted({field for i in INDICATORS.values() for dimension in i.dimensions for field in _FIELDS_OF.get(dimension, [dimension])})
)


def _dimensions(name: str, names: Iterable[str]) -> Any:
    """A model of optional text fields, one per dimension (null: a row outside any, a service-less UF…)."""
    fields: dict[str, Any] = dict.fromkeys(names, (str | None, None))
    return create_model(name, __base__=Answer, __module__=__name__, **fields)


if TYPE_CHECKING:
    _RowDimensions = Answer
    _BenchmarkDimensions = Answer
else:
    _RowDimensions = _dimensions("IndicatorRowDimensions", ROW_DIMENSIONS)
    _BenchmarkDimensions = _dimensions("BenchmarkRowDimensions", BENCHMARK_DIMENSIONS)


class CombinedComponent(Answer):
    """One resistance of a combined pair, in one establishment."""

    label: str
    phenotype: str
    value: float | None
    numerator: float
    denominator: float
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    flag: Literal["effectif_faible"] | None = None


class IndicatorRow(_RowDimensions):
    """One value of an indicator: its dimensions (``ROW_DIMENSIONS``, those of its ``by``), its counts, and
    what its indicator adds."""

    value: float | None
    #: Absent from an open cell.
    numerator: float | None = None
    denominator: float | None = None
    n: int | None = None
    #: The 95 % interval of a proportion or a density.
    ci_low: float | None = None
    ci_high: float | None = None
    #: effectif_faible: n under the indicator's minimum.
    flag: Literal["effectif_faible"] | None = None
    #: The French label of the dimension's value (a UF, a molecule, an AWaRe group, a panel's item…).
    label: str | None = None
    #: A trend's year.
    year: int | None = None
    #: A strategy panel's item: its id, its unit, and the indicator and options that compute it.
    indicator: str | None = None
    unit: str | None = None
    source: dict[str, str] | None = None
    #: A cumulative antibiogram's: first isolates, % S, % SFP, % R and their 95 % intervals.
    isolates: int | None = None
    pct_s: float | None = None
    pct_sfp: float | None = None
    pct_r: float | None = None
    pct_s_ci: list[float] | None = None
    pct_sfp_ci: list[float] | None = None
    #: A combined pair's: the family's DDJ/1000 JH, the pooled resistance %, and each resistance.
    consumption: float | None = None
    resistance: float | None = None
    consumption_ddd: float | None = None
    patient_days: float | None = None
    components: list[CombinedComponent] | None = None
    #: An open cell's: suppressed (too few establishments or isolates), else how many establishments.
    suppressed: bool | None = None
    establishments: int | None = None


class DedupApplied(Answer):
    """The national deduplication setting the values were computed under."""

    version: int
    period: PeriodScope


class AntibiogramFilters(Answer):
    #: all, or a specimen category's code.
    specimen: str
    #: all, or a sector.
    sector: str


class CombinedPairInfo(Answer):
    id: str
    consumption: str
    resistance: str


class IndicatorGoal(Answer):
    aware: str
    min: float
    label: str


class SpeciesBelowMin(Answer):
    species: str
    isolates: int


class _Rule(Answer):
    rule: str
    rule_label: str
    #: For an indicator that deduplicates isolates.
    dedup_setting: DedupApplied | None = None


class IndicatorValues(_Rule):
    """An indicator's values for a scope and a year (open data: a region's or the nation's cells)."""

    indicator: str
    scope: str
    year: int
    unit: str
    #: pct_r and cumulative_antibiogram: the subset the values are computed in.
    filters: AntibiogramFilters | None = None
    #: combined: the pair.
    pair: CombinedPairInfo | None = None
    #: cumulative_antibiogram: the species under M39's minimum of first isolates, and that minimum.
    species_below_min: list[SpeciesBelowMin] | None = None
    min_isolates: int | None = None
    goal: IndicatorGoal | None = None
    rows: list[IndicatorRow]


class IndicatorTrend(_Rule):
    """An indicator year by year (a year without data: a row whose value is null)."""

    indicator: str
    scope: str
    from_: int = Field(alias="from")
    to: int
    unit: str
    filters: AntibiogramFilters | None = None
    pair: CombinedPairInfo | None = None
    min_isolates: int | None = None
    goal: IndicatorGoal | None = None
    rows: list[IndicatorRow]


class Percentiles(Answer):
    """Shown only over enough peers' values: never empty."""

    p10: float
    p25: float
    p50: float
    p75: float
    p90: float


class _Position(Answer):
    """A value against the distribution of the peers' (null: hidden under the confidentiality rule)."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    percentiles: Percentiles | None
    n_establishments: int
    #: Why the distribution is hidden, in French.
    suppressed: str | None = None


class BenchmarkRow(_Position, _BenchmarkDimensions):
    pass


class Benchmark(_Position, _Rule):
    indicator: str
    year: int
    #: The establishment's category, its peers'.
    category: str
    #: The ``by`` asked, and a position per value of it.
    by: str | None = None
    rows: list[BenchmarkRow] | None = None


class BatchError(Answer):
    """An item's refusal: the error its single route would answer."""

    code: str
    message: str
    details: list[Json]


class BatchResult(Answer):
    #: The status its single route would answer.
    status: int
    body: IndicatorValues | IndicatorTrend | Benchmark | BatchError


class IndicatorBatch(Answer):
    #: One per item, in order.
    results: list[BatchResult]


class SpecimenChoice(Answer):
    code: str
    label: str


class IndicatorInfo(Answer):
    """An indicator of the registry: what ``by`` it takes, below which n a value is flagged, its options."""

    id: str
    label: str
    unit: str
    dimensions: list[str]
    min_n: int
    measure: Measure
    #: The 95 % interval's method (null: none).
    interval: str | None
    #: How precise its values are, in French.
    precision: str
    #: The options it takes (pct_phenotype, density_1000jh; combined; strategy_panel; cumulative_antibiogram).
    phenotypes: list[str] | None = None
    pairs: list[str] | None = None
    items: list[str] | None = None
    specimens: list[SpecimenChoice] | None = None
    sectors: list[str] | None = None
    min_isolates: int | None = None
    goal: IndicatorGoal | None = None
