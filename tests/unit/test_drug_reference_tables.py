"""Integrity of the drug reference tables shipped in chalicelib/reference."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from chalicelib.domain.drugs import (
    Route,
    Scope,
    Unit,
    ddd_of_line,
    default_broad_spectrum,
    default_ddd_table,
    default_families,
    demo_catalogue,
    family_of,
    scope_of,
)
from chalicelib.reference import read_table

REFERENCE = Path(__file__).resolve().parents[2] / "chalicelib" / "reference"
KNOWN_UNITS = {unit.value for unit in Unit}
KNOWN_ROUTES = {route.value for route in Route}


def test_who_table_has_the_agreed_columns() -> None:
    rows = read_table("who_atc_ddd")
    assert list(rows[0]) == ["version", "atc_code", "substance", "route", "ddd_value", "ddd_unit", "refers_to", "note"]


def test_who_table_rows_are_unique_per_version_code_route_and_substance() -> None:
    keys = Counter((r["version"], r["atc_code"], r["route"], r["substance"]) for r in read_table("who_atc_ddd"))
    assert [key for key, count in keys.items() if count > 1] == []


def test_who_table_uses_known_units_routes_and_positive_values() -> None:
    for row in read_table("who_atc_ddd"):
        assert row["ddd_unit"] in KNOWN_UNITS, row
        assert row["route"] in KNOWN_ROUTES, row
        assert Decimal(row["ddd_value"]) > 0, row
        assert re.fullmatch(r"\d{4}", row["version"]), row
        assert row["refers_to"], row


def test_who_table_parses_into_a_ddd_table_with_the_2024_version() -> None:
    table = default_ddd_table()
    assert 2024 in table.versions
    assert len(table.rows) == len(read_table("who_atc_ddd"))


def test_who_table_keeps_the_reference_substance_of_combinations() -> None:
    refers = {(r["atc_code"], r["route"]): r["refers_to"] for r in read_table("who_atc_ddd")}
    assert refers[("J01CR02", "O")] == "amoxicillin"
    assert refers[("J01CR05", "P")] == "piperacillin"
    assert refers[("J01DH51", "P")] == "imipenem"


def test_cotrimoxazole_has_explicit_unit_dose_rows_for_oral_and_parenteral_use() -> None:
    rows = [r for r in read_table("who_atc_ddd") if r["atc_code"] == "J01EE01"]
    assert {r["route"] for r in rows} == {"O", "P"}
    for row in rows:
        assert row["ddd_unit"] == "UD"
        assert "1 UD = 400 mg sulfamethoxazole + 80 mg trimethoprim" in row["note"]


def test_every_unit_dose_or_variant_row_explains_itself_in_its_note() -> None:
    table = default_ddd_table()
    for ddd in table.rows:
        if ddd.unit is Unit.UD or ddd.qualifier or len(table.candidates(ddd.atc, ddd.route, ddd.version)) > 1:
            assert ddd.note, ddd


def test_families_have_unique_prefixes_and_one_label_and_scope_per_code() -> None:
    rows = read_table("atc_families")
    assert [p for p, n in Counter(r["atc_prefix"] for r in rows).items() if n > 1] == []
    by_code: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        by_code.setdefault(row["family_code"], set()).add((row["label_fr"], row["scope"]))
    assert {code: labels for code, labels in by_code.items() if len(labels) > 1} == {}
    assert {r["scope"] for r in rows} <= {scope.value for scope in Scope} - {Scope.OUT_OF_SCOPE.value}
    assert len(default_families().prefixes) == len(rows)


def test_broad_spectrum_prefixes_are_unique_antibiotics() -> None:
    prefixes = default_broad_spectrum().prefixes
    assert len(prefixes) == len(set(prefixes))
    for prefix in prefixes:
        family_scopes = {r["scope"] for r in read_table("atc_families") if prefix.startswith(r["atc_prefix"])}
        assert family_scopes == {"antibiotic"}, prefix


def test_demo_catalogue_has_at_least_150_products() -> None:
    assert len(demo_catalogue()) >= 150


def test_demo_catalogue_ucds_are_unique_seven_digit_codes() -> None:
    rows = read_table("drug_catalogue_demo")
    assert all(re.fullmatch(r"\d{7}", r["ucd"]) for r in rows)
    assert len({r["ucd"] for r in rows}) == len(rows)
    assert len({r["label"] for r in rows}) == len(rows)


def test_demo_catalogue_uses_known_units_and_who_route_codes() -> None:
    for row in read_table("drug_catalogue_demo"):
        assert row["strength_unit"] in KNOWN_UNITS, row
        assert row["route"] in KNOWN_ROUTES, row
        assert Decimal(row["strength"]) > 0, row


def test_every_catalogue_atc_has_a_ddd_row_for_its_route() -> None:
    table = default_ddd_table()
    missing = [
        (str(e.ucd), str(e.atc), e.route.value)
        for e in demo_catalogue().entries
        if table.ddd(e.atc, e.route, 2024, substance=e.substance) is None
    ]
    assert missing == []


def test_catalogue_strengths_are_expressed_in_the_unit_of_their_who_ddd() -> None:
    table = default_ddd_table()
    for e in demo_catalogue().entries:
        who = table.ddd(e.atc, e.route, 2024, substance=e.substance)
        assert who is not None and who.unit is e.strength_unit, e


@pytest.mark.parametrize("year", [2024, 2025])
def test_catalogue_entries_all_resolve_to_a_who_ddd(year: int) -> None:
    for e in demo_catalogue().entries:
        result = ddd_of_line(1, e, default_ddd_table(), year)
        assert result.version == 2024
        assert Decimal(0) < result.ddd <= Decimal(20), e  # a tablet, a vial or a whole bottle


def test_families_cover_every_catalogue_atc() -> None:
    uncovered = [str(e.atc) for e in demo_catalogue().entries if family_of(e.atc) is None]
    assert uncovered == []
    assert {scope_of(e.atc) for e in demo_catalogue().entries} == {Scope.ANTIBIOTIC, Scope.ANTIFUNGAL}


def test_demo_catalogue_covers_oral_injectable_paediatric_and_antifungal_products() -> None:
    entries = demo_catalogue().entries
    assert {Route.ORAL, Route.PARENTERAL} <= {e.route for e in entries}
    assert any("flacon" in e.label and e.route is Route.ORAL for e in entries)
    assert sum(scope_of(e.atc) is Scope.ANTIFUNGAL for e in entries) >= 15
    required = {"J04AB02", "P01AB01", "A07AA12", "A07AA09", "J01CR02", "J01CR05", "J01DH51", "J01EE01", "J01XB01"}
    assert required <= {str(e.atc) for e in entries}


def test_provenance_names_every_drug_table() -> None:
    text = (REFERENCE / "PROVENANCE_DRUGS.md").read_text(encoding="utf-8")
    for table in ("who_atc_ddd.csv", "atc_families.csv", "broad_spectrum.csv", "drug_catalogue_demo.csv"):
        assert table in text
    assert "synthetic" in text.lower()
