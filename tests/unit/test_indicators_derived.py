"""The indicators added to the registry (UF / service / pôle, specialty, broad-spectrum
share, combined pairs, strategy panel) and trends, over the fixture lake
(tests/support/lake_fixture.py), each against a plain-Python computation of its rows."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from tests.support import lake_fixture
from tests.support.lake_world import lake_world, with_structure_of_a

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGION_52 = Principal(Email("a@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
A, B, C = (finess for finess, _ in lake_fixture.ESTABLISHMENTS)
REFERENT_A = Principal(Email("r@a.fr"), memberships={Finess(A): Status.REFERENT})
STRANGER = Principal(Email("x@b.fr"), memberships={Finess(B): Status.REFERENT})
BROAD = ("J01CR02", "J01DD", "J01DH", "J01MA")  # of the fixture's molecules, those on the reference list


@pytest.fixture
def world(lake):
    return with_structure_of_a(lake_world(lake))


# Plain-Python sums over the fixture's rows -----------------------------------------------------------------
def rows_of(lake, dataset: str, year: int, establishments: set[str]) -> list[dict[str, Any]]:
    return [r for r in lake.rows[dataset] if int(r["year"]) == year and r["es"] in establishments]


def ddd(lake, year: int, es: set[str], scope: str = "antibiotic", where=lambda r: True) -> float:
    return sum(r["ddd"] for r in rows_of(lake, "consumption", year, es) if r["counted"] and r["scope"] == scope and where(r))


def days(lake, year: int, es: set[str], where=lambda r: True) -> int:
    return sum(r["patient_days"] for r in rows_of(lake, "patient_days", year, es) if where(r))


def share(lake, year: int, es: set[str], phenotype: str, species: set[str] | None) -> tuple[int, int]:
    known = [r for r in rows_of(lake, "isolates", year, es) if r["kept"] and r[phenotype] is not None
             and (species is None or r["species"] in species)]  # fmt: skip
    return sum(1 for r in known if r[phenotype]), len(known)


def compute(world, caller, indicator, scope, year="2025", by=None, **options):
    return world.services.indicators.compute(caller, indicator, scope, year, by, options)


# Consumption: UF, service, pôle, specialty, broad spectrum -----------------------------------------------------
def test_ddj_by_uf_service_and_pole_of_an_establishment(world, lake):
    rows = compute(world, REFERENT_A, "ddj_1000jh", f"establishment:{A}", by="uf")["rows"]
    by_uf = {r["uf"]: r for r in rows}

    def uf_of(r):
        return r["reallocated_uf"] or r["code_uf"]

    for uf in ("0412", "1204"):  # 1204 also carries theatre 8001's consumption
        consumed = ddd(lake, 2025, {A}, where=lambda r, uf=uf: uf_of(r) == uf)
        expected = consumed / days(lake, 2025, {A}, lambda r, uf=uf: r["code_uf"] == uf)
        assert by_uf[uf]["value"] == pytest.approx(expected * 1000, abs=1e-3)
    assert by_uf["1204"]["label"] == "UF 1204"
    assert by_uf["CHIR_TOTAL"]["value"] is None  # the surgery total has no patient-days
    services = {r["service"]: r for r in compute(world, REFERENT_A, "ddj_1000jh", f"establishment:{A}", by="service")["rows"]}
    in_s1 = {"0412", "0413"}
    expected = ddd(lake, 2025, {A}, where=lambda r: uf_of(r) in in_s1) / days(lake, 2025, {A}, lambda r: r["code_uf"] in in_s1)
    assert services["S1"]["value"] == pytest.approx(expected * 1000, abs=1e-3)
    assert services["S1"]["label"] == "Service S1"
    poles = {r["pole"]: r for r in compute(world, REFERENT_A, "ddj_1000jh", f"establishment:{A}", by="pole")["rows"]}
    assert poles["P2"]["value"] == pytest.approx(by_uf["2001"]["value"], abs=1e-3)
    assert poles[None]["numerator"] == pytest.approx(by_uf["CHIR_TOTAL"]["numerator"], abs=1e-3)
    with pytest.raises(InvalidInput):  # UF codes are an establishment's own
        compute(world, NATIONAL, "ddj_1000jh", "national", by="uf")


def test_antifungals_overall_in_intensive_care_and_in_haematology(world, lake):
    scope = f"establishment:{A}"
    [total] = compute(world, REFERENT_A, "antifungal_ddj_1000jh", scope)["rows"]
    assert total["value"] == pytest.approx(ddd(lake, 2025, {A}, "antifungal") / days(lake, 2025, {A}) * 1000, abs=1e-3)
    sectors = {r["sector"]: r["value"] for r in compute(world, REFERENT_A, "antifungal_ddj_1000jh", scope, by="sector")["rows"]}
    icu = ddd(lake, 2025, {A}, "antifungal", lambda r: r["sector"] == "REA") / days(
        lake, 2025, {A}, lambda r: r["sector"] == "REA"
    )
    assert sectors["REA"] == pytest.approx(icu * 1000, abs=1e-3)
    [haem] = compute(world, REFERENT_A, "antifungal_ddj_1000jh", scope, by="specialty")["rows"]
    expected = ddd(lake, 2025, {A}, "antifungal", lambda r: r["specialty"] == "hématologie") / days(
        lake, 2025, {A}, lambda r: r["specialty"] == "hématologie"
    )
    assert (haem["specialty"], haem["value"]) == ("hématologie", pytest.approx(expected * 1000, abs=1e-3))


def test_broad_spectrum_share_follows_the_reference_list(world, lake):
    def broad(r):
        return r["atc"].startswith(BROAD)

    [row] = compute(world, REFERENT_A, "broad_spectrum_share", f"establishment:{A}")["rows"]
    assert row["value"] == pytest.approx(ddd(lake, 2025, {A}, where=broad) / ddd(lake, 2025, {A}) * 100, abs=1e-3)
    [national] = compute(world, NATIONAL, "broad_spectrum_share", "national")["rows"]  # closed 2025: B and C only
    assert national["value"] == pytest.approx(ddd(lake, 2025, {B, C}, where=broad) / ddd(lake, 2025, {B, C}) * 100, abs=1e-3)
    per_es = compute(world, REGION_52, "broad_spectrum_share", "region:52", by="establishment")["rows"]
    assert [r["establishment"] for r in per_es] == [B]


# Combined pairs -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pair", "prefixes", "components"),
    [
        ("c3g", ("J01DD",), [("c3g_r", {"ESCCOL"}), ("c3g_r", {"KLEPNE"})]),
        ("carbapenems", ("J01DH",), [("epc", None), ("carba_r", {"PSEAER"})]),
        ("fq", ("J01MA",), [("fq_r", {"ESCCOL"})]),
        ("anti_sarm", ("J01XA",), [("sarm", {"STAAUR"})]),
    ],
)
def test_combined_pairs_per_establishment_of_the_scope(world, lake, pair, prefixes, components):
    result = compute(world, NATIONAL, "combined", "national", year="2024", pair=pair)
    assert result["pair"]["id"] == pair and result["pair"]["consumption"]
    rows = {r["establishment"]: r for r in result["rows"]}
    assert set(rows) == {A, B, C}
    for es, row in rows.items():
        family = ddd(lake, 2024, {es}, where=lambda r: r["atc"].startswith(prefixes))
        assert row["consumption"] == pytest.approx(family / days(lake, 2024, {es}) * 1000, abs=1e-3)
        parts = [share(lake, 2024, {es}, phenotype, species) for phenotype, species in components]
        positive, total = sum(p for p, _ in parts), sum(t for _, t in parts)
        assert (row["numerator"], row["denominator"], row["n"]) == (positive, total, total)
        assert row["value"] == row["resistance"] == pytest.approx(positive / total * 100, abs=1e-3)
        assert row.get("flag") == ("effectif_faible" if total < 30 else None)  # minimum 30 isolates
        assert [c["n"] for c in row["components"]] == [t for _, t in parts]
    [own] = compute(world, REFERENT_A, "combined", f"establishment:{A}", pair=pair)["rows"]  # its draft 2025
    assert own["establishment"] == A
    assert [r["establishment"] for r in compute(world, REGION_52, "combined", "region:52", pair=pair)["rows"]] == [B]


def test_combined_needs_a_known_pair_and_is_never_open_data(world):
    with pytest.raises(InvalidInput):
        compute(world, NATIONAL, "combined", "national", pair="x")
    with pytest.raises(NotFound):
        world.services.indicators.open_data("combined", "national", "2024", {"pair": "c3g"})


# Strategy panel -----------------------------------------------------------------------------------------------
def test_the_strategy_panel_is_made_of_the_indicators_own_values(world, lake):
    panel = {r["indicator"]: r for r in compute(world, NATIONAL, "strategy_panel", "national", year="2024")["rows"]}
    assert list(panel) == ["ddj_1000jh", "broad_spectrum_share", "pct_sarm", "density_sarm_blood", "density_eblse",
                           "density_epc", "pct_c3g_ecoli", "pct_c3g_kpne"]  # fmt: skip
    everyone = {A, B, C}
    assert panel["ddj_1000jh"]["value"] == pytest.approx(ddd(lake, 2024, everyone) / days(lake, 2024, everyone) * 1000, abs=1e-3)
    [ddj] = compute(world, NATIONAL, "ddj_1000jh", "national", year="2024")["rows"]
    [broad] = compute(world, NATIONAL, "broad_spectrum_share", "national", year="2024")["rows"]
    [blood] = compute(world, NATIONAL, "density_1000jh", "national", year="2024", phenotype="sarm", specimen="blood")["rows"]
    assert (panel["ddj_1000jh"]["value"], panel["broad_spectrum_share"]["value"]) == (ddj["value"], broad["value"])
    assert panel["density_sarm_blood"]["value"] == blood["value"] and panel["density_sarm_blood"]["unit"] == "/1000 JH"
    positive, total = share(lake, 2024, everyone, "sarm", None)
    assert (panel["pct_sarm"]["numerator"], panel["pct_sarm"]["n"]) == (positive, total)
    positive, total = share(lake, 2024, everyone, "c3g_r", {"KLEPNE"})
    assert panel["pct_c3g_kpne"]["value"] == pytest.approx(positive / total * 100, abs=1e-3)
    assert panel["pct_c3g_kpne"]["flag"] == "effectif_faible" and panel["pct_c3g_kpne"]["label"].startswith("K. pneumoniae")
    opened = world.services.indicators.open_data("strategy_panel", "national", "2024", {})
    assert [r["indicator"] for r in opened["rows"]] == list(panel)
    assert opened["rows"][0]["value"] == panel["ddj_1000jh"]["value"] and opened["rows"][0]["establishments"] == 3


# Trends -----------------------------------------------------------------------------------------------------
def test_a_trend_gives_every_year_and_null_for_years_without_data(world):
    trend = world.services.indicators.trend(REFERENT_A, "ddj_1000jh", f"establishment:{A}", "2023", "2025", None, {})
    assert (trend["from"], trend["to"], [r["year"] for r in trend["rows"]]) == (2023, 2025, [2023, 2024, 2025])
    assert trend["rows"][0] == {"year": 2023, "value": None, "numerator": None, "denominator": None, "n": 0}
    for row in trend["rows"][1:]:
        [value] = compute(world, REFERENT_A, "ddj_1000jh", f"establishment:{A}", year=str(row["year"]))["rows"]
        assert row == {"year": row["year"], **value}
    by_sector = world.services.indicators.trend(NATIONAL, "ddj_1000jh", "national", "2024", "2025", "sector", {})
    assert {r["year"] for r in by_sector["rows"]} == {2024, 2025} and all("sector" in r for r in by_sector["rows"])
    regional = world.services.indicators.trend(REGION_52, "pct_phenotype", "region:52", "2024", "2025", None,
                                               {"phenotype": "sarm"})  # fmt: skip
    assert all(r.get("flag") == "effectif_faible" for r in regional["rows"] if r["value"] is not None)


def test_trend_years_are_checked(world):
    trend = world.services.indicators.trend
    for start, end in (("2025", "2024"), ("2010", "2025"), (None, "2025"), ("2025", "20x5")):
        with pytest.raises(InvalidInput):
            trend(NATIONAL, "ddj_1000jh", "national", start, end, None, {})


# Scopes -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("indicator", "options"),
    [("broad_spectrum_share", {}), ("combined", {"pair": "c3g"}), ("strategy_panel", {}), ("antifungal_ddj_1000jh", {})],
)
def test_scopes_of_the_new_indicators(world, indicator, options):
    call = world.services.indicators
    with pytest.raises(NotFound):  # another establishment's data: absent
        call.compute(STRANGER, indicator, f"establishment:{A}", "2025", None, options)
    with pytest.raises(NotFound):
        call.trend(STRANGER, indicator, f"establishment:{A}", "2024", "2025", None, options)
    with pytest.raises(Forbidden):
        call.compute(REFERENT_A, indicator, "region:52", "2025", None, options)
    with pytest.raises(NotFound):  # a region its profile does not cover: another tenant
        call.compute(REGION_52, indicator, "region:11", "2025", None, options)
    with pytest.raises(Forbidden):
        call.trend(REFERENT_A, indicator, "national", "2024", "2025", None, options)
    assert call.compute(REFERENT_A, indicator, f"establishment:{A}", "2025", None, options)["rows"]  # its own draft


def test_the_catalogue_lists_the_new_indicators_in_french(world):
    catalogue = {i["id"]: i for i in world.services.indicators.catalogue()}
    assert {"broad_spectrum_share", "combined", "strategy_panel"} <= set(catalogue)
    assert catalogue["combined"]["pairs"] == ["c3g", "carbapenems", "fq", "anti_sarm"]
    assert {"uf", "service", "pole", "specialty"} <= set(catalogue["ddj_1000jh"]["dimensions"])
    assert catalogue["broad_spectrum_share"]["label"].startswith("Part des antibiotiques à large spectre")


def test_open_data_of_the_broad_spectrum_share_suppress_small_regions(world, lake):
    [row] = world.services.indicators.open_data("broad_spectrum_share", "national", "2024", {})["rows"]
    everyone = {A, B, C}
    expected = ddd(lake, 2024, everyone, where=lambda r: r["atc"].startswith(BROAD)) / ddd(lake, 2024, everyone) * 100
    assert (row["value"], row["establishments"]) == (pytest.approx(expected, abs=1e-3), 3)
    assert world.services.indicators.open_data("broad_spectrum_share", "region:52", "2024", {})["rows"] == [
        {"value": None, "suppressed": True}
    ]
    with pytest.raises(InvalidInput):
        world.services.indicators.open_data("ddj_1000jh", "national", "2024", {}, by="service")
