"""The AWaRe share (DOMAIN.md §10.10) over the fixture lake (tests/support/lake_fixture.py),
with lines of molecules whose group depends on the route (fosfomycin), a Reserve molecule
and a combination WHO leaves out: each value equals a plain-Python computation written from
DOMAIN.md — DDD of the group over all antibiotic DDD — at establishment, region and nation."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import InvalidInput
from tests.support import lake_fixture
from tests.support.lake_world import lake_world

NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGION_52 = Principal(Email("a@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
A, B, C = (finess for finess, _ in lake_fixture.ESTABLISHMENTS)
REFERENT_A = Principal(Email("r@a.fr"), memberships={Finess(A): Status.REFERENT})
#: WHO 2023 AWaRe groups of the molecules in this lake, written out here (not read from the table):
#: ATC -> group, or (ATC, route) -> group where WHO splits the molecule by route.
WHO_2023: dict[Any, str] = {
    "J01CR02": "access", "J01CA04": "access", "J01DD04": "watch", "J01DH02": "watch", "J01MA02": "watch",
    "J01XA01": "watch", ("J01XX01", "O"): "watch", ("J01XX01", "P"): "reserve", "J01XB01": "reserve",
    "J01DD63": "not_classified",
}  # fmt: skip
GROUPS = ("access", "watch", "reserve", "not_classified")
#: Lines added to every establishment and year: (ATC, route, family, DDD, counted).
EXTRA = (("J01XX01", "O", "FOSFOMYCIN", 31.5, True), ("J01XX01", "P", "FOSFOMYCIN", 12.25, True),
         ("J01XB01", "P", "POLYMYXINS", 7.0, True), ("J01DD63", "P", "C3G", 4.5, True),
         ("J01XB01", "P", "POLYMYXINS", 500.0, False))  # fmt: skip


@pytest.fixture(scope="module")
def lake():
    built = lake_fixture.build()
    for index, (finess, region) in enumerate(lake_fixture.ESTABLISHMENTS):
        for year in lake_fixture.YEARS:
            for atc, route, family, ddd, counted in EXTRA:
                built.rows["consumption"].append({
                    "year": str(year), "region": region, "es": finess, "finess": finess, "period": str(year),
                    "code_uf": "0412", "sector": "MED", "specialty": None, "reallocated_uf": None, "ucd": "0900001",
                    "atc": atc, "route": route, "family": family, "scope": "antibiotic", "ddd": ddd * (index + 1),
                    "quantity": ddd * (index + 1), "counted": counted, "ddd_version": 2024,
                })  # fmt: skip
    return built


@pytest.fixture(scope="module")
def world(lake):
    return lake_world(lake)


# Plain Python, from DOMAIN.md ----------------------------------------------------------------------------
def group_of(row: dict[str, Any]) -> str:
    return WHO_2023.get((row["atc"], row["route"])) or WHO_2023[row["atc"]]


def antibiotic_lines(lake, year: int, es: set[str]) -> list[dict[str, Any]]:
    return [r for r in lake.rows["consumption"]
            if int(r["year"]) == year and r["es"] in es and r["counted"] and r["scope"] == "antibiotic"]  # fmt: skip


def shares(lake, year: int, es: set[str]) -> dict[str, tuple[float, float]]:
    """Group -> (DDD of the group, all antibiotic DDD)."""
    lines = antibiotic_lines(lake, year, es)
    total = sum(r["ddd"] for r in lines)
    return {g: (sum(r["ddd"] for r in lines if group_of(r) == g), total) for g in GROUPS}


def compute(world, caller, scope, year="2025", by=None):
    return world.services.indicators.compute(caller, "aware_share", scope, year, by, {})


SCOPES = [(REFERENT_A, f"establishment:{A}", {A}), (REGION_52, "region:52", {B}), (NATIONAL, "national", {B, C})]


# The share ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("caller", "scope", "establishments"), SCOPES)
def test_each_group_is_its_ddd_over_all_antibiotic_ddd(world, lake, caller, scope, establishments):
    answer = compute(world, caller, scope, by="aware")
    rows = {r["aware"]: r for r in answer["rows"]}
    assert list(rows) == list(GROUPS)
    expected = shares(lake, 2025, establishments)
    for group, (numerator, denominator) in expected.items():
        assert rows[group]["numerator"] == pytest.approx(numerator, abs=1e-3)
        assert rows[group]["denominator"] == pytest.approx(denominator, abs=1e-3)
        assert rows[group]["value"] == pytest.approx(numerator / denominator * 100, abs=1e-3)
        assert rows[group]["n"] == len(antibiotic_lines(lake, 2025, establishments))
        assert "ci_low" not in rows[group]  # DDD are not counts: no interval (DOMAIN.md §10.7, Measure.DOSES)
    assert sum(r["value"] for r in rows.values()) == pytest.approx(100, abs=0.01)
    assert [r["label"] for r in rows.values()] == ["Accès", "À surveiller", "Réserve", "Non classé"]
    assert all(rows[g]["numerator"] > 0 for g in GROUPS)  # the fixture reaches every group
    assert "AWaRe de l'OMS 2023" in answer["rule"]


@pytest.mark.parametrize(("caller", "scope", "establishments"), SCOPES)
def test_without_by_the_one_row_is_the_access_share_read_against_whos_60_percent(world, lake, caller, scope, establishments):
    answer = compute(world, caller, scope)
    [row] = answer["rows"]
    access, total = shares(lake, 2025, establishments)["access"]
    assert (row["aware"], row["value"]) == ("access", pytest.approx(access / total * 100, abs=1e-3))
    assert answer["goal"]["aware"] == "access" and answer["goal"]["min"] == 60


def test_fosfomycin_is_watch_by_mouth_and_reserve_intravenously(world, lake):
    rows = {r["aware"]: r for r in compute(world, NATIONAL, "national", by="aware")["rows"]}
    lines = antibiotic_lines(lake, 2025, {B, C})
    colistin = sum(r["ddd"] for r in lines if r["atc"] == "J01XB01")
    intravenous = sum(r["ddd"] for r in lines if (r["atc"], r["route"]) == ("J01XX01", "P"))
    assert rows["reserve"]["numerator"] == pytest.approx(colistin + intravenous, abs=1e-3)
    assert 0 < intravenous < rows["reserve"]["numerator"]


def test_antifungals_and_uncounted_lines_stay_out_of_the_denominator(world, lake):
    [row] = compute(world, REFERENT_A, f"establishment:{A}")["rows"]
    everything = sum(r["ddd"] for r in lake.rows["consumption"] if int(r["year"]) == 2025 and r["es"] == A)
    assert row["denominator"] == pytest.approx(sum(r["ddd"] for r in antibiotic_lines(lake, 2025, {A})), abs=1e-3)
    assert row["denominator"] < everything


def test_per_establishment_rows_are_those_the_caller_may_see(world):
    rows = compute(world, REGION_52, "region:52", by="establishment")["rows"]
    assert [(r["establishment"], r["aware"]) for r in rows] == [(B, "access")]
    with pytest.raises(InvalidInput):
        compute(world, NATIONAL, "national", by="molecule")


# Trend, benchmark, open data -----------------------------------------------------------------------------
def test_the_trend_gives_the_access_share_year_by_year_and_each_group_by_aware(world, lake):
    trend = world.services.indicators.trend(NATIONAL, "aware_share", "national", "2024", "2025", None, {})
    assert trend["goal"]["min"] == 60
    for row, closed in zip(trend["rows"], ({A, B, C}, {B, C}), strict=True):
        access, total = shares(lake, row["year"], closed)["access"]
        assert row["value"] == pytest.approx(access / total * 100, abs=1e-3)
    by_group = world.services.indicators.trend(REFERENT_A, "aware_share", f"establishment:{A}", "2024", "2025", "aware", {})
    assert [(r["year"], r["aware"]) for r in by_group["rows"]] == [(y, g) for y in (2024, 2025) for g in GROUPS]


def test_the_benchmark_places_the_access_share_among_the_category(world, lake):
    answer = world.services.indicators.benchmark(REFERENT_A, "aware_share", A, "2025", {})
    access, total = shares(lake, 2025, {A})["access"]
    assert answer["value"] == pytest.approx(access / total * 100, abs=1e-3)
    assert answer["n_establishments"] == 2 and answer["suppressed"]  # B and C closed: fewer than 5 others


def test_open_data_gives_each_group_from_three_establishments_or_suppresses_it(world, lake):
    opened = world.services.indicators.open_data("aware_share", "national", "2024", {}, "aware")
    cells = {c["aware"]: c for c in opened["rows"]}
    for group, (numerator, denominator) in shares(lake, 2024, {A, B, C}).items():
        assert cells[group]["value"] == pytest.approx(numerator / denominator * 100, abs=1e-3)
        assert cells[group]["establishments"] == 3
    regional = world.services.indicators.open_data("aware_share", "region:52", "2024", {}, "aware")
    assert [c.get("suppressed") for c in regional["rows"]] == [True] * 4  # two establishments in region 52
