"""Validation of a patient-days file (DOMAIN.md §3, §4, §4.3)."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.files.patient_days import PatientDaysContext, PatientDaysRow, validate
from chalicelib.domain.periods import Period, Periodicity
from chalicelib.domain.structure import Unit
from tests.support.structure import CARDIOLOGY, CONSULTATIONS, THEATRE, WEEK_MEDICINE, by_code

Q1 = Period(2025, 1)  # 90 days
UNITS = by_code(
    CARDIOLOGY,
    WEEK_MEDICINE,
    THEATRE,
    CONSULTATIONS,
    Unit.create("0301", "UHCD", "03", "211"),
    Unit.create("1500", "Médecine fermée", "03", "38", end=date(2024, 6, 30)),
    Unit.create("2000", "UF bébés", "97", "163"),
)
CONTEXT = PatientDaysContext(period=Q1, units=UNITS, beds={"0412": 10}, periodicity=Periodicity.QUARTER)
HEADER = ["code_uf", "periode", "journees", "entrees"]


def check(*rows: list[str], header: list[str] | None = None, context: PatientDaysContext = CONTEXT):
    table = [header or HEADER, *rows]
    return validate(table, list(range(1, len(table) + 1)), context)


def test_patient_days_are_read_per_uf_for_the_period():
    parsed = check(["0412", "2025-T1", "850", "120"], ["1204", "2025-T1", "400", ""])
    assert parsed.accepted and parsed.report.problems == []
    assert parsed.rows == [PatientDaysRow("0412", Q1, 850, 120, 2), PatientDaysRow("1204", Q1, 400, None, 3)]
    assert parsed.report.summary == {"patient_days_total": 1250, "by_uf": {"0412": 850, "1204": 400}, "periods": ["2025-T1"]}


def test_headers_and_periods_are_read_leniently():
    parsed = check(["0412", "2025 T1", "1 250", "12"], header=["UF", "Période", "JH", "Admissions"])
    assert parsed.accepted and parsed.rows[0].patient_days == 1250


def test_a_row_of_another_year_is_an_error():
    parsed = check(["0412", "2024-T1", "850", ""], ["1204", "2026", "400", ""])
    assert [(p.code, p.row, p.column, p.value) for p in parsed.report.errors] == [
        ("period.mismatch", 2, "periode", "2024-T1"),
        ("period.mismatch", 3, "periode", "2026"),
    ]
    assert "2025-T1" in parsed.report.errors[0].message


def test_rows_of_other_quarters_in_a_quarter_file_are_one_file_error_saying_to_declare_the_year():
    parsed = check(["0412", "2025-T1", "850", ""], ["0412", "2025-T2", "850", ""], ["1204", "2025-T3", "400", ""])
    [problem] = parsed.report.errors
    assert (problem.code, problem.row) == ("period.not_in_file", None)
    assert "2025-T2, 2025-T3" in problem.message and "déclarez le fichier pour l'année 2025" in problem.message


def test_a_quarter_file_of_a_yearly_establishment_is_refused():
    context = PatientDaysContext(period=Q1, units=UNITS, periodicity=Periodicity.YEAR)
    parsed = check(["0412", "2025-T1", "850", ""], context=context)
    [problem] = parsed.report.errors
    assert problem.code == "period.periodicity" and problem.row is None and "annuelle" in problem.message


def test_a_year_file_of_a_quarterly_establishment_holds_its_quarters_and_each_row_keeps_its_own():
    context = PatientDaysContext(period=Period(2025), units=UNITS, beds={"0412": 10}, periodicity=Periodicity.QUARTER)
    parsed = check(*[["0412", f"2025-T{q}", "900", ""] for q in (1, 2, 3, 4)], context=context)
    assert parsed.accepted and parsed.report.errors == []
    assert [str(r.period) for r in parsed.rows] == ["2025-T1", "2025-T2", "2025-T3", "2025-T4"]
    assert parsed.report.summary["periods"] == ["2025-T1", "2025-T2", "2025-T3", "2025-T4"]


def test_the_beds_check_of_a_quarter_row_counts_the_days_of_its_quarter():
    # 10 beds × 90 days × 1.1 = 990 in 2025-T1, whichever period the file was declared for.
    context = PatientDaysContext(period=Period(2025), units=UNITS, beds={"0412": 10}, periodicity=Periodicity.QUARTER)
    parsed = check(["0412", "2025-T1", "991", ""], context=context)
    assert [w.code for w in parsed.report.warnings] == ["patient_days.above_beds"]


def test_a_year_row_in_a_quarterly_establishment_is_one_file_error_asking_for_the_quarter():
    context = PatientDaysContext(period=Period(2025), units=UNITS, periodicity=Periodicity.QUARTER)
    parsed = check(["0412", "2025", "3400", ""], ["1204", "2025", "3400", ""], context=context)
    [problem] = parsed.report.errors
    assert problem.code == "period.not_in_file" and problem.row is None
    assert "trimestrielle" in problem.message and "2 ligne(s)" in problem.message


def test_quarters_in_a_yearly_establishment_file_are_one_file_error_saying_exactly_what_to_do():
    context = PatientDaysContext(period=Period(2025), units=UNITS, periodicity=Periodicity.YEAR)
    parsed = check(*[["0412", f"2025-T{q}", "900", ""] for q in (1, 2, 3, 4)], context=context)
    [problem] = parsed.report.errors
    assert problem.code == "period.not_in_file" and problem.row is None
    assert "les trimestres 2025-T1 à 2025-T4 (4 ligne(s))" in problem.message and "annuelle" in problem.message
    assert "indiquez 2025 comme période de chaque ligne" in problem.message


def test_without_a_chosen_periodicity_a_year_file_may_hold_quarters_but_not_quarters_and_the_year():
    context = PatientDaysContext(period=Period(2025), units=UNITS)
    assert check(["0412", "2025-T1", "900", ""], ["0412", "2025-T2", "900", ""], context=context).accepted
    parsed = check(["0412", "2025-T1", "900", ""], ["1204", "2025", "900", ""], context=context)
    [problem] = parsed.report.errors
    assert problem.code == "period.mixed" and "mélange" in problem.message


def test_without_a_chosen_periodicity_a_yearly_file_is_accepted():
    context = PatientDaysContext(period=Period(2025), units=UNITS)
    assert check(["0412", "2025", "3400", ""], context=context).accepted


def test_patient_days_above_beds_times_days_is_a_warning():
    # 10 beds × 90 days = 900; the tolerance is 10 %: 990 passes, 991 is a warning.
    assert check(["0412", "2025-T1", "990", ""]).report.warnings == []
    parsed = check(["0412", "2025-T1", "991", ""])
    assert parsed.accepted
    [warning] = parsed.report.warnings
    assert (warning.code, warning.column, warning.value) == ("patient_days.above_beds", "journees", "991")
    assert "10 lits" in warning.message and "110 %" in warning.message


def test_without_beds_the_occupancy_is_not_checked():
    assert check(["1204", "2025-T1", "99999", ""]).report.warnings == []


def test_a_uf_absent_from_the_structure_is_an_error():
    parsed = check(["9999", "2025-T1", "10", ""])
    assert [p.code for p in parsed.report.errors] == ["uf.unknown"]


def test_a_theatre_with_patient_days_is_an_error():
    parsed = check(["0800", "2025-T1", "0", ""])
    [problem] = parsed.report.errors
    assert problem.code == "uf.not_eligible" and "bloc opératoire" in problem.message


def test_a_theatre_row_left_empty_is_ignored_with_a_warning():
    parsed = check(["0800", "2025-T1", "", ""], ["0412", "2025-T1", "500", ""])
    assert parsed.accepted
    assert [r.uf for r in parsed.rows] == ["0412"]
    assert [w.code for w in parsed.report.warnings] == ["uf.not_eligible"]


def test_a_uf_not_eligible_for_patient_days_is_an_error():
    parsed = check(["0700", "2025-T1", "10", ""], ["0301", "2025-T1", "10", ""])
    assert [(p.code, p.value) for p in parsed.report.errors] == [("uf.not_eligible", "0700"), ("uf.not_eligible", "0301")]
    assert "TA 07" in parsed.report.errors[0].message and "URG" in parsed.report.errors[1].message


def test_a_uf_closed_before_the_period_is_a_warning():
    parsed = check(["1500", "2025-T1", "10", ""])
    assert parsed.accepted and [w.code for w in parsed.report.warnings] == ["uf.closed"]


def test_patient_days_are_whole_numbers_not_below_zero():
    parsed = check(["0412", "2025-T1", "-5", ""], ["1204", "2025-T1", "12,5", "-1"], ["2000", "2025-T1", "", "x"])
    assert [(p.code, p.row) for p in parsed.report.errors] == [
        ("patient_days.negative", 2),
        ("patient_days.invalid", 3),
        ("admissions.negative", 3),
        ("patient_days.missing", 4),
        ("admissions.invalid", 4),
    ]


def test_the_same_uf_and_period_twice_is_an_error_not_a_sum():
    parsed = check(["0412", "2025-T1", "500", ""], ["0412", "2025-T1", "300", ""])
    [problem] = parsed.report.errors
    assert (problem.code, problem.row) == ("uf.duplicate", 3) and "ligne 2" in problem.message
    assert parsed.rows == []


def test_leading_zeros_of_uf_codes_are_kept():
    parsed = check(["412", "2025-T1", "10", ""])
    [problem] = parsed.report.errors
    assert problem.value == "412" and "« 0412 »" in problem.message


def test_a_missing_required_column_is_an_error_naming_it():
    parsed = check(["0412", "2025-T1"], header=["code_uf", "periode"])
    [problem] = parsed.report.errors
    assert problem.code == "column.missing" and problem.column == "journees"
    assert "journees" in problem.message and "jh" in problem.message


def test_every_problem_names_row_column_and_value():
    parsed = check(
        ["", "T1", "-1", "x"], ["0800", "2025-T1", "3", ""], ["0412", "2025-T1", "5000", ""], header=[*HEADER, "remarque"]
    )
    assert len(parsed.report.problems) >= 6
    for problem in parsed.report.problems:
        assert problem.row is not None and problem.column and problem.value is not None
