"""What the establishment report asks the indicator service (its one source of numbers): each
question an indicator, a kind (values of the year, a trend, a benchmark), a ``by`` and options.
The service asks them all and hands the answers, by key, to ``establishment.report``."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.domain.combined import PAIRS
from chalicelib.domain.lake import PHENOTYPES

#: How many years a trend covers, the report's year included.
TREND_YEARS = 5
#: The answer that is the year's alerts (asked of the alert service, not of the indicator service).
ALERTS = "alerts"


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # compute | trend | benchmark
    indicator: str
    by: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    #: Asked of another scope than the report's own (``region:52``: a region of the national synthesis).
    scope: str | None = None


def _density(phenotype: str, specimen: str) -> dict[str, str]:
    return {"phenotype": phenotype, "specimen": specimen}


#: Densities followed year by year and placed among the category (with % SARM).
TREND_PHENOTYPES = ("sarm", "eblse", "epc")

#: What every report asks of its own scope: the consumption, its trends, the % R and the phenotypes.
SHARED_QUESTIONS: tuple[Question, ...] = (
    Question("ddj", "compute", "ddj_1000jh"),
    Question("ddj_family", "compute", "ddj_1000jh", "family"),
    Question("ddj_trend", "trend", "ddj_1000jh"),
    Question("antifungal", "compute", "antifungal_ddj_1000jh"),
    Question("broad", "compute", "broad_spectrum_share"),
    Question("broad_trend", "trend", "broad_spectrum_share"),
    Question("aware", "compute", "aware_share", "aware"),
    Question("aware_trend", "trend", "aware_share"),  # the Access share, WHO's yardstick
    Question("pct_r", "compute", "pct_r"),
    *(Question(f"pct_{p}", "compute", "pct_phenotype", None, {"phenotype": p}) for p in PHENOTYPES),
    *(
        Question(f"density_{p}_{s}", "compute", "density_1000jh", None, _density(p, s))
        for p in PHENOTYPES
        for s in ("all", "blood")
    ),
    Question("pct_sarm_trend", "trend", "pct_phenotype", None, {"phenotype": "sarm"}),
    *(Question(f"density_{p}_all_trend", "trend", "density_1000jh", None, _density(p, "all")) for p in TREND_PHENOTYPES),
)

QUESTIONS: tuple[Question, ...] = (
    *SHARED_QUESTIONS,
    Question("ddj_sector", "compute", "ddj_1000jh", "sector"),
    Question("ddj_route", "compute", "ddj_1000jh", "route"),
    Question("ddj_benchmark", "benchmark", "ddj_1000jh", "sector"),
    Question("antifungal_sector", "compute", "antifungal_ddj_1000jh", "sector"),
    Question("antifungal_specialty", "compute", "antifungal_ddj_1000jh", "specialty"),
    Question("antifungal_benchmark", "benchmark", "antifungal_ddj_1000jh"),
    Question("broad_benchmark", "benchmark", "broad_spectrum_share"),
    Question("pct_sarm_benchmark", "benchmark", "pct_phenotype", None, {"phenotype": "sarm"}),
    Question("density_eblse_all_benchmark", "benchmark", "density_1000jh", None, _density("eblse", "all")),
    *(Question(f"combined_{pair}", "compute", "combined", None, {"pair": pair}) for pair in PAIRS),
    Question("strategy_panel", "compute", "strategy_panel"),
    Question("antibiogram", "compute", "cumulative_antibiogram"),
)
