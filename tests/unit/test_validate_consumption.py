"""Validation of a consumption file and its DDD (DOMAIN.md §4, §4.4)."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain.drugs import (
    AtcCode,
    CatalogueEntry,
    DddTable,
    Route,
    Ucd,
    ddd_of_line,
    default_ddd_table,
    demo_catalogue,
)
from chalicelib.domain.drugs import (
    Unit as DoseUnit,
)
from chalicelib.domain.files.consumption import ConsumptionContext, ConsumptionLine, validate
from chalicelib.domain.periods import Period, Periodicity
from tests.support.structure import CARDIOLOGY, CONSULTATIONS, THEATRE, VISCERAL_SURGERY, by_code

Q1 = Period(2025, 1)
AMOXICILLIN_500_ORAL = "0900001"  # 0.5 g per unit; WHO DDD 1.5 g oral
FLUCONAZOLE_200_ORAL = "0900164"  # 0.2 g per unit; WHO DDD 0.2 g oral
TOBRAMYCIN_INHALED = "0900084"
PARACETAMOL = "0999001"  # not an antibiotic: out of scope
MYSTERY_ANTIBIOTIC = "0999002"  # an antibiotic the WHO table has no DDD for

UNITS = by_code(CARDIOLOGY, VISCERAL_SURGERY, THEATRE, CONSULTATIONS)


def tablet(ucd: str, label: str, substance: str, atc: str) -> CatalogueEntry:
    """A 1 g oral tablet of the catalogue."""
    return CatalogueEntry(
        ucd=Ucd(ucd),
        label=label,
        substance=substance,
        atc=AtcCode(atc),
        route=Route.ORAL,
        strength=Decimal(1),
        strength_unit=DoseUnit.G,
        form="comprimé",
    )


EXTRA = {
    PARACETAMOL: tablet(PARACETAMOL, "Paracétamol 1 g, comprimé", "paracetamol", "N02BE01"),
    MYSTERY_ANTIBIOTIC: tablet(MYSTERY_ANTIBIOTIC, "Antibiotique sans DDJ", "mystery", "J01XX99"),
}


def lookup(ucd: Ucd) -> CatalogueEntry | None:
    return EXTRA.get(ucd.value) or demo_catalogue().get(ucd)


def context(**changes: object) -> ConsumptionContext:
    values: dict[str, object] = {
        "period": Q1,
        "units": UNITS,
        "catalogue": lookup,
        "ddd_table": default_ddd_table(),
        "periodicity": Periodicity.QUARTER,
    }
    values.update(changes)
    return ConsumptionContext(**values)  # type: ignore[arg-type]


HEADER = ["code_uf", "code_ucd", "libelle", "quantite", "periode"]


def check(*rows: list[str], header: list[str] | None = None, ctx: ConsumptionContext | None = None):
    table = [header or HEADER, *rows]
    return validate(table, list(range(1, len(table) + 1)), ctx or context())


def row(uf: str, ucd: str, quantity: str, period: str = "2025-T1") -> list[str]:
    return [uf, ucd, "", quantity, period]


def test_a_line_carries_its_ddd_family_and_scope():
    parsed = check(row("0412", AMOXICILLIN_500_ORAL, "3"))
    assert parsed.accepted and parsed.report.problems == []
    [line] = parsed.rows
    assert line == ConsumptionLine(
        uf="0412",
        ucd=AMOXICILLIN_500_ORAL,
        atc="J01CA04",
        route="O",
        quantity=Decimal(3),
        ddd=Decimal(1),  # 3 × 0.5 g ÷ 1.5 g
        period=Q1,
        family="PENICILLINS",
        scope="antibiotic",
        ddd_version=2024,
        label="Amoxicilline 500 mg, gélule",
        counted=True,
        row=2,
    )


def test_the_ddd_of_every_line_is_that_of_ddd_of_line():
    ucds = [e.ucd.value for e in demo_catalogue().entries]
    parsed = check(*(row("0412", ucd, f"{n},7") for n, ucd in enumerate(ucds, start=1)))
    assert len(parsed.rows) == len(ucds)
    for line in parsed.rows:
        entry = demo_catalogue().get(line.ucd)
        assert entry is not None
        assert line.ddd == ddd_of_line(line.quantity, entry, default_ddd_table(), 2025).ddd


def test_a_13_digit_ucd_names_the_same_product_as_its_7_digits():
    thirteen = Ucd(AMOXICILLIN_500_ORAL).ucd13
    parsed = check(row("0412", thirteen, "3"), row("0412", AMOXICILLIN_500_ORAL, "3"))
    [line] = parsed.rows
    assert line.ucd == AMOXICILLIN_500_ORAL and line.quantity == 6 and line.rows == 2


def test_a_malformed_ucd_is_an_error():
    parsed = check(row("0412", "3400890000015", "3"), row("0412", "900001", "3"), row("0412", "", "3"))
    assert [(p.code, p.row, p.column, p.value) for p in parsed.report.errors] == [
        ("ucd.invalid", 2, "code_ucd", "3400890000015"),
        ("ucd.invalid", 3, "code_ucd", "900001"),
        ("ucd.missing", 4, "code_ucd", ""),
    ]
    assert "« 0900001 »" in parsed.report.errors[1].message  # the leading zero a spreadsheet dropped


def test_an_unknown_ucd_blocks_the_file_and_is_listed():
    parsed = check(
        row("0412", "0912345", "3"),
        row("1204", "0912345", "1"),
        row("0412", "0000001", "2"),
        row("0412", AMOXICILLIN_500_ORAL, "3"),
    )
    assert not parsed.accepted and parsed.rows == []
    assert [(p.code, p.row) for p in parsed.report.errors] == [("ucd.unknown", 2), ("ucd.unknown", 3), ("ucd.unknown", 4)]
    assert "0912345" in parsed.report.errors[0].message
    assert parsed.report.summary["unknown_ucds"] == ["0000001", "0912345"]


def test_quantities_accept_a_comma_or_a_point():
    parsed = check(row("0412", AMOXICILLIN_500_ORAL, "1,5"), row("1204", AMOXICILLIN_500_ORAL, "1.5"))
    assert [line.quantity for line in parsed.rows] == [Decimal("1.5"), Decimal("1.5")]


def test_a_quantity_that_is_not_a_number_is_an_error():
    parsed = check(row("0412", AMOXICILLIN_500_ORAL, "trois"), row("1204", AMOXICILLIN_500_ORAL, ""))
    assert [(p.code, p.column, p.value) for p in parsed.report.errors] == [
        ("quantity.invalid", "quantite", "trois"),
        ("quantity.missing", "quantite", ""),
    ]


def test_rows_of_the_same_uf_ucd_and_period_are_summed_into_the_net_quantity():
    parsed = check(
        row("0412", AMOXICILLIN_500_ORAL, "10"), row("1204", AMOXICILLIN_500_ORAL, "4"), row("0412", AMOXICILLIN_500_ORAL, "-4")
    )
    assert parsed.accepted
    assert [(line.uf, line.quantity, line.rows, line.row) for line in parsed.rows] == [("0412", 6, 2, 2), ("1204", 4, 1, 3)]
    assert parsed.report.warnings == []
    assert parsed.report.summary["merged_rows"] == 1


def test_a_negative_net_quantity_is_a_warning():
    parsed = check(row("0412", AMOXICILLIN_500_ORAL, "-3"))
    assert parsed.accepted
    [warning] = parsed.report.warnings
    assert (warning.code, warning.column, warning.value) == ("quantity.negative", "quantite", "-3")
    assert parsed.rows[0].ddd == Decimal(-1)


def test_an_out_of_scope_atc_is_counted_and_reported_not_dropped():
    parsed = check(row("0412", PARACETAMOL, "100"), row("0412", AMOXICILLIN_500_ORAL, "3"))
    assert parsed.accepted
    [warning] = parsed.report.warnings
    assert warning.code == "atc.out_of_scope" and warning.row == 2 and "Paracétamol" in warning.message
    paracetamol = parsed.rows[0]
    assert paracetamol.scope == "out_of_scope" and not paracetamol.counted and paracetamol.family is None
    assert parsed.report.summary["out_of_scope"] == 1
    assert parsed.report.summary["ddd_total"] == 1.0


def test_an_inhaled_form_is_kept_but_not_counted():
    parsed = check(row("0412", TOBRAMYCIN_INHALED, "28"))
    assert parsed.accepted
    assert [w.code for w in parsed.report.warnings] == ["route.not_systemic"]
    assert not parsed.rows[0].counted
    assert parsed.report.summary["ddd_total"] == 0 and parsed.report.summary["not_systemic"] == 1


def test_a_counted_product_without_a_who_ddd_is_an_error():
    parsed = check(row("0412", MYSTERY_ANTIBIOTIC, "3"))
    [problem] = parsed.report.errors
    assert problem.code == "ddd.missing" and "J01XX99" in problem.message


def test_antifungals_are_a_second_scope():
    parsed = check(row("0412", FLUCONAZOLE_200_ORAL, "7"), row("0412", AMOXICILLIN_500_ORAL, "3"))
    assert parsed.rows[0].scope == "antifungal" and parsed.rows[0].family == "TRIAZOLES"
    assert parsed.report.summary["ddd_by_scope"] == {"antibiotic": 1.0, "antifungal": 7.0}


def test_the_summary_gives_ddd_total_and_by_atc_rounded_for_display():
    parsed = check(
        row("0412", AMOXICILLIN_500_ORAL, "1"), row("1204", AMOXICILLIN_500_ORAL, "1"), row("0800", FLUCONAZOLE_200_ORAL, "1")
    )
    summary = parsed.report.summary
    assert summary["ddd_by_atc"] == {"J01CA04": 0.667, "J02AC01": 1.0}
    assert summary["ddd_total"] == 1.667
    assert summary["out_of_scope"] == 0 and summary["unknown_ucds"] == []
    assert parsed.rows[0].ddd == Decimal(1) / Decimal(3)  # rows keep the exact Decimal


def test_the_who_table_of_the_data_year_is_used():
    rows = [
        {"version": "2024", "atc_code": "J01CA04", "substance": "amoxicillin", "route": "O", "ddd_value": "1", "ddd_unit": "g"},
        {"version": "2025", "atc_code": "J01CA04", "substance": "amoxicillin", "route": "O", "ddd_value": "1.5", "ddd_unit": "g"},
    ]
    table = DddTable.from_rows(rows)
    [line_2025] = check(row("0412", AMOXICILLIN_500_ORAL, "3"), ctx=context(ddd_table=table)).rows
    assert (line_2025.ddd, line_2025.ddd_version) == (Decimal(1), 2025)
    [line_2024] = check(row("0412", AMOXICILLIN_500_ORAL, "3"), ctx=context(ddd_table=table, year=2024)).rows
    assert (line_2024.ddd, line_2024.ddd_version) == (Decimal("1.5"), 2024)


def test_a_theatre_carries_consumption():
    parsed = check(row("0800", AMOXICILLIN_500_ORAL, "3"))
    assert parsed.accepted and parsed.report.problems == [] and parsed.rows[0].counted


def test_consumption_of_an_excluded_uf_is_a_warning_and_not_counted():
    parsed = check(row("0700", AMOXICILLIN_500_ORAL, "3"), row("0700", AMOXICILLIN_500_ORAL, "3"))
    assert parsed.accepted
    assert [w.code for w in parsed.report.warnings] == ["uf.not_eligible", "uf.not_eligible"]
    assert not parsed.rows[0].counted
    assert parsed.report.summary["ddd_total"] == 0 and parsed.report.summary["not_counted_uf"] == 2


def test_a_uf_absent_from_the_structure_is_an_error():
    parsed = check(row("412", AMOXICILLIN_500_ORAL, "3"), row("", AMOXICILLIN_500_ORAL, "3"))
    assert [(p.code, p.value) for p in parsed.report.errors] == [("uf.unknown", "412"), ("uf.missing", "")]
    assert "« 0412 »" in parsed.report.errors[0].message


def test_a_row_of_another_year_or_without_a_valid_period_is_an_error():
    parsed = check(
        row("0412", AMOXICILLIN_500_ORAL, "3", "2024-T2"),
        row("0412", AMOXICILLIN_500_ORAL, "3", "T2"),
        row("0412", AMOXICILLIN_500_ORAL, "3", ""),
    )
    assert [(p.code, p.row, p.value) for p in parsed.report.errors] == [
        ("period.mismatch", 2, "2024-T2"),
        ("period.invalid", 3, "T2"),
        ("period.missing", 4, ""),
    ]


def test_rows_of_other_quarters_in_a_quarter_file_are_one_file_error_not_one_per_row():
    parsed = check(*[row("0412", AMOXICILLIN_500_ORAL, "3", f"2025-T{q}") for q in (1, 2, 2, 3, 4)])
    [problem] = parsed.report.errors
    assert (problem.code, problem.row) == ("period.not_in_file", None) and "4 ligne(s)" in problem.message


def test_a_year_row_in_a_quarterly_establishment_is_refused_at_file_level():
    parsed = check(row("0412", AMOXICILLIN_500_ORAL, "3", "2025"), ctx=context(period=Period(2025)))
    [problem] = parsed.report.errors
    assert problem.code == "period.not_in_file" and problem.value == "2025" and "trimestrielle" in problem.message


def test_a_year_file_of_a_quarterly_establishment_keeps_one_line_per_uf_ucd_and_quarter():
    parsed = check(
        *[row("0412", AMOXICILLIN_500_ORAL, "3", f"2025-T{q}") for q in (1, 2, 3, 4)],
        row("0412", AMOXICILLIN_500_ORAL, "3", "2025-T1"),
        ctx=context(period=Period(2025)),
    )
    assert parsed.accepted
    assert [(str(line.period), line.quantity) for line in parsed.rows] == [
        ("2025-T1", 6), ("2025-T2", 3), ("2025-T3", 3), ("2025-T4", 3)
    ]  # fmt: skip
    assert parsed.report.summary["periods"] == ["2025-T1", "2025-T2", "2025-T3", "2025-T4"]
    assert parsed.report.summary["merged_rows"] == 1


def test_quarters_in_a_yearly_establishment_file_are_one_file_error():
    parsed = check(
        *[row("0412", AMOXICILLIN_500_ORAL, "3", f"2025-T{q}") for q in (1, 2, 3, 4)],
        ctx=context(period=Period(2025), periodicity=Periodicity.YEAR),
    )
    [problem] = parsed.report.errors
    assert problem.code == "period.not_in_file" and "les trimestres 2025-T1 à 2025-T4" in problem.message


def test_headers_are_matched_leniently_and_unknown_columns_ignored():
    header = ["UF", "Code UCD", "Désignation", "Qté", "Période", "Prix"]
    parsed = check(["0412", AMOXICILLIN_500_ORAL, "AMOX 500", "3", "2025-T1", "12,30"], header=header)
    assert parsed.accepted and parsed.rows[0].ddd == 1
    [warning] = parsed.report.warnings
    assert warning.code == "column.unknown" and warning.column == "Prix"


def test_a_missing_required_column_is_an_error_naming_it():
    parsed = check(["0412", AMOXICILLIN_500_ORAL, "2025-T1"], header=["code_uf", "code_ucd", "periode"])
    [problem] = parsed.report.errors
    assert problem.code == "column.missing" and problem.column == "quantite" and "quantite" in problem.message


def test_the_catalogue_is_asked_once_per_ucd():
    asked: list[str] = []

    def counting(ucd: Ucd) -> CatalogueEntry | None:
        asked.append(ucd.value)
        return lookup(ucd)

    thirteen = Ucd(AMOXICILLIN_500_ORAL).ucd13
    check(
        *(row("0412", code, "1") for code in [AMOXICILLIN_500_ORAL, thirteen, "0912345", "0912345"] * 50),
        ctx=context(catalogue=counting),
    )
    assert sorted(asked) == [AMOXICILLIN_500_ORAL, "0912345"]


def test_short_rows_are_read_as_empty_cells():
    parsed = check(["0412", AMOXICILLIN_500_ORAL])
    assert [p.code for p in parsed.report.errors] == ["quantity.missing", "period.missing"]


def test_every_problem_names_row_column_and_value():
    parsed = check(
        row("9999", "12", "x", "2024"),
        row("0700", "0912345", "-1"),
        row("0412", PARACETAMOL, "-2"),
        row("0412", TOBRAMYCIN_INHALED, "1"),
        row("0412", TOBRAMYCIN_INHALED, "1"),
        header=[*HEADER, "commentaire"],
    )
    assert len(parsed.report.problems) >= 10
    for problem in parsed.report.problems:
        assert problem.row is not None and problem.column and problem.value is not None
