"""Warnings on values far from the establishment's history or its category
(DOMAIN.md §8; rule in chalicelib/domain/outliers.py), on hand-made histories."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.outliers import DDJ, FAR, PCT_R, Value, far_from_category, far_from_history
from chalicelib.services.ports import CurrentDataset
from tests.fakes.wiring import fake_world
from tests.support import lake_fixture

ECOLI_CTX = ("ESCCOL", "CTX")


def ddj(value: float) -> dict[tuple[str, ...], Value]:
    return {(): Value(value, 100)}


def test_ddj_more_than_half_away_from_the_mean_of_previous_closed_years_is_a_warning():
    history = {2022: ddj(280.0), 2023: ddj(300.0), 2024: ddj(320.0)}  # mean 300: admitted 150..450
    assert far_from_history(DDJ, 2025, ddj(449.0), history) == []
    assert far_from_history(DDJ, 2025, ddj(151.0), history) == []
    [control] = far_from_history(DDJ, 2025, ddj(460.0), history)
    assert (control.id, control.severity, control.period, control.count) == ("ddj_far_from_history", "avertissement", "2025", 1)
    assert control.rows == [{"indicateur": "ddj_1000jh", "valeur": 460.0, "reference": 300.0, "borne_basse": 150.0,
                             "borne_haute": 450.0, "annees": [2022, 2023, 2024], "n": 100}]  # fmt: skip
    assert "460,0 DDJ/1000 JH" in control.message and "2022-2024 : 300,0" in control.message
    assert not control.blocking


def test_history_uses_only_the_previous_years_that_exist():
    assert far_from_history(DDJ, 2025, ddj(900.0), {}) == []  # no closed history: nothing to compare
    assert far_from_history(DDJ, 2025, ddj(900.0), {2020: ddj(100.0)}) == []  # older than three years
    [control] = far_from_history(DDJ, 2025, ddj(100.0), {2024: ddj(400.0)})
    assert control.rows[0]["annees"] == [2024] and "(moyenne des années clôturées 2024 : 400,0" in control.message


def test_a_percentage_resistant_is_far_beyond_fifteen_points_and_needs_thirty_isolates():
    history = {2024: {ECOLI_CTX: Value(10.0, 200)}}
    assert far_from_history(PCT_R, 2025, {ECOLI_CTX: Value(24.0, 200)}, history) == []
    assert far_from_history(PCT_R, 2025, {ECOLI_CTX: Value(60.0, 12)}, history) == []  # too few isolates this year
    assert far_from_history(PCT_R, 2025, {ECOLI_CTX: Value(60.0, 200)}, {2024: {ECOLI_CTX: Value(10.0, 5)}}) == []
    [control] = far_from_history(PCT_R, 2025, {ECOLI_CTX: Value(26.0, 200)}, history)
    assert control.id == "pct_r_far_from_history"
    assert control.rows[0] | {"espece": "ESCCOL", "antibiotique": "CTX", "valeur": 26.0, "reference": 10.0} == control.rows[0]
    assert "ESCCOL × CTX : 26,0 % contre 10,0 %" in control.message


def test_category_bounds_are_p10_over_one_and_a_half_and_p90_times_one_and_a_half():
    peers = {(): [Value(v, 50) for v in (200.0, 250.0, 300.0, 350.0, 400.0)]}  # P10 220, P90 380: 146.7..570
    assert far_from_category(DDJ, 2025, "CH", ddj(560.0), peers) == []
    [high] = far_from_category(DDJ, 2025, "CH", ddj(600.0), peers)
    [low] = far_from_category(DDJ, 2025, "CH", ddj(140.0), peers)
    assert (high.id, high.rows[0]["p10"], high.rows[0]["p90"], high.rows[0]["borne_haute"]) == (
        "ddj_far_from_category", 220.0, 380.0, 570.0)  # fmt: skip
    assert "catégorie CH" in low.message and "5 établissements" in low.message
    few = {(): [Value(v, 50) for v in (200.0, 250.0, 300.0, 350.0)]}
    assert far_from_category(DDJ, 2025, "CH", ddj(900.0), few) == []  # fewer than five peers
    pct = {ECOLI_CTX: [Value(v, 100) for v in (5.0, 8.0, 10.0, 12.0, 15.0)]}
    [control] = far_from_category(PCT_R, 2025, "CH", {ECOLI_CTX: Value(40.0, 100)}, pct)
    assert control.id == "pct_r_far_from_category" and control.rows[0]["borne_haute"] == pytest.approx(
        13.8 + FAR.points_tolerance
    )  # P90 13.8


def test_the_controls_endpoint_adds_the_warnings_from_the_lake_and_the_closure_ignores_them():
    """A's 2025 draft against its closed 2024, whose consumption is made four times smaller."""
    world, lake = fake_world(), lake_fixture.build()
    admin = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    a = lake_fixture.ESTABLISHMENTS[0][0]
    world.services.tenants.create_establishment(admin, a, "CH A", "CHU", "52")
    for row in lake.rows["consumption"]:
        if row["year"] == "2024":
            row["ddd"] = row["ddd"] / 4
    bucket = world.services.settings.buckets["lake"]
    drafts = lake.keys(world.objects, bucket, "lake", only={(a, 2025)})
    lake.keys(world.objects, bucket, "closed", only={(a, 2024)})
    for dataset, file_type in (("consumption", "consumption"), ("patient_days", "patient_days")):
        world.uploads.replace_current(CurrentDataset(Finess(a), file_type, "2025", "fixture", drafts[dataset], 1), None)
    referent = Principal(Email("r@a.fr"), memberships={Finess(a): Status.REFERENT})
    found = {c.id: c for c in world.services.controls.controls(referent, a, "2025")}
    far = found["ddj_far_from_history"]
    assert far.severity == "avertissement" and far.period == "2025" and far.rows[0]["annees"] == [2024]
    assert "ddj_far_from_history" not in {c.id for c in world.services.controls.run(Finess(a), 2025)}  # closure's list


def test_every_sentinel_pair_names_a_species_and_an_antibiotic_of_the_reference():
    from chalicelib.domain.outliers import FAR
    from chalicelib.domain.resistance.reference import default_reference

    reference = default_reference()
    species = set(reference.species_by_code)
    antibiotics = {a.code for a in reference.antibiotics}
    assert {s for s, _ in FAR.sentinel_pairs} <= species
    assert {a for _, a in FAR.sentinel_pairs} <= antibiotics
