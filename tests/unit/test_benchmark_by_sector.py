"""A benchmark by sector (API.md: ``GET /api/indicators/{id}/benchmark?…&by=sector``): each sector of
the establishment against the same sector of the other establishments of its category, closed data
only, each distribution shown only when at least 5 other establishments make it (DOMAIN.md §10.1).
Percentiles are recomputed here with the standard library's inclusive quantiles."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import InvalidInput
from tests.support import lake_fixture
from tests.support.closed_area import copy_into_closed
from tests.support.lake_world import ADMIN, A, B, C, lake_world
from tests.unit.test_indicator_intervals import REFERENT_A, density_by_sector, doses, known

#: Three more establishments of the category, each closing a copy of one of the fixture's 2024.
COPIES = {"440000008": A, "490000007": B, "750000010": C}
EPC = {"phenotype": "epc", "specimen": "all"}


def _valid(finess: str) -> str:
    return Finess.parse(finess).value


@pytest.fixture(scope="module")
def world(lake):
    world = lake_world(lake)
    bucket = world.services.settings.buckets["lake"]
    regions = dict(lake_fixture.ESTABLISHMENTS)
    for copy, source in COPIES.items():
        world.services.tenants.create_establishment(ADMIN, _valid(copy), f"CH {copy}", "CHU", regions[source])
        for key in world.objects.list_keys(bucket, "closed/"):
            if "/year=2024/" in key and f"/es={source}/" in key:
                copy_into_closed(world.objects, bucket, key, key.replace(f"es={source}", f"es={copy}"))
    return world


def percentiles(values: list[float]) -> dict[str, float]:
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    found = {"p10": deciles[0], "p25": quartiles[0], "p50": quartiles[1], "p75": quartiles[2], "p90": deciles[8]}
    return {k: round(v, 3) for k, v in found.items()}


def by_sector(lake: lake_fixture.Lake, finess: str, compared: bool = False) -> dict[str, Any]:
    """Each sector's value; ``compared``: only those a distribution takes (not flagged: at least ``min_n`` cases)."""
    return {r["sector"]: r["value"] for r in density_by_sector(lake, 2024, {finess}, EPC) if not (compared and "flag" in r)}


def test_each_sector_is_placed_among_the_same_sector_of_five_other_establishments(world, lake):
    answer = world.services.indicators.benchmark(REFERENT_A, "density_1000jh", A, "2024", EPC, "sector")
    peers = [B, C, A, B, C]  # the three copies close the fixture's A, B and C
    own = by_sector(lake, A)
    assert answer["by"] == "sector" and answer["rule"] == "patient-espece-antibiotype-annee-v1"
    assert {r["sector"] for r in answer["rows"]} == {*own, *(s for p in peers for s in by_sector(lake, p))}
    assert {r["sector"] for r in answer["rows"]} == {"CHIR", "MED", "REA", "URG"}
    for row in answer["rows"]:
        values = [v for p in peers if (v := by_sector(lake, p, compared=True).get(row["sector"])) is not None]
        assert row["value"] == own.get(row["sector"])
        assert row["n_establishments"] == len(values)
        if len(values) >= 5:
            assert row["percentiles"] == pytest.approx(percentiles(values), abs=1e-9) and "suppressed" not in row
            assert row["ci_low"] <= row["value"] <= row["ci_high"]
        else:  # URG has no patient-days (no value anywhere); a sector without case is flagged, left out
            assert row["percentiles"] is None and "au moins 5" in row["suppressed"]
    shown = {r["sector"] for r in answer["rows"] if r["percentiles"]}
    assert shown and shown != {r["sector"] for r in answer["rows"]} and "URG" not in shown


def test_a_benchmark_by_sector_keeps_the_overall_position_beside_its_sectors(world, lake):
    overall = world.services.indicators.benchmark(REFERENT_A, "ddj_1000jh", A, "2024", {})
    by_sector_answer = world.services.indicators.benchmark(REFERENT_A, "ddj_1000jh", A, "2024", {}, "sector")
    assert {k: v for k, v in by_sector_answer.items() if k not in ("by", "rows")} == overall
    values = [doses(lake, 2024, {p}, None, {})[0]["value"] for p in (B, C, A, B, C)]
    assert overall["percentiles"] == pytest.approx(percentiles(values), abs=1e-3)
    assert {r["sector"] for r in by_sector_answer["rows"]} == {"CHIR", "MED", "REA"}


def test_a_sector_of_fewer_than_five_other_establishments_is_suppressed_with_why(world):
    """2025: only B and C have closed it, whatever A's draft."""
    answer = world.services.indicators.benchmark(REFERENT_A, "density_1000jh", A, "2025", EPC, "sector")
    assert answer["rows"] and all(r["percentiles"] is None and "au moins 5" in r["suppressed"] for r in answer["rows"])
    assert all(r["n_establishments"] <= 2 for r in answer["rows"])
    assert any(r["value"] is not None for r in answer["rows"])  # its own draft is still its own to see


@pytest.mark.parametrize(("indicator", "options", "by"), [
    ("ddj_1000jh", {}, "family"), ("ddj_1000jh", {}, "establishment"), ("ddj_1000jh", {}, "uf"),
    ("pct_phenotype", {"phenotype": "sarm"}, "sector"), ("density_1000jh", EPC, "secteur"),
])  # fmt: skip
def test_a_benchmark_refuses_a_by_it_cannot_compare_in_french_never_ignores_it(world, indicator, options, by):
    with pytest.raises(InvalidInput) as refused:
        world.services.indicators.benchmark(REFERENT_A, indicator, A, "2024", options, by)
    assert f"« {by} »" in refused.value.message and "by=sector" in refused.value.message


def test_a_peer_whose_phenotype_spans_several_species_groups_counts_once_with_its_groups_pooled(world, lake):
    """FQ-R concerns every species: each establishment has one row per species group, but one value in the
    distribution (its groups' counts summed), and its own value is pooled the same way."""
    answer = world.services.indicators.benchmark(REFERENT_A, "pct_phenotype", A, "2024", {"phenotype": "fq_r"})

    def pooled(finess: str) -> float:
        found = known(lake, 2024, {finess}, "fq_r")
        return round(sum(bool(r["fq_r"]) for r in found) / len(found) * 100, 3)

    assert answer["n_establishments"] == 5  # B, C and the three copies: not one per species group
    assert answer["value"] == pooled(A)
    assert answer["percentiles"] == pytest.approx(percentiles([pooled(p) for p in (B, C, A, B, C)]), abs=1e-9)
