"""Reading uploaded spreadsheets: every cell as typed text, every bad file refused in French."""

from __future__ import annotations

import random
import zlib

import pytest

from chalicelib.adapters.spreadsheets import ReadLimits, Sheet, read_table
from chalicelib.domain.cells import HeaderMatcher, find_header_row, parse_date, parse_decimal
from chalicelib.domain.errors import DomainError, TooLarge, Unprocessable
from tests.support import bad_files

NBSP = "\u00a0"


def refusal(data: bytes, filename: str = "import.xlsx", limits: ReadLimits | None = None) -> DomainError:
    """The domain error read_table raises; any other exception escapes and fails the test."""
    with pytest.raises(DomainError) as caught:
        read_table(data, filename, limits)
    return caught.value


# --------------------------------------------------------------------------- XLSX content


def test_leading_zeros_of_uf_codes_survive_xlsx_reading() -> None:
    sheet = read_table(bad_files.leading_zero_codes_xlsx(), "structure.xlsx")

    assert sheet.format == "xlsx"
    assert [row[0] for row in sheet.rows] == ["code_uf", "0412", "0007"]
    assert sheet.rows[2][4] == "0900011"


def test_na_text_and_na_error_cells_are_kept_as_typed_not_emptied() -> None:
    sheet = read_table(bad_files.leading_zero_codes_xlsx(), "structure.xlsx")

    assert sheet.rows[1][5:7] == ["NA", "#N/A"]


def test_integral_numbers_are_rendered_without_decimal_point() -> None:
    row = read_table(bad_files.leading_zero_codes_xlsx(), "structure.xlsx").rows[1]

    assert row[2:5] == ["24", "12.5", "3400893826163"]


def test_date_cells_are_rendered_as_jj_mm_aaaa() -> None:
    sheet = read_table(bad_files.dates_xlsx(), "isolats.xlsx")

    assert sheet.rows[1] == ["05/03/2024", "05/03/2024 14:30", "08:15"]
    assert parse_date(sheet.rows[1][1]) == parse_date("2024-03-05")


def test_a_1904_workbook_keeps_its_dates_and_says_so_for_plain_serials() -> None:
    sheet = read_table(bad_files.date1904_xlsx(), "mac.xlsx")

    assert sheet.date1904 is True
    date_cell, serial = sheet.rows[1]
    assert date_cell == "05/03/2024"
    assert parse_date(serial, date1904=sheet.date1904) == parse_date(date_cell)


def test_a_1900_workbook_is_not_flagged_1904() -> None:
    assert read_table(bad_files.dates_xlsx(), "isolats.xlsx").date1904 is False


def test_number_formatted_with_zeros_keeps_the_leading_zero_excel_displays() -> None:
    sheet = read_table(bad_files.zero_padded_number_xlsx(), "structure.xlsx")

    assert [row[0] for row in sheet.rows] == ["code_uf", "0412", "0007"]


def test_row_numbers_are_spreadsheet_rows_and_blank_rows_are_dropped() -> None:
    sheet = read_table(bad_files.sparse_xlsx(), "lits.xlsx")

    assert sheet.row_numbers == [3, 4, 6]
    assert sheet.rows == [["", "code_uf", "lits"], ["", "0412", "24"], ["", "0413", "10"]]


def test_first_visible_sheet_is_read_when_the_first_one_is_hidden() -> None:
    sheet = read_table(bad_files.hidden_first_sheet_xlsx(), "structure.xlsx")

    assert sheet.sheet_name == "Données"
    assert sheet.rows == [["code_uf"], ["0412"]]


def test_formula_with_cached_value_is_read_as_its_value() -> None:
    sheet = read_table(bad_files.formula_with_cached_value_xlsx(), "calcul.xlsx")

    assert sheet.rows[1] == ["2", "4", ""]


def test_error_cells_of_namespace_prefixed_sheets_are_kept() -> None:
    sheet = read_table(bad_files.prefixed_namespace_xlsx(), "export.xlsx")

    assert sheet.rows == [["code_uf", "valeur"], ["0412", "#DIV/0!"]]


def test_cells_without_references_are_placed_by_position() -> None:
    sheet = read_table(bad_files.cells_without_references_xlsx(), "export.xlsx")

    assert sheet.rows == [["code_uf", "valeur", "valeur"], ["1", "#N/A", "2"]]
    error = refusal(bad_files.cells_without_references_xlsx(formula_without_value=True))
    assert error.message.startswith("La cellule C2 contient une formule sans valeur calculée")


