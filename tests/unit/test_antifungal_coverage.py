"""Antifungal coverage (DOMAIN.md §10.5): an antifungal indicator counts only the establishments
whose consumption files cover antifungals — in its numerator and its denominator alike, on every
path. The reference: a plain-Python computation of the rule over a generated year (establishments
with and without J02 lines, some stating false, some never stating), which the SQL path (DuckDB)
must equal to 1e-9 for an establishment, a region, the nation, and open data. DDD are quarter
units, exact in binary, so sums do not depend on the order of addition."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.access import ProfileType
from chalicelib.domain.antifungal_coverage import counted, reports_antifungals
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email
from chalicelib.services.indicators.open_data import MIN_ESTABLISHMENTS
from tests.fakes.wiring import FakeWorld
from tests.support.antifungal_world import (
    BY_FINESS,
    ESTABLISHMENTS,
    SAYS_FALSE,
    YEAR,
    ZERO,
    build_world,
    generated,
    member,
)
from tests.support.lake_fixture import Lake

NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))


@pytest.fixture(scope="module")
def lake() -> Lake:
    return generated()


@pytest.fixture(scope="module")
def world(lake) -> FakeWorld:
    return build_world(lake)


# The rule from DOMAIN.md, in plain Python -------------------------------------------------------
def counted_by_the_rule(establishments: set[str]) -> set[str]:
    """Those whose statement of the year is true, or never made (API.md: default true)."""
    return {e for e in establishments if BY_FINESS[e].stated is not False}


def reference(lake: Lake, establishments: set[str], by: str | None) -> dict[tuple[Any, ...], dict[str, float]]:
    """Antifungal DDD (counted lines) of the counted establishments over their patient-days, x 1000:
    in total, per establishment, per family, per sector (that sector's patient-days)."""
    kept = counted_by_the_rule(establishments)
    lines = [r for r in lake.rows["consumption"] if r["es"] in kept and r["counted"] and r["scope"] == "antifungal"]
    days = [r for r in lake.rows["patient_days"] if r["es"] in kept]
    out: dict[tuple[Any, ...], dict[str, float]] = {}

    def add(key: tuple[Any, ...], found: list[dict[str, Any]], patient_days: float) -> None:
        ddd = sum(r["ddd"] for r in found)
        out[key] = {"numerator": ddd, "denominator": patient_days, "n": len(found), "value": ddd / patient_days * 1000}

    if by is None:
        add(("total",), lines, sum(r["patient_days"] for r in days))
    elif by == "establishment":
        for e in sorted(kept):
            add((e,), [r for r in lines if r["es"] == e], sum(r["patient_days"] for r in days if r["es"] == e))
    elif by == "family":
        for family in sorted({r["family"] for r in lines}):
            add((family,), [r for r in lines if r["family"] == family], sum(r["patient_days"] for r in days))
    elif by == "sector":
        for sector in sorted({r["sector"] for r in lines}):
            add((sector,), [r for r in lines if r["sector"] == sector],
                sum(r["patient_days"] for r in days if r["sector"] == sector))  # fmt: skip
    return out


def establishments_behind(lake: Lake, establishments: set[str], by: str | None) -> dict[tuple[Any, ...], int]:
    """Open data: how many counted establishments each cell is built from (a line of the cell, or
    for the total, being counted at all)."""
    kept = counted_by_the_rule(establishments)
    if by is None:
        return {("total",): len(kept)}
    lines = [r for r in lake.rows["consumption"] if r["es"] in kept and r["counted"] and r["scope"] == "antifungal"]
    found: dict[tuple[Any, ...], set[str]] = {}
    for r in lines:
        found.setdefault((r[by],), set()).add(r["es"])
    return {k: len(v) for k, v in found.items()}


def key_of(row: dict[str, Any], by: str | None) -> tuple[Any, ...]:
    return (row["establishment"] if by == "establishment" else row[by],) if by else ("total",)


def assert_equal(found: dict[str, Any], want: dict[str, float], where: str) -> None:
    assert found["value"] == pytest.approx(round(want["value"], 3), abs=1e-9, rel=0), f"{where}: value"
    for name in ("numerator", "denominator", "n"):
        if name in found:
            assert found[name] == pytest.approx(want[name], abs=1e-9, rel=0), f"{where}: {name}"


REGIONS = {code: {e.finess for e in ESTABLISHMENTS if e.region == code} for code in ("52", "11")}
EVERYONE = {e.finess for e in ESTABLISHMENTS}


# The domain rule ---------------------------------------------------------------------------------
def test_an_establishment_that_never_stated_its_coverage_counts_as_covering_antifungals():
    assert reports_antifungals(None) is True
    assert (reports_antifungals(True), reports_antifungals(False)) == (True, False)


def test_only_the_establishments_stating_false_are_left_out_of_antifungal_indicators():
    assert counted({"a", "b", "c"}, {"a": True, "b": False}) == {"a", "c"}


def test_the_generated_year_holds_every_case_of_the_rule(lake):
    with_lines = {r["es"] for r in lake.rows["consumption"] if r["scope"] == "antifungal"}
    cases = {(e.finess in with_lines, e.stated) for e in ESTABLISHMENTS}
    assert {(True, True), (True, None), (False, None), (False, True), (True, False), (False, False)} <= cases


# The SQL path against the rule ------------------------------------------------------------------
@pytest.mark.parametrize("by", [None, "establishment", "family", "sector"])
@pytest.mark.parametrize("scope", ["national", "region:52", "region:11"])
def test_the_nation_s_and_a_region_s_antifungal_figures_equal_the_rule_over_the_counted_establishments(world, lake, scope, by):
    establishments = EVERYONE if scope == "national" else REGIONS[scope.split(":")[1]]
    answer = world.services.indicators.compute(NATIONAL, "antifungal_ddj_1000jh", scope, str(YEAR), by, {})
    want = reference(lake, establishments, by)
    found = {key_of(r, by): r for r in answer["rows"]}
    assert set(found) == set(want), f"{scope} by={by}"
    for key, row in want.items():
        assert_equal(found[key], row, f"{scope} by={by} {key}")


@pytest.mark.parametrize("es", ESTABLISHMENTS, ids=lambda e: f"{e.finess}-lines:{e.has_antifungals}-stated:{e.stated}")
def test_an_establishment_s_own_antifungal_figure_follows_its_statement(world, lake, es):
    for caller in (member(es), NATIONAL):  # its draft, and its closed data
        rows = world.services.indicators.compute(caller, "antifungal_ddj_1000jh", f"establishment:{es.finess}", str(YEAR),
                                                 None, {})["rows"]  # fmt: skip
        if es.stated is False:
            assert rows == [], "its files do not cover antifungals: no figure, not a zero"
        else:
            [row] = rows
            assert_equal(row, reference(lake, {es.finess}, None)[("total",)], es.finess)


def test_an_establishment_counted_without_any_antifungal_line_is_a_zero_with_its_patient_days(world, lake):
    [row] = world.services.indicators.compute(member(ZERO), "antifungal_ddj_1000jh", f"establishment:{ZERO.finess}",
                                              str(YEAR), None, {})["rows"]  # fmt: skip
    days = sum(r["patient_days"] for r in lake.rows["patient_days"] if r["es"] == ZERO.finess)
    assert (row["value"], row["numerator"], row["denominator"]) == (0.0, 0.0, days)


@pytest.mark.parametrize("by", [None, "family", "sector"])
@pytest.mark.parametrize("scope", ["national", "region:52", "region:11"])
def test_open_data_shows_the_same_antifungal_figure_as_the_dashboards(world, lake, scope, by):
    establishments = EVERYONE if scope == "national" else REGIONS[scope.split(":")[1]]
    opened = world.services.indicators.open_data("antifungal_ddj_1000jh", scope, str(YEAR), {}, by)["rows"]
    dashboard = world.services.indicators.compute(NATIONAL, "antifungal_ddj_1000jh", scope, str(YEAR), by, {})["rows"]
    want, behind = reference(lake, establishments, by), establishments_behind(lake, establishments, by)
    found = {key_of(r, by): r for r in opened}
    assert set(found) == set(want), f"{scope} by={by}"
    shown = {key_of(r, by): r["value"] for r in dashboard}
    for key, row in want.items():
        if behind[key] < MIN_ESTABLISHMENTS:
            assert found[key] == {**({by: key[0]} if by else {}), "value": None, "suppressed": True}
            continue
        assert_equal(found[key], row, f"open {scope} by={by} {key}")
        assert found[key]["value"] == shown[key] and found[key]["establishments"] == behind[key]


def test_the_national_figure_is_one_value_on_every_path(world, lake):
    """The finding of issue #15: the dashboard counted the patient-days of every establishment and
    open data only those with a J02 line. Both now count the establishments of the rule."""
    [dashboard] = world.services.indicators.compute(NATIONAL, "antifungal_ddj_1000jh", "national", str(YEAR), None, {})["rows"]
    [opened] = world.services.indicators.open_data("antifungal_ddj_1000jh", "national", str(YEAR), {})["rows"]
    per_es = world.services.indicators.compute(NATIONAL, "antifungal_ddj_1000jh", "national", str(YEAR), "establishment", {})
    pooled = sum(r["numerator"] for r in per_es["rows"]) / sum(r["denominator"] for r in per_es["rows"]) * 1000
    assert dashboard["value"] == opened["value"] == pytest.approx(pooled, abs=5e-4)
    assert {r["establishment"] for r in per_es["rows"]} == counted_by_the_rule(EVERYONE)
    every_day = sum(r["patient_days"] for r in lake.rows["patient_days"])
    assert dashboard["denominator"] < every_day, "the patient-days of those stating false are out"


def test_an_antibiotic_indicator_counts_every_establishment_whatever_its_antifungal_statement(world, lake):
    [row] = world.services.indicators.compute(NATIONAL, "ddj_1000jh", "national", str(YEAR), None, {})["rows"]
    assert row["denominator"] == sum(r["patient_days"] for r in lake.rows["patient_days"])
    per_es = world.services.indicators.compute(NATIONAL, "ddj_1000jh", "national", str(YEAR), "establishment", {})
    assert {r["establishment"] for r in per_es["rows"]} == EVERYONE


def test_an_establishment_stating_false_has_no_antifungal_benchmark_value_and_is_no_one_s_peer(world):
    own = world.services.indicators.benchmark(member(SAYS_FALSE), "antifungal_ddj_1000jh", SAYS_FALSE.finess, str(YEAR), {})
    assert own["value"] is None
    other = ESTABLISHMENTS[0]
    peers = world.services.indicators.benchmark(member(other), "antifungal_ddj_1000jh", other.finess, str(YEAR), {})
    # counted and unflagged (a zero has no line: flagged as too few), the compared one excepted
    assert peers["n_establishments"] == sum(1 for e in ESTABLISHMENTS if e.stated is not False and e.has_antifungals) - 1


def test_a_trend_follows_each_year_s_statement(world):
    trend = world.services.indicators.trend(member(SAYS_FALSE), "antifungal_ddj_1000jh", f"establishment:{SAYS_FALSE.finess}",
                                            str(YEAR), str(YEAR), None, {})  # fmt: skip
    assert [r["value"] for r in trend["rows"]] == [None]
