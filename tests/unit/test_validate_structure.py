"""Validation of a structure file, row by row, in French (DOMAIN.md §4, §4.1)."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.files.structure import StructureContext, validate
from chalicelib.domain.imports import Severity

HEADER = ["code_uf", "libelle_uf", "code_ta", "code_de", "secteur", "specialite", "date_debut", "date_fin"]


def check(*rows: list[str], header: list[str] | None = None, context: StructureContext | None = None):
    table = [header or HEADER, *rows]
    return validate(table, list(range(1, len(table) + 1)), context)


def codes(parsed) -> list[str]:
    return [p.code for p in parsed.report.problems]


def test_a_clean_structure_gives_one_unit_per_row():
    parsed = check(
        ["1204", "Médecine interne", "03", "38", "", "", "", ""],
        ["0800", "Bloc central", "08", "137", "", "", "", ""],
        ["1301", "Chirurgie viscérale", "03", "137", "", "", "", ""],
    )
    assert parsed.accepted and parsed.report.problems == []
    assert [u.code_uf for u in parsed.rows] == ["1204", "0800", "1301"]
    assert parsed.rows[0].sector == "MED"
    assert parsed.report.rows_read == parsed.report.rows_accepted == 3
    assert parsed.report.summary["theatres"] == {"0800": "1301"}
    assert parsed.report.summary["by_sector"] == {"CHIR": 2, "MED": 1}


def test_leading_zeros_of_uf_codes_are_kept():
    parsed = check(["0412", "Cardiologie", "3", "038", "", "", "", ""])
    assert parsed.rows[0].code_uf == "0412"
    assert parsed.rows[0].code_ta == "03" and parsed.rows[0].code_de == "38"


def test_headers_are_matched_leniently():
    header = ["Code UF", "Libellé", "Type d'activité", "Discipline", "Pôle", "Libellé pôle", "Secteur"]
    parsed = check(["1204", "Médecine", "03", "38", "P1", "Pôle médecine", ""], header=header)
    assert parsed.accepted
    assert parsed.rows[0].code_pole == "P1" and parsed.rows[0].libelle_pole == "Pôle médecine"


def test_a_missing_required_column_is_an_error_naming_it():
    parsed = check(["1204", "Médecine", "03"], header=["code_uf", "libelle_uf", "code_ta"])
    assert not parsed.accepted and parsed.rows == []
    [problem] = parsed.report.errors
    assert problem.code == "column.missing" and problem.column == "code_de"
    assert "Colonne obligatoire absente : « code_de »" in problem.message


def test_an_unknown_column_is_a_warning_and_is_ignored():
    parsed = check(["1204", "Médecine", "03", "38", "rouge"], header=["code_uf", "libelle_uf", "code_ta", "code_de", "couleur"])
    assert parsed.accepted
    [warning] = parsed.report.warnings
    assert warning.code == "column.unknown" and warning.column == "couleur" and warning.row == 1


def test_the_same_uf_twice_is_an_error_naming_the_first_row():
    parsed = check(["1204", "Médecine", "03", "38", "", "", "", ""], ["1204", "Médecine bis", "03", "38", "", "", "", ""])
    [problem] = parsed.report.errors
    assert (problem.code, problem.row, problem.value) == ("uf.duplicate", 3, "1204")
    assert "ligne 2" in problem.message


def test_de_999_requires_an_explicit_sector():
    parsed = check(["1204", "Unité polyvalente", "03", "999", "", "", "", ""])
    [problem] = parsed.report.errors
    assert (problem.code, problem.column, problem.value) == ("sector.required", "secteur", "")


def test_an_explicit_sector_wins_over_the_de():
    parsed = check(
        ["1204", "Unité polyvalente", "03", "999", "PED", "", "", ""], ["1205", "Soins continus", "03", "38", "rea", "", "", ""]
    )
    assert [(u.sector, u.sector_override) for u in parsed.rows] == [("PED", "PED"), ("REA", "REA")]


def test_unknown_ta_de_and_sector_are_errors():
    parsed = check(
        ["1204", "Médecine", "55", "38", "", "", "", ""],
        ["1205", "Médecine", "03", "12345", "", "", "", ""],
        ["1206", "Médecine", "03", "38", "CARDIO", "", "", ""],
    )
    assert [(p.code, p.row, p.column, p.value) for p in parsed.report.errors] == [
        ("ta.unknown", 2, "code_ta", "55"),
        ("de.unknown", 3, "code_de", "12345"),
        ("sector.invalid", 4, "secteur", "CARDIO"),
    ]


def test_a_unit_of_a_non_care_sector_is_accepted_and_listed_as_excluded():
    parsed = check(["1204", "UHCD", "03", "211", "", "", "", ""], ["0700", "Consultations", "07", "38", "", "", "", ""])
    assert parsed.accepted
    assert parsed.report.summary["excluded"] == ["1204", "0700"]


def test_specialty_is_read_without_accents_or_case():
    parsed = check(
        ["1204", "Hématologie", "03", "38", "", "HEMATOLOGIE", "", ""], ["1205", "Médecine", "03", "38", "", "cardio", "", ""]
    )
    assert [(p.code, p.row) for p in parsed.report.errors] == [("specialty.invalid", 3)]


def test_dates_are_read_and_must_be_in_order():
    parsed = check(["1204", "Médecine", "03", "38", "", "", "01/01/2020", "45658"])
    assert parsed.rows[0].start == date(2020, 1, 1) and parsed.rows[0].end == date(2025, 1, 1)
    parsed = check(
        ["1204", "Médecine", "03", "38", "", "", "31/12/2025", "01/01/2025"],
        ["1205", "Médecine", "03", "38", "", "", "31/02/2025", ""],
    )
    assert [(p.code, p.row, p.column) for p in parsed.report.errors] == [
        ("dates.order", 2, "date_fin"),
        ("date.impossible", 3, "date_debut"),
    ]


def test_excel_1904_serials_follow_the_workbook():
    parsed = check(["1204", "Médecine", "03", "38", "", "", "1", ""], context=StructureContext(date1904=True))
    assert parsed.rows[0].start == date(1904, 1, 2)


def test_all_problems_are_reported_not_only_the_first():
    parsed = check(["", "", "", "", "MED", "", "", ""], ["1205", "", "99", "", "", "", "", ""])
    assert codes(parsed) == [
        "uf.missing",
        "libelle.missing",
        "ta.missing",
        "de.missing",
        "libelle.missing",
        "ta.unknown",
        "de.missing",
    ]
    assert [p.row for p in parsed.report.problems] == [2, 2, 2, 2, 3, 3, 3]


def test_a_rejected_file_hands_no_rows():
    parsed = check(["1204", "Médecine", "03", "38", "", "", "", ""], ["1205", "Médecine", "03", "999", "", "", "", ""])
    assert not parsed.accepted
    assert parsed.rows == [] and parsed.report.rows_accepted == 0 and parsed.report.rows_read == 2


def test_every_problem_names_row_column_and_value():
    parsed = check(["", "Médecine", "55", "999", "", "oncologie pédiatrique", "32/01/2025", "", ""], header=[*HEADER, "notes"])
    assert codes(parsed) == [
        "column.unknown",
        "uf.missing",
        "ta.unknown",
        "sector.required",
        "specialty.invalid",
        "date.impossible",
    ]
    for problem in parsed.report.problems:
        assert problem.row is not None and problem.column and problem.value is not None
        assert problem.message and problem.code


def test_the_file_own_header_text_names_the_column():
    parsed = check(["1204", "Médecine", "55", "38"], header=["Code UF", "Libellé UF", "Type d'activité", "DE"])
    [problem] = parsed.report.errors
    assert problem.column == "Type d'activité"


def test_the_first_non_empty_row_is_the_header():
    table = [["", ""], ["code_uf", "libelle_uf", "code_ta", "code_de"], ["  ", ""], ["1204", "Médecine", "03", "38"]]
    parsed = validate(table, [1, 2, 3, 4])
    assert parsed.accepted and parsed.report.rows_read == 1


def test_a_title_line_above_the_headers_is_explained():
    table = [["Structure 2025"], ["code_uf", "libelle_uf", "code_ta", "code_de"], ["1204", "Médecine", "03", "38"]]
    parsed = validate(table, [1, 2, 3])
    assert not parsed.accepted
    assert all("ligne 2" in p.message for p in parsed.report.errors if p.code == "column.missing")


def test_an_empty_file_is_one_problem():
    parsed = validate([["", " "]], [1])
    assert [(p.code, p.severity) for p in parsed.report.problems] == [("file.empty", Severity.ERROR)]
