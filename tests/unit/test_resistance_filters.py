"""% R by species and antibiotic within a specimen category and a sector (issue #20): the service's
answer equals the plain-Python computation of the fixture lake for that subset, says which subset it
is, and refuses an unknown category or sector in French."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.indicator_batch import parse_items
from chalicelib.services.indicators.batch import answer_batch
from tests.unit.test_aware_share import NATIONAL, REFERENT_A, REGION_52, A, B, lake, world  # noqa: F401  (the fixtures)
from tests.unit.test_query_files import pct_r


def compute(world, **options):  # noqa: F811
    """Establishment B's closed 2025, as the national team reads it."""
    return world.services.indicators.compute(NATIONAL, "pct_r", f"establishment:{B}", "2025", None, options)


@pytest.mark.parametrize(("specimen", "sector"), [("URINE", ""), ("", "MED"), ("HEMOC", "REA")])
def test_resistance_in_a_specimen_category_and_a_sector_is_that_subsets(world, lake, specimen, sector):  # noqa: F811
    answer = compute(world, **{k: v for k, v in (("specimen", specimen), ("sector", sector)) if v})
    found = {(f"{r['species']}|{r['antibiotic']}", r["numerator"], r["n"]) for r in answer["rows"]}
    want = {(dim, numerator, n) for es, dim, numerator, _, n in pct_r(lake, 2025, True, specimen, sector) if es == B}
    assert found == want and found
    assert answer["filters"] == {"specimen": specimen or "all", "sector": sector or "all"}
    assert len(answer["rows"]) <= len(compute(world)["rows"])


def test_an_unknown_specimen_category_or_sector_is_refused_in_french(world):  # noqa: F811
    with pytest.raises(InvalidInput, match="Catégorie de prélèvement inconnue"):
        compute(world, specimen="SALIVE")
    with pytest.raises(InvalidInput, match="Secteur d'activité inconnu"):
        compute(world, sector="CUISINE")


@pytest.mark.parametrize("indicator", ["pct_r", "cumulative_antibiogram"])
def test_open_data_are_never_filtered_by_specimen_or_sector(world, indicator):  # noqa: F811
    """A subset's cell, taken from the whole's, could be built from fewer establishments than published cells."""
    indicators = world.services.indicators
    assert indicators.open_data(indicator, "national", "2025", {})["rows"] is not None
    for options in ({"specimen": "URINE"}, {"sector": "MED"}):
        with pytest.raises(InvalidInput, match="ne se filtrent ni par prélèvement ni par secteur"):
            indicators.open_data(indicator, "national", "2025", options)


def test_the_trend_of_a_filtered_resistance_says_its_subset(world):  # noqa: F811
    trend = world.services.indicators.trend(NATIONAL, "pct_r", f"establishment:{B}", "2024", "2025", None, {"sector": "MED"})
    assert trend["filters"] == {"specimen": "all", "sector": "MED"}


def test_a_region_asking_an_establishments_draft_year_through_batch_items_reads_nothing_of_it(world, lake):  # noqa: F811
    """A's 2025 is a draft: region 52's team (A is in 52) gets no row of it, filtered or not, whatever the batch's
    own scope says; its référent reads it."""
    items = parse_items(f"pct_r:scope=establishment:{A},pct_r:scope=establishment:{A}:specimen=URINE,"
                        f"ddj_1000jh:scope=establishment:{A}:by=period")  # fmt: skip
    for answer in answer_batch(world.services.indicators, REGION_52, "region:52", "2025", items):
        assert not isinstance(answer, dict) or all(row.get("value") is None for row in answer["rows"]), answer
    drafts = answer_batch(world.services.indicators, REFERENT_A, f"establishment:{A}", "2025", items)
    assert all(isinstance(answer, dict) and answer["rows"] for answer in drafts)
