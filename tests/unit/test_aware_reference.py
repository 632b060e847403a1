"""Integrity of WHO's AWaRe classification (chalicelib/reference/who_aware_2023.csv) against
the platform's scope: the WHO ATC/DDD table and the antibiotic families."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from chalicelib.domain.drugs import Route, Scope, scope_of
from chalicelib.domain.drugs.aware import AwareCategory, AwareTable, default_aware
from chalicelib.domain.errors import InvalidInput
from chalicelib.reference import read_table

REFERENCE = Path(__file__).resolve().parents[2] / "chalicelib" / "reference"
COLUMNS = ["version", "atc_code", "route", "molecule", "category", "note"]


def ddd_rows() -> list[dict[str, str]]:
    return list(read_table("who_atc_ddd"))


def test_the_aware_table_has_the_agreed_columns_and_one_version() -> None:
    rows = read_table("who_aware_2023")
    assert list(rows[0]) == COLUMNS
    assert {r["version"] for r in rows} == {"2023"} == {default_aware().version}


def test_an_atc_and_route_is_classified_once() -> None:
    keys = Counter((r["atc_code"], r["route"]) for r in read_table("who_aware_2023"))
    assert [key for key, count in keys.items() if count > 1] == []
    row = {"version": "2023", "atc_code": "J01CA04", "route": "", "molecule": "amoxicillin", "category": "access"}
    with pytest.raises(InvalidInput):
        AwareTable.from_rows([row, {**row, "category": "watch"}])


def test_every_category_is_an_aware_group() -> None:
    assert {r["category"] for r in read_table("who_aware_2023")} == {c.value for c in AwareCategory}
    with pytest.raises(InvalidInput):
        AwareCategory.parse("recommended")


def test_every_antibacterial_atc_and_systemic_route_of_the_ddd_table_is_classified_or_marked() -> None:
    aware = default_aware()
    missing = sorted({(r["atc_code"], r["route"]) for r in ddd_rows()
                      if scope_of(r["atc_code"]) is Scope.ANTIBIOTIC and Route.parse(r["route"]).is_systemic
                      and aware.entry_of(r["atc_code"], r["route"]) is None})  # fmt: skip
    assert missing == []
    assert {"A07AA09", "A07AA12", "J04AB02", "P01AB01"} <= {e.atc.value for e in aware.entries}


def test_the_table_names_only_antibacterial_atcs_the_ddd_table_knows() -> None:
    known = {r["atc_code"] for r in ddd_rows()}
    unknown = [e.atc.value for e in default_aware().entries if e.atc.value not in known]
    assert unknown == []
    assert {scope_of(e.atc) for e in default_aware().entries} == {Scope.ANTIBIOTIC}  # no antifungal: AWaRe is antibacterial


def test_a_molecule_split_by_route_is_classified_on_each_route_the_ddd_table_gives() -> None:
    aware = default_aware()
    split = {e.atc.value for e in aware.entries if e.route is not None}
    assert split == {"J01XX01", "J01AA08"}  # fosfomycin, minocycline
    for atc in split:
        routes = {Route.parse(r["route"]) for r in ddd_rows() if r["atc_code"] == atc}
        assert {e.route for e in aware.entries if e.atc.value == atc} == routes
    assert aware.category_of("J01XX01", "O") is AwareCategory.WATCH
    assert aware.category_of("J01XX01", Route.PARENTERAL) is AwareCategory.RESERVE
    assert aware.category_of("J01AA08", "P") is AwareCategory.RESERVE


@pytest.mark.parametrize(
    ("atc", "category"),
    [("J01CA04", "access"), ("J01CR02", "access"), ("J01EE01", "access"), ("J01XD01", "access"), ("P01AB01", "access"),
     ("J01DD04", "watch"), ("J01CR05", "watch"), ("J01DH02", "watch"), ("J01MA02", "watch"), ("J01XA01", "watch"),
     ("J04AB02", "watch"), ("A07AA12", "watch"), ("J01XB01", "reserve"), ("J01XX08", "reserve"), ("J01DD52", "reserve"),
     ("J01DI04", "reserve"), ("J01DD63", "not_classified")],
)  # fmt: skip
def test_landmark_molecules_of_who_2023(atc: str, category: str) -> None:
    assert default_aware().category_of(atc, "P").value == category


def test_a_molecule_absent_from_the_list_is_not_classified_never_guessed() -> None:
    assert default_aware().category_of("J01XX99") is AwareCategory.NOT_CLASSIFIED
    assert default_aware().category_of("J01XX01") is AwareCategory.NOT_CLASSIFIED  # split by route, no route given


def test_every_molecule_left_out_of_the_groups_says_why() -> None:
    unexplained = [r["atc_code"] for r in read_table("who_aware_2023") if r["category"] == "not_classified" and not r["note"]]
    assert unexplained == []


def test_the_french_labels_are_whos() -> None:
    assert [c.label for c in AwareCategory] == ["Accès", "À surveiller", "Réserve", "Non classé"]


def test_provenance_names_the_aware_table_and_how_it_was_compiled() -> None:
    text = (REFERENCE / "PROVENANCE_DRUGS.md").read_text(encoding="utf-8")
    assert "`who_aware_2023.csv`" in text
    assert "WHO/MHP/HPS/EML/2023.04" in text and "from memory" in text
