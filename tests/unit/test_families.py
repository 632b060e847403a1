"""Families, scopes and the broad-spectrum list, by ATC prefix (most specific wins)."""

from __future__ import annotations

import pytest

from chalicelib.domain.drugs import (
    AtcCode,
    BroadSpectrumList,
    FamilyTable,
    Scope,
    family_of,
    is_broad_spectrum,
    scope_of,
)
from chalicelib.domain.errors import InvalidInput


def family_code(atc: str) -> str | None:
    family = family_of(atc)
    return family.code if family else None


@pytest.mark.parametrize(
    ("atc", "family"),
    [
        ("J01CA04", "PENICILLINS"),
        ("J01CF02", "PENICILLINS"),
        ("J01CR02", "AMOXICILLIN_CLAVULANATE"),
        ("J01CR05", "PIPERACILLIN_TAZOBACTAM"),
        ("J01DB04", "C1G_C2G"),
        ("J01DC02", "C1G_C2G"),
        ("J01DD04", "C3G"),
        ("J01DD52", "C3G"),
        ("J01DE01", "C4G"),
        ("J01DI02", "C5G_OTHER_CEPHALOSPORINS"),
        ("J01DI04", "C5G_OTHER_CEPHALOSPORINS"),
        ("J01DH02", "CARBAPENEMS"),
        ("J01DF01", "MONOBACTAMS"),
        ("J01FA10", "MLS"),
        ("J01FF01", "MLS"),
        ("J01FG01", "MLS"),
        ("J01GB06", "AMINOGLYCOSIDES"),
        ("J01MA02", "FLUOROQUINOLONES"),
        ("J01MB02", "OTHER_QUINOLONES"),
        ("J01XA01", "GLYCOPEPTIDES"),
        ("J01XD01", "IMIDAZOLES"),
        ("P01AB01", "IMIDAZOLES"),
        ("J01XX08", "OXAZOLIDINONES"),
        ("J01XX11", "OXAZOLIDINONES"),
        ("J01XX09", "DAPTOMYCIN"),
        ("J01XB01", "POLYMYXINS"),
        ("J01XX01", "FOSFOMYCIN"),
        ("J01AA02", "TETRACYCLINES"),
        ("J01EE01", "SULFONAMIDES_TRIMETHOPRIM"),
        ("J01XE01", "NITROFURANS"),
        ("J04AB02", "RIFAMPICIN"),
        ("A07AA12", "FIDAXOMICIN"),
        ("A07AA09", "ORAL_VANCOMYCIN"),
        ("J01XC01", "OTHER_ANTIBACTERIALS"),
        ("J01BA01", "OTHER_ANTIBACTERIALS"),
        ("J02AC01", "TRIAZOLES"),
        ("J02AX04", "ECHINOCANDINS"),
        ("J02AA01", "AMPHOTERICIN_B"),
        ("J02AB02", "OTHER_ANTIFUNGALS"),
    ],
)
def test_each_domain_family_is_found_by_its_atc_prefix(atc: str, family: str) -> None:
    assert family_code(atc) == family


def test_amoxicillin_clavulanate_is_its_own_family_not_the_penicillins() -> None:
    assert family_code("J01CR02") == "AMOXICILLIN_CLAVULANATE"
    assert family_code("J01CR01") == "PENICILLINS"  # other penicillin-inhibitor combinations


def test_most_specific_prefix_wins_so_flucytosine_is_not_an_echinocandin() -> None:
    assert family_code("J02AX01") == "OTHER_ANTIFUNGALS"
    assert family_code("J02AX05") == "ECHINOCANDINS"


def test_family_carries_a_french_label() -> None:
    family = family_of(AtcCode.parse("J01DH51"))
    assert family is not None and family.label == "Carbapénèmes"


@pytest.mark.parametrize(
    ("atc", "scope"),
    [
        ("J01CA04", Scope.ANTIBIOTIC),
        ("J04AB02", Scope.ANTIBIOTIC),
        ("P01AB01", Scope.ANTIBIOTIC),
        ("P01AB07", Scope.ANTIBIOTIC),
        ("A07AA12", Scope.ANTIBIOTIC),
        ("A07AA09", Scope.ANTIBIOTIC),
        ("J02AC01", Scope.ANTIFUNGAL),
        ("J02AA01", Scope.ANTIFUNGAL),
        ("J04AC01", Scope.ANTITUBERCULOSIS),
        ("J04AB04", Scope.ANTITUBERCULOSIS),
        ("A07AA10", Scope.OUT_OF_SCOPE),
        ("J05AB01", Scope.OUT_OF_SCOPE),
        ("D06AX09", Scope.OUT_OF_SCOPE),
    ],
)
def test_scope_follows_the_surveillance_perimeter(atc: str, scope: Scope) -> None:
    assert scope_of(atc) is scope


def test_atc_outside_every_family_has_no_family() -> None:
    assert family_of("N02BE01") is None


@pytest.mark.parametrize(
    ("atc", "broad"),
    [
        ("J01CR02", True),
        ("J01CR05", True),
        ("J01DD04", True),
        ("J01DD08", True),
        ("J01DD52", True),
        ("J01DE01", True),
        ("J01DH02", True),
        ("J01DH51", True),
        ("J01MA02", True),
        ("J01MA12", True),
        ("J01CA17", True),
        ("J01CA04", False),
        ("J01CR01", False),
        ("J01DC02", False),
        ("J01DI02", False),
        ("J01MB02", False),
        ("J01XA01", False),
        ("J02AC01", False),
    ],
)
def test_broad_spectrum_list_is_the_default_of_the_domain(atc: str, broad: bool) -> None:
    assert is_broad_spectrum(atc) is broad


def test_family_tables_can_be_built_from_other_rows() -> None:
    table = FamilyTable.from_rows(
        [
            {"atc_prefix": "J01", "family_code": "ALL", "label_fr": "Tous", "scope": "antibiotic"},
            {"atc_prefix": "J01CR02", "family_code": "AMC", "label_fr": "Amox-clav", "scope": "antibiotic"},
        ]
    )
    assert table.family_of("J01CR02").code == "AMC"  # type: ignore[union-attr]
    assert table.scope_of("J02AC01") is Scope.OUT_OF_SCOPE
    assert BroadSpectrumList.from_rows([{"atc_prefix": "j01dd"}]).contains("J01DD04")


def test_duplicate_family_prefix_is_rejected() -> None:
    row = {"atc_prefix": "J01", "family_code": "ALL", "label_fr": "Tous", "scope": "antibiotic"}
    with pytest.raises(InvalidInput, match="en double"):
        FamilyTable.from_rows([row, dict(row)])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("atc_prefix", "J1", "Préfixe ATC invalide"), ("scope", "antiviral", "Périmètre inconnu")],
)
def test_malformed_family_rows_are_rejected_in_french(column: str, value: str, message: str) -> None:
    row = {"atc_prefix": "J01", "family_code": "ALL", "label_fr": "Tous", "scope": "antibiotic"}
    row[column] = value
    with pytest.raises(InvalidInput, match=message):
        FamilyTable.from_rows([row])
