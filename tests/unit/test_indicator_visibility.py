"""Nobody but an establishment's members sees its drafts; a region reads its own establishments only;
a comparison needs 5 other establishments (DOMAIN.md §10.1)."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from tests.unit.test_indicators_derived import NATIONAL, REFERENT_A, REGION_52, A, B, C, world  # noqa: F401

REGION_11 = Principal(Email("b@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("11"))}))


def establishments_in(answer: dict) -> set[str]:
    return {row["establishment"] for row in answer["rows"] if "establishment" in row}


def test_a_regional_profile_asking_for_an_establishment_gets_its_closed_periods_only(world):  # noqa: F811
    call = world.services.indicators
    # A's 2025 is a draft: its members see it, its region's team sees nothing of that year.
    assert call.compute(REFERENT_A, "ddj_1000jh", f"establishment:{A}", "2025", None, {})["rows"]
    assert call.compute(REGION_52, "ddj_1000jh", f"establishment:{A}", "2025", None, {})["rows"] == []
    assert call.compute(NATIONAL, "ddj_1000jh", f"establishment:{A}", "2025", None, {})["rows"] == []
    # Its closed 2024 is the same for all.
    for caller in (REFERENT_A, REGION_52, NATIONAL):
        assert call.compute(caller, "ddj_1000jh", f"establishment:{A}", "2024", None, {})["rows"]


def test_a_trend_asked_by_the_region_skips_the_draft_year(world):  # noqa: F811
    rows = world.services.indicators.trend(REGION_52, "ddj_1000jh", f"establishment:{A}", "2024", "2025", None, {})["rows"]
    assert [(r["year"], r["value"] is None) for r in rows] == [(2024, False), (2025, True)]


def test_at_the_national_scope_a_region_reads_its_own_establishments_rows_only(world):  # noqa: F811
    call = world.services.indicators
    everyone = establishments_in(call.compute(NATIONAL, "ddj_1000jh", "national", "2024", "establishment", {}))
    assert everyone == {A, B, C}
    assert establishments_in(call.compute(REGION_52, "ddj_1000jh", "national", "2024", "establishment", {})) == {A, B}
    assert establishments_in(call.compute(REGION_11, "ddj_1000jh", "national", "2024", "establishment", {})) == {C}
    combined = call.compute(REGION_11, "combined", "national", "2024", None, {"pair": "c3g"})
    assert establishments_in(combined) <= {C}


def test_a_benchmark_among_fewer_than_five_other_establishments_is_suppressed_with_why(world):  # noqa: F811
    answer = world.services.indicators.benchmark(REFERENT_A, "ddj_1000jh", A, "2024", {})
    assert answer["percentiles"] is None
    assert answer["n_establishments"] <= 2  # the fixture has three establishments of one category
    assert "au moins 5" in answer["suppressed"]
    assert answer["value"] is not None  # its own value is still its own to see


def test_a_benchmark_asked_by_the_region_uses_the_closed_value_only(world):  # noqa: F811
    assert world.services.indicators.benchmark(REGION_52, "ddj_1000jh", A, "2025", {})["value"] is None


def test_a_blood_culture_density_names_the_blood_culture_rule(world):  # noqa: F811
    call = world.services.indicators
    blood = call.compute(NATIONAL, "density_1000jh", "national", "2024", None, {"phenotype": "sarm", "specimen": "blood"})
    every = call.compute(NATIONAL, "density_1000jh", "national", "2024", None, {"phenotype": "sarm"})
    assert blood["rule"] == "hemoculture-patient-espece-annee-v1"
    assert every["rule"] == "patient-espece-antibiotype-annee-v1"


def test_a_region_a_regional_profile_does_not_cover_does_not_exist_for_it(world):  # noqa: F811
    call = world.services.indicators
    with pytest.raises(NotFound):  # another tenant: 404, as for another region's establishment
        call.compute(REGION_11, "ddj_1000jh", "region:52", "2024", None, {})
    with pytest.raises(NotFound):
        call.trend(REGION_11, "ddj_1000jh", "region:52", "2024", "2025", None, {})
    with pytest.raises(Forbidden):  # a member has no regional right at all: its role lacks it
        call.compute(REFERENT_A, "ddj_1000jh", "region:52", "2024", None, {})
    assert call.compute(REGION_52, "ddj_1000jh", "region:52", "2024", None, {})["rows"]


def test_a_grid_of_species_and_antibiotics_has_no_benchmark_and_says_so(world):  # noqa: F811
    with pytest.raises(InvalidInput, match="Pas de positionnement"):
        world.services.indicators.benchmark(REFERENT_A, "pct_r", A, "2024", {})
