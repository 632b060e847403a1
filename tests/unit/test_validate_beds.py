"""Validation of a beds file (DOMAIN.md §4.2)."""

from __future__ import annotations

from chalicelib.domain.files.beds import BedsContext, BedsRow, validate
from chalicelib.domain.structure import Unit
from tests.support.structure import CARDIOLOGY, THEATRE, by_code

UNITS = by_code(CARDIOLOGY, Unit.create("1204", "Médecine interne", "03", "38"), THEATRE)
CONTEXT = BedsContext(year=2025, units=UNITS)


def check(*rows: list[str], header: list[str] | None = None, context: BedsContext = CONTEXT):
    table = [header or ["code_uf", "annee", "lits"], *rows]
    return validate(table, list(range(1, len(table) + 1)), context)


def test_beds_are_read_per_uf_for_the_year():
    parsed = check(["0412", "2025", "28"], ["1204", "2025", "30"])
    assert parsed.accepted
    assert parsed.rows == [BedsRow("0412", 2025, 28, 2), BedsRow("1204", 2025, 30, 3)]
    assert parsed.report.summary == {"beds_total": 58, "units": 2}


def test_headers_are_matched_leniently():
    parsed = check(["0412", "2025", "28"], header=["UF", "Année", "Nombre de lits"])
    assert parsed.accepted and parsed.rows[0].beds == 28


def test_the_year_must_be_the_upload_year():
    parsed = check(["0412", "2024", "28"])
    [problem] = parsed.report.errors
    assert (problem.code, problem.row, problem.column, problem.value) == ("year.mismatch", 2, "annee", "2024")
    assert "2025" in problem.message


def test_beds_are_a_whole_number_not_below_zero():
    parsed = check(["0412", "2025", "-1"], ["1204", "2025", "12,5"], ["0412", "2025", ""])
    assert [(p.code, p.row) for p in parsed.report.errors] == [
        ("beds.negative", 2),
        ("beds.invalid", 3),
        ("uf.duplicate", 4),
        ("beds.missing", 4),
    ]


def test_a_uf_absent_from_the_structure_is_an_error():
    parsed = check(["412", "2025", "28"])
    [problem] = parsed.report.errors
    assert problem.code == "uf.unknown" and problem.value == "412"
    assert "0412" in problem.message  # the leading zero a spreadsheet dropped


def test_beds_of_a_theatre_are_a_warning():
    parsed = check(["0800", "2025", "4"])
    assert parsed.accepted
    [warning] = parsed.report.warnings
    assert warning.code == "uf.not_eligible" and "bloc" in warning.message


def test_the_same_uf_twice_is_an_error():
    parsed = check(["0412", "2025", "28"], ["0412", "2025", "30"])
    [problem] = parsed.report.errors
    assert problem.code == "uf.duplicate" and problem.row == 3 and "ligne 2" in problem.message
    assert parsed.rows == []


def test_every_problem_names_row_column_and_value():
    parsed = check(["9999", "20x5", "abc"], ["", "", ""], ["0412", "2025", "1"])
    assert parsed.report.errors
    for problem in parsed.report.problems:
        assert problem.row is not None and problem.column and problem.value is not None
