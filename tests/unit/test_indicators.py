"""Indicators over the lake, each compared with an independent computation of the
same files (tests/support/files.py), and their scopes."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.drugs import Ucd, default_ddd_table, demo_catalogue
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.imports import UploadStatus
from tests.fakes.wiring import fake_world
from tests.support import files
from tests.support.closed_area import copy_into_closed
from tests.support.workflow import runner

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
CHU = Finess("440000990")
REFERENT = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})


def send(world, file_type: str, period: str, content: bytes, lab: str | None = None) -> UploadStatus | None:
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, file_type, period, f"{file_type}.csv", len(content), lab)
    world.objects.put(world.services.settings.buckets["raw"], upload.raw_key, content, "text/csv")
    return world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, "v1")


@pytest.fixture
def world():
    world = fake_world()
    services = world.services
    services.tenants.create_establishment(ADMIN, CHU.value, "CHU", "CHU", "52")
    services.catalogue.load_demo_if_empty()
    world.access.put_membership(Membership(CHU, Email("r@chu.fr"), Status.REFERENT, "t"))
    assert send(world, "structure", "2025", files.csv(files.STRUCTURE)) is UploadStatus.VALIDATED
    assert send(world, "patient_days", "2025-T1", files.csv(files.PATIENT_DAYS_T1)) is UploadStatus.VALIDATED
    assert send(world, "consumption", "2025-T1", files.csv(files.CONSUMPTION_T1)) is UploadStatus.VALIDATED
    return world


def expected_ddd() -> dict[str, float]:
    """By UF, from the file's quantities, the demo catalogue's strengths and WHO's DDD: nothing from the platform's pipeline."""
    catalogue, table = demo_catalogue(), default_ddd_table()
    found: dict[str, float] = {}
    for uf, ucd, _label, quantity, _period in files.CONSUMPTION_T1[1:]:
        entry = catalogue.get(Ucd.parse(ucd))
        ddd = table.ddd(entry.atc, entry.route, 2025, entry.substance)
        found[uf] = found.get(uf, 0.0) + float(quantity.replace(",", ".")) * float(entry.strength) / float(ddd.value)
    return found


def patient_days() -> dict[str, int]:
    return {row[0]: int(row[2]) for row in files.PATIENT_DAYS_T1[1:]}


def test_ddj_per_1000_patient_days_of_an_establishment_matches_the_files(world):
    result = world.services.indicators.compute(REFERENT, "ddj_1000jh", "establishment:440000990", "2025", None, {})
    [row] = result["rows"]
    expected = sum(expected_ddd().values()) / sum(patient_days().values()) * 1000
    assert row["value"] == pytest.approx(expected, abs=1e-3)
    assert result["rule"].startswith("DDJ OMS")


def test_ddj_by_sector_divides_each_sector_by_its_own_patient_days_and_moves_theatres(world):
    rows = world.services.indicators.compute(REFERENT, "ddj_1000jh", "establishment:440000990", "2025", "sector", {})["rows"]
    ddd, days = expected_ddd(), patient_days()
    med = (ddd["0412"]) / (days["0412"] + days["0997"]) * 1000  # 0997: DE 999 with the MED override
    chir = (ddd["1204"] + ddd["8001"]) / days["1204"] * 1000  # the theatre 8001 shares DE 137 with 1204
    assert {r["sector"]: r["value"] for r in rows} == pytest.approx({"MED": med, "CHIR": chir}, abs=1e-3)


def test_ddj_by_family_splits_the_numerator_not_the_denominator(world):
    rows = world.services.indicators.compute(REFERENT, "ddj_1000jh", "establishment:440000990", "2025", "family", {})["rows"]
    assert sum(r["value"] for r in rows) == pytest.approx(sum(expected_ddd().values()) / 4850 * 1000, abs=1e-3)
    assert len(rows) == 3


def test_resistance_indicators_follow_the_hand_computed_deduplication(world):
    lab = world.services.tenants.create_laboratory(ADMIN, "Labo", None).lab_id
    world.services.tenants.link_laboratory(ADMIN, CHU.value, lab)
    world.workflows.runner = runner(lambda: world.services.deduplication)
    content = files.csv(files.RESISTANCE)
    assert send(world, "resistance", "2025", content, lab) is UploadStatus.NEEDS_MAPPING
    for kind in ("species", "specimen", "antibiotic"):
        world.services.mappings.confirm_all_proposals(REFERENT, lab, kind)
    assert send(world, "resistance", "2025", content, lab) is UploadStatus.VALIDATED  # the workflow ran at once
    pct = world.services.indicators.compute(REFERENT, "pct_r", "establishment:440000990", "2025", None, {})["rows"]
    by_pair = {(r["species"], r["antibiotic"]): r for r in pct}
    # kept E. coli: rows 2 and 4 (CTX R in both); kept K. pneumoniae: row 8 (CTX S)
    assert (by_pair[("ESCCOL", "CTX")]["value"], by_pair[("ESCCOL", "CTX")]["n"]) == (100.0, 2)
    assert by_pair[("KLEPNE", "CTX")]["value"] == 0.0
    assert by_pair[("ESCCOL", "CTX")]["flag"] == "effectif_faible"  # n < 30
    sarm = world.services.indicators.compute(
        REFERENT, "pct_phenotype", "establishment:440000990", "2025", None, {"phenotype": "sarm"}
    )
    assert [(r["species_group"], r["value"]) for r in sarm["rows"]] == [("staphylococci", 100.0)]
    assert sarm["rule"] == "patient-espece-antibiotype-annee-v1"


def test_a_region_and_the_nation_see_closed_data_only(world):
    national = world.services.indicators.compute(NATIONAL, "ddj_1000jh", "national", "2025", None, {})
    assert national["rows"] == []  # nothing closed yet
    for current in world.uploads.current_for_year(CHU, 2025):
        for key in current.lake_keys:
            copy_into_closed(world.objects, world.services.settings.buckets["lake"], key, "closed/" + key.removeprefix("lake/"))
    regional = Principal(Email("a@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
    [row] = world.services.indicators.compute(regional, "ddj_1000jh", "region:52", "2025", None, {})["rows"]
    assert row["value"] == pytest.approx(sum(expected_ddd().values()) / 4850 * 1000, abs=1e-3)
    per_es = world.services.indicators.compute(regional, "ddj_1000jh", "region:52", "2025", "establishment", {})["rows"]
    assert [r["establishment"] for r in per_es] == ["440000990"]


def test_scopes_come_from_the_caller_never_from_the_client(world):
    stranger = Principal(Email("x@ch.fr"), memberships={Finess("490000999"): Status.REFERENT})
    with pytest.raises(NotFound):
        world.services.indicators.compute(stranger, "ddj_1000jh", "establishment:440000990", "2025", None, {})
    with pytest.raises(Forbidden):
        world.services.indicators.compute(REFERENT, "ddj_1000jh", "region:52", "2025", None, {})
    other = Principal(Email("b@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("53"))}))
    with pytest.raises(NotFound):  # another region is another tenant: it does not exist for them
        world.services.indicators.compute(other, "ddj_1000jh", "region:52", "2025", None, {})
    with pytest.raises(InvalidInput):
        world.services.indicators.compute(REFERENT, "pct_phenotype", "establishment:440000990", "2025", None, {"phenotype": "x"})


def test_the_benchmark_places_the_establishment_among_its_category(world):
    result = world.services.indicators.benchmark(REFERENT, "ddj_1000jh", CHU.value, "2025", {})
    assert result["category"] == "CHU" and result["n_establishments"] == 0  # no closed peer yet
    assert result["value"] == pytest.approx(sum(expected_ddd().values()) / 4850 * 1000, abs=1e-3)


def test_open_data_suppress_cells_built_from_fewer_than_three_establishments(world):
    for current in world.uploads.current_for_year(CHU, 2025):
        for key in current.lake_keys:
            copy_into_closed(world.objects, world.services.settings.buckets["lake"], key, "closed/" + key.removeprefix("lake/"))
    opened = world.services.indicators.open_data("ddj_1000jh", "national", "2025", {})
    assert opened["rows"] == [{"value": None, "suppressed": True}]  # one establishment only
    with pytest.raises(NotFound):
        world.services.indicators.open_data("ddj_1000jh", "establishment:440000990", "2025", {})


def test_open_data_show_a_cell_once_three_establishments_make_it(world):
    lake = world.services.settings.buckets["lake"]
    for current in world.uploads.current_for_year(CHU, 2025):
        for key in current.lake_keys:
            for finess in ("440000990", "490000999", "850000993"):
                target = "closed/" + key.removeprefix("lake/").replace("es=440000990", f"es={finess}")
                copy_into_closed(world.objects, lake, key, target)
    [row] = world.services.indicators.open_data("ddj_1000jh", "region:52", "2025", {})["rows"]
    assert row["establishments"] == 3
    assert row["value"] == pytest.approx(sum(expected_ddd().values()) / 4850 * 1000, abs=1e-3)


def test_open_data_give_resistance_per_species_and_antibiotic_without_any_establishment(world):
    opened = world.services.indicators.open_data("pct_r", "national", "2025", {})
    assert opened["rows"] == []  # nothing closed
    with pytest.raises(InvalidInput):
        world.services.indicators.open_data("ddj_1000jh", "national", "2025", {}, by="establishment")
