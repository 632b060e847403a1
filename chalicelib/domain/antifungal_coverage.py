"""Antifungal coverage (DOMAIN.md §10.5): which establishments an antifungal indicator counts.

Each establishment states per year whether its consumption files cover antifungals (J02),
the setting ``antifungals_reported``. An antifungal indicator counts only the establishments
that do, in its numerator and its denominator alike, on every path (dashboards, benchmarks,
trends, open data): their antifungal DDD over their patient-days. The rule, made explicit:

- a statement of ``True`` counts the establishment, ``False`` leaves it out whole (its J02
  lines, if any, and its patient-days);
- a year never stated counts as ``True`` (the API's default): the absence of any J02 line is
  never read as "not covered" — an establishment that counts and dispensed no antifungal
  counts with zero DDD, its patient-days in the denominator;
- an indicator of antibiotics is not concerned: every establishment counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: The per-year setting, and its value when never stated (API.md, second wave).
SETTING = "antifungals_reported"
DEFAULT_REPORTED = True
#: The indicators that measure antifungal consumption (J02), hence follow the coverage rule.
ANTIFUNGAL_INDICATORS = frozenset({"antifungal_ddj_1000jh"})


def reports_antifungals(stated: bool | None) -> bool:
    """Whether an establishment counts for the antifungal indicators of a year, from its statement (None: never stated)."""
    return DEFAULT_REPORTED if stated is None else stated


def follows_coverage(indicator_id: str) -> bool:
    return indicator_id in ANTIFUNGAL_INDICATORS


def counted(establishments: Iterable[str], statements: Mapping[str, bool]) -> frozenset[str]:
    """Among ``establishments`` (FINESS), those an antifungal indicator counts, given the year's statements."""
    return frozenset(e for e in establishments if reports_antifungals(statements.get(e)))
