"""The password rule is stated once (domain/accounts.py): the text the forms show says exactly what is refused."""

from __future__ import annotations

import pytest

from chalicelib.domain.accounts import PASSWORD_MIN_LENGTH, check_password, password_rule
from chalicelib.domain.errors import InvalidInput


def test_a_password_that_follows_the_stated_rule_is_accepted():
    check_password("Abcdefghi1")
    assert password_rule()["text"] == "Au moins 10 caractères, dont une minuscule, une majuscule et un chiffre."


@pytest.mark.parametrize(
    ("password", "missing"),
    [("Abcdefgh1", f"au moins {PASSWORD_MIN_LENGTH} caractères"), ("ABCDEFGHI1", "une minuscule"),
     ("abcdefghi1", "une majuscule"), ("Abcdefghij", "un chiffre")],
)  # fmt: skip
def test_a_password_missing_one_part_of_the_stated_rule_is_refused_naming_that_part(password, missing):
    with pytest.raises(InvalidInput) as refused:
        check_password(password)
    assert missing in refused.value.message
    assert missing in password_rule()["text"] or missing.startswith("au moins")

