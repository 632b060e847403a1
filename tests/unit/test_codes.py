import pytest

from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import InvalidInput


def test_a_real_finess_number_with_its_luhn_key_is_accepted():
    assert Finess.parse(" 750712184 ").value == "750712184"


def test_a_finess_number_with_a_wrong_key_is_refused_in_french():
    with pytest.raises(InvalidInput, match="clé de contrôle"):
        Finess.parse("750712185")


@pytest.mark.parametrize("raw", ["", "12345678", "7507121840", "ABCDEFGHI", None])
def test_a_finess_number_must_have_nine_characters(raw):
    with pytest.raises(InvalidInput, match="FINESS invalide"):
        Finess.parse(raw)


def test_corsican_finess_numbers_keep_their_letter():
    assert Finess.parse("2a0000123").value == "2A0000123"


def test_an_email_is_the_identity_of_a_person_whatever_its_case():
    assert Email.parse(" Claire.Martin@CHU-Demo.fr ") == Email.parse("claire.martin@chu-demo.fr")


def test_a_region_code_has_two_digits():
    assert RegionCode.parse("52").value == "52"
    with pytest.raises(InvalidInput):
        RegionCode.parse("5")
