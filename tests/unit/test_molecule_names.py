"""Consumption by molecule names each molecule for people beside its ATC code: the reference's French name,
else WHO's substance name, else none (never a made-up one)."""

from __future__ import annotations

from chalicelib.domain.drugs.molecules import molecule_name
from tests.unit.test_aware_share import NATIONAL, lake, world  # noqa: F401  (the fixtures)


def test_each_row_by_molecule_carries_the_molecules_name(world):  # noqa: F811
    rows = world.services.indicators.compute(NATIONAL, "ddj_1000jh", "national", "2025", "molecule", {})["rows"]
    named = {r["molecule"]: r["label"] for r in rows}
    assert named["J01CA04"] == "Amoxicilline" and named["J01CR02"] == "Amoxicilline-acide clavulanique"
    assert named["J01XX01"] == "Fosfomycine"
    assert all(label for label in named.values()), named


def test_a_molecule_only_in_whos_index_has_whos_name_and_an_unknown_code_none():
    assert molecule_name("A07AA09") == "vancomycin"  # oral vancomycin: WHO's ATC/DDD index only
    assert molecule_name("J01XX99") is None and molecule_name(None) is None
