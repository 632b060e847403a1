"""Cell text → dates, numbers and columns, with French problems."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain.cells import (
    HeaderMatcher,
    column_letter,
    find_header_row,
    is_blank_row,
    normalise_header,
    parse_date,
    parse_decimal,
    parse_int,
)
from chalicelib.domain.errors import InvalidInput, Unprocessable


def problem(parse: object, text: str, **options: object) -> InvalidInput:
    """The InvalidInput raised for ``text``; any other exception escapes and fails the test."""
    with pytest.raises(InvalidInput) as caught:
        parse(text, **options)  # type: ignore[operator]
    return caught.value


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    ["05/03/2024", "5/3/2024", "05-03-2024", "05.03.2024", " 05/03/2024 ", "05/03/2024 14:30", "05/03/2024 14:30:59"],
)
def test_french_day_first_dates_are_read(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["2024-03-05", "2024-3-5", "2024-03-05T14:30:00", "2024-03-05 14:30", "2024-03-05T14:30:00Z"])
def test_iso_dates_with_optional_time_are_read(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 5)


def test_blank_date_is_no_value() -> None:
    assert parse_date("") is None
    assert parse_date("   ") is None


def test_two_digit_year_is_an_error_not_year_24() -> None:
    error = problem(parse_date, "05/03/24")

    assert error.message == (
        "Date invalide : « 05/03/24 » a une année sur deux chiffres ; écrivez l'année en entier (JJ/MM/AAAA)."
    )
    assert error.details == [{"value": "05/03/24", "problem": "date.two_digit_year"}]


@pytest.mark.parametrize("text", ["05/03/1899", "0024-03-05", "05/03/0024"])
def test_years_before_1900_are_refused(text: str) -> None:
    assert problem(parse_date, text).details[0]["problem"] == "date.before_1900"


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "2024-13-01", "00/01/2024"])
def test_impossible_dates_are_refused(text: str) -> None:
    error = problem(parse_date, text)

    assert error.message == f"Date invalide : « {text} » n'existe pas dans le calendrier."


def test_leap_day_of_a_leap_year_is_a_date() -> None:
    assert parse_date("29/02/2024") == date(2024, 2, 29)


def test_impossible_time_is_refused() -> None:
    assert problem(parse_date, "05/03/2024 25:00").details[0]["problem"] == "date.time"


@pytest.mark.parametrize(
    ("serial", "expected"),
    [("1", date(1900, 1, 1)), ("59", date(1900, 2, 28)), ("61", date(1900, 3, 1)), ("45356", date(2024, 3, 5))],
)
def test_excel_serials_follow_the_1900_system_and_its_leap_bug(serial: str, expected: date) -> None:
    assert parse_date(serial) == expected


def test_serial_60_is_excel_s_nonexistent_29_february_1900() -> None:
    error = problem(parse_date, "60")

    assert "29/02/1900, qui n'a jamais existé" in error.message


def test_serial_with_time_fraction_gives_its_day() -> None:
    assert parse_date("45356.75") == date(2024, 3, 5)
    assert parse_date("45356,75") == date(2024, 3, 5)


def test_serials_of_the_1904_system_are_four_years_later() -> None:
    assert parse_date("0", date1904=True) == date(1904, 1, 1)
    assert parse_date("43894", date1904=True) == date(2024, 3, 5)
    assert parse_date("43894") == date(2020, 3, 4)


def test_a_year_typed_alone_is_not_read_as_a_1905_serial() -> None:
    error = problem(parse_date, "2024")

    assert error.message == (
        "Date invalide : « 2024 » ressemble à une année seule ; une date complète est attendue (JJ/MM/AAAA)."
    )


@pytest.mark.parametrize("text", ["abc", "05/03", "0", "-5", "99999999", "2024/03/05", "05/03/20245"])
def test_text_that_is_not_a_date_is_refused_in_french(text: str) -> None:
    assert problem(parse_date, text).message.startswith("Date invalide")


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("-3,25", "-3.25"),
        ("\u22122", "-2"),
        ("+4", "4"),
        (",5", "0.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234\u202f567", "1234567"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1,234,567.89", "1234567.89"),
        ("1e-07", "1E-7"),
        ("0412", "412"),
    ],
)
def test_decimal_comma_point_and_thousands_spaces_are_read(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


def test_a_lone_separator_is_the_decimal_mark_never_thousands() -> None:
    assert parse_decimal("1,234") == Decimal("1.234")
    assert parse_decimal("1.234") == Decimal("1.234")


@pytest.mark.parametrize("text", ["1.23,4", "1,2.3,4", "12 5", "1 23,5", "12,", "1.234,"])
def test_numbers_that_cannot_be_read_without_guessing_are_refused(text: str) -> None:
    error = problem(parse_decimal, text)

    assert error.details[0]["problem"] == "number.ambiguous"
    assert error.message.startswith(f"Nombre invalide : « {text} » ; séparez les décimales par une virgule")


@pytest.mark.parametrize("text", ["abc", "12 €", "1e", "--3", "-", "NaN", "Infinity", "12%", "1 234e5"])
def test_text_that_is_not_a_number_is_refused(text: str) -> None:
    assert problem(parse_decimal, text).message == f"Nombre invalide : « {text} »."


def test_blank_number_is_no_value() -> None:
    assert parse_decimal(" ") is None
    assert parse_int("") is None


@pytest.mark.parametrize(("text", "expected"), [("12", 12), ("1 234", 1234), ("12,0", 12), ("-3", -3), ("1e3", 1000)])
def test_whole_numbers_are_read(text: str, expected: int) -> None:
    assert parse_int(text) == expected


def test_fractional_value_where_a_whole_number_is_expected_is_refused_not_rounded() -> None:
    error = problem(parse_int, "12,5")

    assert error.message == "Nombre entier attendu : « 12,5 »."
    assert problem(parse_int, "1.234").details[0]["problem"] == "number.not_integer"


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Date de  Prélèvement.", "date_de_prelevement"),
        ("CODE-UF", "code_uf"),
        ("code__uf", "code_uf"),
        ("\ufeffcode_uf", "code_uf"),
        ("Libellé\nUF", "libelle_uf"),
        ("Date d’entrée", "date_d_entree"),
        ("Œdème", "oedeme"),
        ("C3G+", "c3g+"),
    ],
)
def test_headers_are_normalised_for_comparison(text: str, expected: str) -> None:
    assert normalise_header(text) == expected


SPEC = {
    "code_uf": ["UF", "Code unité fonctionnelle"],
    "quantite": ["Qté", "Quantité dispensée"],
    "libelle": [],
}


def test_headers_match_leniently_by_case_accents_spaces_and_synonyms() -> None:
    match = HeaderMatcher(SPEC).match(["Code U.F.", "QTÉ", " libellé "])

    assert match.columns == {"code_uf": 0, "quantite": 1, "libelle": 2}
    assert match.ok
    assert match.problems == []


def test_missing_required_column_is_reported_with_accepted_headers() -> None:
    match = HeaderMatcher(SPEC, required=["code_uf", "quantite"]).match(["UF", "libelle"])

    assert match.missing == ("quantite",)
    assert match.problems == [
        "Colonne obligatoire absente : « quantite » (en-têtes acceptés : « quantite », « Qté », « Quantité dispensée »)."
    ]


def test_optional_column_may_be_absent() -> None:
    assert HeaderMatcher(SPEC, required=["code_uf"]).match(["UF"]).ok


def test_unknown_columns_are_listed_with_their_position_and_blank_headers_ignored() -> None:
    match = HeaderMatcher(SPEC, required=[]).match(["UF", "", "Amoxicilline", "AMC"])

    assert match.unknown == ((2, "Amoxicilline"), (3, "AMC"))


def test_a_column_given_twice_is_a_problem() -> None:
    match = HeaderMatcher(SPEC, required=[]).match(["UF", "libelle", "Code UF"])

    assert not match.ok
    assert match.problems == ["La colonne « code_uf » apparaît plusieurs fois (colonnes A, C)."]


def test_a_synonym_shared_by_two_columns_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="belongs to both"):
        HeaderMatcher({"code_uf": ["UF"], "code_service": ["u.f."]})


def test_first_non_blank_row_is_the_header() -> None:
    rows = [["", " "], ["UF", "Qté", "libellé"], ["0412", "3", "x"]]

    header = find_header_row(rows, HeaderMatcher(SPEC))

    assert header.index == 1
    assert header.match.columns["quantite"] == 1
    assert header.problems == []


def test_a_title_line_above_the_headers_gets_a_hint() -> None:
    rows = [["Export pharmacie du 05/03/2024"], ["UF", "Qté", "libellé"], ["0412", "3", "x"]]

    header = find_header_row(rows, HeaderMatcher(SPEC), row_numbers=[2, 4, 5])

    assert header.index == 0
    assert header.hint == (
        "Les en-têtes sont attendus sur la première ligne non vide (ligne 2), "
        "mais ils semblent se trouver ligne 4 : supprimez les lignes au-dessus."
    )
    assert header.problems[-1] == header.hint


def test_rows_without_any_header_are_an_empty_file() -> None:
    with pytest.raises(Unprocessable, match=r"Le fichier est vide\."):
        find_header_row([[], ["", "  "]], HeaderMatcher(SPEC))


def test_blank_rows_are_recognised() -> None:
    assert is_blank_row(["", " ", "\u00a0"])
    assert not is_blank_row(["", "0"])


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")])
def test_column_letters_are_those_of_excel(index: int, letters: str) -> None:
    assert column_letter(index) == letters