def test_xlsx_is_detected_by_content_whatever_its_extension() -> None:
    sheet = read_table(bad_files.leading_zero_codes_xlsx(), "export.csv")

    assert sheet.format == "xlsx"


def test_header_row_and_values_flow_from_file_to_domain_types() -> None:
    sheet = read_table(bad_files.sparse_xlsx(), "lits.xlsx")
    header = find_header_row(sheet.rows, HeaderMatcher({"code_uf": ["UF"], "lits": ["nombre de lits"]}))

    assert header.match.columns == {"code_uf": 1, "lits": 2}
    assert [sheet.rows[index][1] for index in range(header.index + 1, len(sheet.rows))] == ["0412", "0413"]


# --------------------------------------------------------------------------- XLSX refusals


def test_formula_without_cached_value_is_refused_naming_the_cell() -> None:
    error = refusal(bad_files.formula_without_value_openpyxl())

    assert isinstance(error, Unprocessable)
    assert error.message == (
        "La cellule C12 contient une formule sans valeur calculée : ouvrez le fichier dans Excel, "
        "enregistrez-le puis réimportez-le."
    )
    assert error.details[0]["cells"] == ["C12"]


def test_formula_cell_without_any_value_element_is_refused() -> None:
    error = refusal(bad_files.formula_without_value_element())

    assert error.message.startswith("La cellule C12 contient une formule sans valeur calculée")


def test_shared_formula_children_without_values_are_all_named() -> None:
    error = refusal(bad_files.shared_formula_children_without_values())

    assert error.message.startswith("Les cellules B3, B4 contiennent des formules sans valeur calculée")


def test_zip_bomb_is_refused_before_decompression(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_decompression(*_: object) -> None:
        raise AssertionError("the archive was decompressed")

    monkeypatch.setattr(zlib, "decompressobj", no_decompression)
    monkeypatch.setattr(zlib, "decompress", no_decompression)

    declared = refusal(bad_files.declared_zip_bomb())
    real = refusal(bad_files.zip_bomb(250))

    assert isinstance(declared, TooLarge)
    assert declared.message == (
        f"Le fichier Excel se décompresserait en 4{NBSP}000 Mo, au-delà de la limite de 2{NBSP}000 Mo : il n'a pas été ouvert."
    )
    assert isinstance(real, TooLarge)  # under the total limit, but compressed 1,011 times: a bomb
    assert "compressé 1" in real.message and "au-delà de la limite de 200 fois" in real.message


def test_member_compressed_beyond_the_ratio_limit_is_refused() -> None:
    error = refusal(bad_files.ratio_bomb_xlsx())

    assert isinstance(error, TooLarge)
    assert "(« xl/worksheets/sheet1.xml ») compressé 9" in error.message
    assert "au-delà de la limite de 200 fois" in error.message


def test_too_many_zip_members_are_refused_with_the_numbers() -> None:
    error = refusal(bad_files.many_members_zip(10_001))

    assert isinstance(error, TooLarge)
    assert error.message == (
        f"Le fichier Excel contient 10{NBSP}001 éléments compressés, au-delà de la limite de 10{NBSP}000 : il n'a pas été ouvert."
    )


def test_member_inflating_beyond_its_declared_size_is_refused() -> None:
    error = refusal(bad_files.lying_xlsx())

    assert "se décompresse au-delà de la taille annoncée" in error.message


@pytest.mark.parametrize(
    "part",
    ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "[Content_Types].xml", "docProps/core.xml"],
)
def test_external_entity_declared_in_any_xml_part_is_refused(part: str) -> None:
    error = refusal(bad_files.xxe_xlsx(part))

    assert isinstance(error, Unprocessable)
    assert f"contient une déclaration DOCTYPE ou ENTITY (élément « {part} »)" in error.message


def test_billion_laughs_in_shared_strings_is_refused() -> None:
    error = refusal(bad_files.billion_laughs_xlsx())

    assert "DOCTYPE ou ENTITY (élément « xl/sharedStrings.xml »)" in error.message


def test_doctype_in_a_utf16_part_is_refused_too() -> None:
    error = refusal(bad_files.utf16_doctype_xlsx())

    assert "DOCTYPE ou ENTITY" in error.message


