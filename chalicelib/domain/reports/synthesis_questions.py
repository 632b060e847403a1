"""What a regional or national synthesis asks the indicator service (its one source of numbers),
at its own scope, closed data only: the scope's values and trends, each establishment's value
(``by=establishment``), and for the national synthesis each region's key values."""

from __future__ import annotations

from chalicelib.domain.reports.questions import SHARED_QUESTIONS, Question

SARM = {"phenotype": "sarm"}
EBLSE = {"phenotype": "eblse", "specimen": "all"}

SCOPE_QUESTIONS: tuple[Question, ...] = (
    *SHARED_QUESTIONS,
    # Establishments compared (closed data only: the synthesis is asked as a regional or national profile).
    Question("ddj_by_es", "compute", "ddj_1000jh", "establishment"),
    Question("broad_by_es", "compute", "broad_spectrum_share", "establishment"),
    Question("sarm_by_es", "compute", "pct_phenotype", "establishment", SARM),
)

#: Each region's key values, side by side in the national synthesis: (key, indicator, options).
REGION_FIGURES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("ddj", "ddj_1000jh", {}),
    ("broad", "broad_spectrum_share", {}),
    ("aware", "aware_share", {}),  # the Access share
    ("sarm", "pct_phenotype", SARM),
    ("eblse", "density_1000jh", EBLSE),
)


def region_key(region: str, figure: str) -> str:
    return f"region_{region}_{figure}"


def questions(regions: tuple[str, ...] = ()) -> tuple[Question, ...]:
    """The synthesis's questions; with ``regions`` (the national synthesis), each region's figures too."""
    per_region = tuple(
        Question(region_key(code, key), "compute", indicator, None, options, scope=f"region:{code}")
        for code in regions
        for key, indicator, options in REGION_FIGURES
    )
    if not regions:  # a regional synthesis compares its establishments' Access shares (the nation, its regions')
        return (*SCOPE_QUESTIONS, Question("aware_by_es", "compute", "aware_share", "establishment"))
    return SCOPE_QUESTIONS + per_region
