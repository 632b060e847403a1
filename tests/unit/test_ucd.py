"""UCD and ATC codes: one coercion point each, French errors."""

from __future__ import annotations

import pytest

from chalicelib.domain.drugs import AtcCode, Ucd, ean13_check_digit
from chalicelib.domain.errors import InvalidInput


def test_seven_digit_ucd_is_kept_as_given() -> None:
    assert Ucd.parse("9000001").value == "9000001"


def test_leading_zeros_of_a_ucd_are_preserved() -> None:
    assert str(Ucd.parse("0900011")) == "0900011"


def test_thirteen_digit_ucd_names_the_same_product_as_seven_digit() -> None:
    seven = Ucd.parse("0900011")
    thirteen = Ucd.parse(seven.ucd13)
    assert seven.ucd13.startswith("34008") and len(seven.ucd13) == 13
    assert thirteen == seven
    assert thirteen.value == "0900011"


def test_thirteen_digit_ucd_with_its_computed_check_digit_is_accepted() -> None:
    first_twelve = "340089000001"
    code = first_twelve + str(ean13_check_digit(first_twelve))
    assert Ucd.parse(code) == Ucd.parse("9000001")


def test_spaces_inside_and_around_a_ucd_are_tolerated() -> None:
    ucd13 = Ucd.parse("0900011").ucd13
    spaced = f" {ucd13[:5]} {ucd13[5:12]} {ucd13[12]} "
    assert Ucd.parse(spaced) == Ucd.parse(" 0900011 ")


def test_ean13_check_digit_matches_published_barcodes() -> None:
    assert ean13_check_digit("400638133393") == 1
    assert ean13_check_digit("590123412345") == 7


def test_thirteen_digit_ucd_with_a_wrong_check_digit_is_rejected_in_french() -> None:
    good = Ucd.parse("0900011").ucd13
    bad = good[:12] + str((int(good[12]) + 1) % 10)
    with pytest.raises(InvalidInput, match="clé de contrôle incorrecte"):
        Ucd.parse(bad)


def test_thirteen_digit_code_without_the_34008_prefix_is_not_a_ucd() -> None:
    with pytest.raises(InvalidInput, match="commence par 34008"):
        Ucd.parse("4006381333931")


@pytest.mark.parametrize("raw", ["", None, "123456", "12345678", "90000A1", "340089000001", "09000-11"])
def test_malformed_ucd_is_rejected_with_a_french_message(raw: object) -> None:
    with pytest.raises(InvalidInput, match="Code UCD invalide") as caught:
        Ucd.parse(raw)
    assert caught.value.details[0]["field"] == "code_ucd"


def test_atc_code_is_normalised_to_upper_case() -> None:
    assert AtcCode.parse(" j01cr02 ") == AtcCode("J01CR02")


@pytest.mark.parametrize("raw", ["J01", "J01CR", "J01CR2", "J01CR022", "101CR02", ""])
def test_atc_code_must_name_a_substance_level(raw: str) -> None:
    with pytest.raises(InvalidInput, match="Code ATC invalide"):
        AtcCode.parse(raw)


def test_the_consumption_template_example_is_a_valid_ucd_of_the_demo_catalogue():
    from chalicelib.domain.drugs import demo_catalogue
    from chalicelib.domain.files.columns import CONSUMPTION

    [column] = [c for c in CONSUMPTION if c.name == "code_ucd"]
    assert demo_catalogue().get(Ucd.parse(column.example)) is not None