def test_password_protected_workbook_is_refused() -> None:
    error = refusal(bad_files.encrypted_workbook(), "protege.xlsx")

    assert isinstance(error, Unprocessable)
    assert error.message.startswith("Le classeur « protege.xlsx » est protégé par un mot de passe")


@pytest.mark.parametrize("data", [bad_files.xls_biff(), bad_files.raw_biff5()], ids=["biff8", "biff5"])
def test_xls_file_is_refused_with_save_as_advice(data: bytes) -> None:
    error = refusal(data, "ancien.xls")

    assert "format Excel 97-2003 (.xls) non pris en charge, enregistrez en .xlsx ou .csv" in error.message


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (bad_files.pdf_renamed(), "est un document PDF"),
        (bad_files.png_renamed(), "est une image PNG"),
        (bad_files.html_disguised_as_xls(), "est une page HTML"),
        (bad_files.docx_renamed(), "est un document Word"),
        (bad_files.ods_file(), "est au format OpenDocument (.ods)"),
    ],
    ids=["pdf", "png", "html", "docx", "ods"],
)
def test_other_formats_renamed_xlsx_are_refused_by_content(data: bytes, what: str) -> None:
    error = refusal(data, "donnees.xlsx")

    assert isinstance(error, Unprocessable)
    assert error.message.startswith(f"Le fichier « donnees.xlsx » {what}")


def test_damaged_workbook_is_refused_without_a_traceback() -> None:
    error = refusal(bad_files.truncated_xlsx(), "coupe.xlsx")

    assert error.message.startswith("Le fichier « coupe.xlsx » est endommagé")


def test_randomly_corrupted_workbooks_never_raise_anything_but_a_domain_error() -> None:
    original = bad_files.leading_zero_codes_xlsx()
    generator = random.Random(20240305)
    for _ in range(60):
        data = bytearray(original)
        for _ in range(generator.randint(1, 8)):
            data[generator.randrange(len(data))] = generator.randrange(256)
        try:
            read_table(bytes(data), "abime.xlsx")
        except DomainError as error:
            assert error.message


@pytest.mark.parametrize(
    "data",
    [bad_files.empty_file(), bad_files.empty_sheet_xlsx(), bad_files.blank_csv()],
    ids=["empty-file", "empty-sheet", "blank-csv"],
)
def test_empty_file_is_refused(data: bytes) -> None:
    error = refusal(data)

    assert isinstance(error, Unprocessable)
    assert error.message == "Le fichier est vide."


def test_file_over_the_byte_limit_is_too_large() -> None:
    error = refusal(bad_files.tall_csv(100), "gros.csv", ReadLimits(max_bytes=200))

    assert isinstance(error, TooLarge)
    assert error.message.startswith("Le fichier « gros.csv » fait 0")
    assert ReadLimits().max_bytes == 250_000_000


def test_default_limits_are_the_documented_ones() -> None:
    limits = ReadLimits()

    assert (limits.max_uncompressed_bytes, limits.max_compression_ratio, limits.max_members) == (2_000_000_000, 200, 10_000)


def test_too_many_rows_are_refused() -> None:
    limits = ReadLimits(max_rows=5)

    assert "au plus 5 lignes" in refusal(bad_files.tall_csv(10), "long.csv", limits).message
    assert "au plus 5 lignes" in refusal(bad_files.xlsx([[index] for index in range(10)]), "long.xlsx", limits).message


def test_too_many_columns_are_refused() -> None:
    error = refusal(bad_files.too_wide_csv(1_001), "large.csv")

    assert isinstance(error, TooLarge)
    assert f"1{NBSP}001 colonnes" in error.message
    xlsx_error = refusal(bad_files.xlsx([list(range(12))]), "large.xlsx", ReadLimits(max_columns=10))
    assert "12 colonnes (jusqu'à la colonne L)" in xlsx_error.message


# --------------------------------------------------------------------------- CSV


def test_windows_1252_csv_keeps_its_accents() -> None:
    sheet = read_table(bad_files.windows_1252_csv(), "structure.csv")

    assert sheet.encoding == "windows-1252"
    assert sheet.rows[0] == ["code_uf", "libellé_uf", "quantité"]
    assert sheet.rows[2][1] == "Pédiatrie – Œdème"


def test_utf8_bom_csv_header_does_not_start_with_the_bom() -> None:
    sheet = read_table(bad_files.utf8_bom_csv(), "structure.csv")

    assert sheet.encoding == "utf-8"
    assert sheet.rows == [["code_uf", "libellé"], ["0412", "Médecine"]]


def test_comma_delimited_csv_keeps_quoted_decimal_comma_as_text() -> None:
    sheet = read_table(bad_files.comma_csv_with_quoted_decimal_comma(), "conso.csv")

    assert sheet.delimiter == ","
    assert sheet.rows[1] == ["0412", "12,5", "Amoxicilline, acide clavulanique"]
    assert parse_decimal(sheet.rows[2][1]) == parse_decimal("1234.75")


def test_tab_delimited_and_utf16_exports_are_read() -> None:
    assert read_table(bad_files.tab_csv(), "conso.txt").rows[1] == ["0412", "12,5"]
    unicode_text = read_table(bad_files.utf16_csv(), "conso.txt")
    assert (unicode_text.encoding, unicode_text.rows[1]) == ("utf-16", ["0412", "Médecine"])


def test_csv_row_numbers_count_records_blank_lines_included() -> None:
    sheet = read_table(bad_files.sparse_csv(), "structure.csv")

    assert sheet.row_numbers == [1, 3, 4]
    assert sheet.rows == [["code_uf", "commentaire"], ["0412", "sur deux\nlignes"], ["0413", "simple"]]


def test_csv_is_detected_by_content_whatever_its_extension() -> None:
    sheet = read_table(bad_files.windows_1252_csv(), "structure.xlsx")

    assert (sheet.format, sheet.rows[1][0]) == ("csv", "0412")


def test_csv_whose_header_starts_like_an_image_signature_is_still_csv() -> None:
    sheet = read_table(b"BMR;code_uf\noui;0412\n", "bmr.csv")

    assert sheet.rows == [["BMR", "code_uf"], ["oui", "0412"]]


def test_csv_rows_are_padded_to_the_same_width() -> None:
    sheet = read_table(b"a;b;c\n1\n2;3\n", "court.csv")

    assert sheet.rows == [["a", "b", "c"], ["1", "", ""], ["2", "3", ""]]


def test_csv_invalid_in_both_encodings_is_refused_with_its_line() -> None:
    error = refusal(bad_files.csv_invalid_in_both_encodings(), "labo.csv")

    assert isinstance(error, Unprocessable)
    assert error.message.startswith(
        "Le fichier CSV « labo.csv » n'est ni en UTF-8 ni en Windows-1252 (octet 0x81 illisible à la ligne 3)"
    )


def test_csv_with_an_unclosed_quote_is_refused_rather_than_swallowing_rows() -> None:
    error = refusal(bad_files.csv_unclosed_quote(), "labo.csv")

    assert "mal formé à partir de la ligne 2 (un guillemet ouvert n'est jamais refermé)" in error.message


def test_sheet_is_a_plain_value() -> None:
    assert read_table(b"a\n1\n", "x.csv") == Sheet([["a"], ["1"]], [1, 2], False, "csv", encoding="utf-8", delimiter=";")


def test_a_csv_whose_lines_mix_separators_is_refused_with_the_odd_lines_listed():
    lines = ["code_uf;id_patient;age;espece;AMX", "0412;P1;67;E. coli;R", "0412,P2,54,E. coli,S", "0412;P3;71;S. aureus;S"]
    with pytest.raises(Unprocessable) as refused:
        read_table("\n".join(lines).encode(), "atb.csv")
    assert refused.value.details[0]["problem"] == "csv.columns"
    assert refused.value.details[0]["lines"] == [3]
    assert "n° 3" in refused.value.message and "séparateur" in refused.value.message


def test_a_csv_line_with_a_field_beyond_the_others_is_refused():
    lines = ["code_uf;lits", "0412;28", "1204;30;oops"]
    with pytest.raises(Unprocessable, match="n° 3"):
        read_table("\n".join(lines).encode(), "lits.csv")


def test_a_title_line_trimmed_trailing_cells_and_decimal_commas_are_not_odd():
    lines = ["Export pharmacie", "code_uf;code_ucd;libelle;quantite;periode", "0412;9000001;AMOXICILLINE, GELULE;12,5;2025-T1",
             "0412;9000002;;3", "0413;9000003;x;1,5;2025-T1;"]  # fmt: skip
    sheet = read_table("\n".join(lines).encode(), "conso.csv")
    assert len(sheet.rows) == 5
