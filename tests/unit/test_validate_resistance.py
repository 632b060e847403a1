"""Validation of a resistance file (DOMAIN.md §4.5, §5)."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.files.resistance import MASKED, ResistanceContext, validate
from chalicelib.domain.periods import Period
from chalicelib.domain.resistance.model import Carbapenemase, RawIsolate, Sir, VanGene
from tests.support.structure import CARDIOLOGY, CONSULTATIONS, WEEK_MEDICINE, by_code

Q1 = Period(2025, 1)
UNITS = by_code(CARDIOLOGY, WEEK_MEDICINE, CONSULTATIONS)
CONTEXT = ResistanceContext(period=Q1, units=UNITS, date1904=False, is_screening=lambda label: "dépistage" in label.lower())
HEADER = [
    "code_uf",
    "id_patient",
    "age",
    "date_prelevement",
    "nature_prelevement",
    "espece",
    "sexe",
    "Amoxicilline",
    "Céfotaxime",
]


def check(*rows: list[str], header: list[str] | None = None, context: ResistanceContext = CONTEXT):
    table = [header or HEADER, *rows]
    return validate(table, list(range(1, len(table) + 1)), context)


def row(
    uf="0412", patient="ipp 001", age="67", day="14/01/2025", specimen="Hémoculture", species="E. coli", sex="F", amx="R", ctx="S"
):
    return [uf, patient, age, day, specimen, species, sex, amx, ctx]


def test_an_isolate_is_read_with_its_results_and_identity():
    parsed = check(row(), row(patient="IPP002", amx="", ctx="sfp", sex="M", day="45680"))
    assert parsed.accepted and parsed.report.problems == []
    assert parsed.isolates == [
        RawIsolate(
            2,
            "0412",
            "IPP001",
            67,
            "F",
            date(2025, 1, 14),
            "Hémoculture",
            "E. coli",
            {"Amoxicilline": Sir.R, "Céfotaxime": Sir.S},
        ),
        RawIsolate(3, "0412", "IPP002", 67, "M", date(2025, 1, 23), "Hémoculture", "E. coli", {"Céfotaxime": Sir.SFP}),
    ]
    assert parsed.report.rows_read == parsed.report.rows_accepted == 2
    assert parsed.report.summary["isolates_read"] == 2


def test_antibiotic_columns_are_every_non_identity_column():
    header = [
        "IPP",
        "UF",
        "Date prélèvement",
        "Germe",
        "Nature",
        "Genta",
        "DDN",
        "Amox + ac. clav.",
        "BLSE",
        "Carbapénémase",
        "ERG",
    ]
    parsed = check(
        ["P1", "0412", "14/01/2025", "K. pneumoniae", "Urines", "S", "02/03/1950", "r", "oui", "OXA48", ""], header=header
    )
    assert parsed.accepted, parsed.report.problems
    assert parsed.antibiotic_labels == ["Genta", "Amox + ac. clav."]
    [isolate] = parsed.isolates
    assert isolate.results == {"Genta": Sir.S, "Amox + ac. clav.": Sir.R}
    assert (isolate.esbl, isolate.carbapenemase, isolate.van) == (True, Carbapenemase.OXA48, None)


def test_a_name_column_refuses_the_whole_file():
    for name in ["Nom", "Prénom", "Nom de naissance", "nom marital", "Patient name"]:
        parsed = check(row(), header=[*HEADER[:2], name, *HEADER[3:]])
        assert not parsed.accepted and parsed.isolates == []
        [error] = parsed.report.errors
        assert (error.code, error.row, error.column) == ("column.personal_name", 1, name)
        assert "Aucun nom, prénom ni NIR" in error.message and "refusé" in error.message


def test_a_nir_column_refuses_the_whole_file():
    for header in ["NIR", "N° de sécurité sociale", "Numéro SS", "INS"]:
        parsed = check([*row(), "185057800608491"], header=[*HEADER, header])
        assert not parsed.accepted and parsed.isolates == []
        [error] = parsed.report.errors
        assert error.code == "column.nir" and error.value == header and "NIR" in error.message
        assert all("185057800608491" not in (p.value or "") + p.message for p in parsed.report.problems)


def test_an_identifier_shaped_like_a_nir_refuses_the_file():
    parsed = check(row(patient="1 85 05 78 006 084 91"), row(patient="2850578006084"), row(patient="00012345"))
    assert not parsed.accepted
    [error] = parsed.report.errors
    assert (error.code, error.row, error.column, error.value) == ("patient.nir", 2, "id_patient", MASKED)
    assert "2 identifiants" in error.message and "lignes 2, 3" in error.message
    # a long hospital number is not a NIR when its "month" cannot be one
    assert check(row(patient="2025000012345")).accepted


def test_legacy_i_is_read_as_sfp_with_a_warning():
    parsed = check(row(amx="I"), row(amx=" i "), row(amx="S", ctx="I"))
    assert parsed.accepted
    assert [i.results for i in parsed.isolates] == [
        {"Amoxicilline": Sir.SFP, "Céfotaxime": Sir.S},
        {"Amoxicilline": Sir.SFP, "Céfotaxime": Sir.S},
        {"Amoxicilline": Sir.S, "Céfotaxime": Sir.SFP},
    ]
    warnings = [(w.code, w.row, w.column, w.value) for w in parsed.report.warnings]
    assert warnings == [("result.legacy_i", 2, "Amoxicilline", "I"), ("result.legacy_i", 4, "Céfotaxime", "I")]
    assert "2 cellules, lignes 2, 3" in parsed.report.warnings[0].message
    assert parsed.legacy_i == {"Amoxicilline": [2, 3], "Céfotaxime": [4]}  # every cell stays traceable
    assert parsed.report.summary["legacy_i"] == 3


def test_results_are_read_whatever_their_case_and_spacing():
    parsed = check(row(amx=" s ", ctx="S F P"), row(amx="r", ctx="  "))
    assert [i.results for i in parsed.isolates] == [
        {"Amoxicilline": Sir.S, "Céfotaxime": Sir.SFP},
        {"Amoxicilline": Sir.R},  # an empty cell is not tested
    ]


def test_an_unknown_result_is_an_error_for_that_cell():
    parsed = check(row(amx="X"), row(ctx="0.5"))
    assert not parsed.accepted and parsed.isolates == []
    assert [(p.code, p.row, p.column, p.value) for p in parsed.report.errors] == [
        ("result.invalid", 2, "Amoxicilline", "X"),
        ("result.invalid", 3, "Céfotaxime", "0.5"),
    ]
    assert "S, SFP ou R attendu" in parsed.report.errors[0].message


def test_a_column_without_any_result_is_ignored_by_name_never_echoed():
    header = [*HEADER, "N° demande"]
    parsed = check([*row(), "D123"], [*row(), "D124"], header=header)
    assert parsed.report.errors == []
    [ignored] = [(p.code, p.column, p.value) for p in parsed.report.warnings if p.code == "column.not_results"]
    assert ignored == ("column.not_results", "N° demande", "N° demande")


def test_date_of_birth_becomes_an_age_at_the_specimen_date_and_is_not_kept():
    header = ["code_uf", "id_patient", "Date de naissance", "date_prelevement", "nature_prelevement", "espece", "AMX"]
    parsed = check(
        ["0412", "P1", "15/01/1950", "14/01/2025", "Urines", "E. coli", "S"],  # birthday tomorrow: 74
        ["0412", "P2", "14/01/1950", "14/01/2025", "Urines", "E. coli", "S"],  # birthday today: 75
        header=header,
    )
    assert [i.age for i in parsed.isolates] == [74, 75]
    assert all("1950" not in repr(i) for i in parsed.isolates)
    late = check(["0412", "P1", "20/01/2025", "14/01/2025", "Urines", "E. coli", "S"], header=header)
    [error] = late.report.errors
    assert (error.code, error.column, error.value) == ("birth.after_specimen", "Date de naissance", MASKED)
    bad = check(["0412", "P1", "31/02/1950", "14/01/2025", "Urines", "E. coli", "S"], header=header)
    assert [(p.code, p.value) for p in bad.report.errors] == [("birth.impossible", MASKED)]
    assert "31/02" not in bad.report.errors[0].message


def test_without_age_nor_date_of_birth_the_age_is_unknown_with_one_warning():
    parsed = check(row(age=""), row(age=""), row(age="6 mois"), row(age="130"))
    assert [(p.code, p.row, p.value) for p in parsed.report.errors] == [("age.out_of_range", 5, "130")]
    [warning] = parsed.report.warnings
    assert warning.code == "age.missing" and "2 isolats" in warning.message and "lignes 2, 3" in warning.message
    assert check(row(age="6 mois")).isolates[0].age == 0


def test_a_specimen_date_outside_the_period_is_an_error():
    parsed = check(row(day="31/03/2025"), row(day="01/04/2025"), row(day="2024-12-31"), row(day=""))
    assert [(p.code, p.row, p.value) for p in parsed.report.errors] == [
        ("specimen_date.outside_period", 3, "01/04/2025"),
        ("specimen_date.outside_period", 4, "2024-12-31"),
        ("specimen_date.missing", 5, ""),
    ]
    assert "2025-T1" in parsed.report.errors[0].message


def test_excel_serials_follow_the_workbook_date_system():
    context = ResistanceContext(period=Q1, units=UNITS, date1904=True, is_screening=CONTEXT.is_screening)
    assert check(row(day="44218"), context=context).isolates[0].specimen_date == date(2025, 1, 23)


def test_screening_specimens_are_excluded_and_counted():
    parsed = check(
        row(specimen="Écouvillon rectal de dépistage", amx="??"),  # excluded rows are not checked further
        row(species=""),
        row(amx="", ctx=""),
        row(uf="0700"),
        row(uf="0700"),
        row(),
    )
    assert parsed.accepted
    assert [i.row for i in parsed.isolates] == [7]
    assert parsed.excluded == {"screening": 1, "no_species": 1, "no_result": 1, "uf_not_eligible": 2}
    assert parsed.report.summary["excluded"] == parsed.excluded and parsed.report.summary["isolates_read"] == 1
    [warning] = parsed.report.warnings
    assert (warning.code, warning.row, warning.value) == ("uf.not_eligible", 5, "0700")
    assert "2 isolats exclus" in warning.message


def test_an_unknown_uf_and_a_missing_patient_are_errors():
    parsed = check(row(uf="9999"), row(patient="  "))
    assert [(p.code, p.row, p.column, p.value) for p in parsed.report.errors] == [
        ("uf.unknown", 2, "code_uf", "9999"),
        ("patient.missing", 3, "id_patient", ""),
    ]


def test_sex_and_phenotypes_are_read_leniently():
    header = [*HEADER, "blse", "carbapenemase", "erv"]
    parsed = check(
        [*row(sex="féminin"), "+", "KPC-3", "vanA"],
        [*row(sex="1"), "négatif", "NDM + OXA-48", "non"],
        [*row(sex="X"), "NT", "négatif", ""],
        header=header,
    )
    assert parsed.accepted
    assert [(i.sex, i.esbl, i.carbapenemase, i.van) for i in parsed.isolates] == [
        ("F", True, Carbapenemase.KPC, VanGene.VANA),
        ("M", False, Carbapenemase.NDM, VanGene.NONE),
        (None, None, Carbapenemase.NEGATIVE, None),
    ]
    assert [(w.code, w.row) for w in parsed.report.warnings] == [("carbapenemase.several", 3), ("sex.invalid", 4)]
    bad = check([*row(), "peut-être", "OXA-1", "oui"], header=header)
    assert [p.code for p in bad.report.errors] == ["esbl.invalid", "carbapenemase.invalid", "van.gene_missing"]


def test_admission_dates_are_ignored_with_a_warning():
    header = [*HEADER[:4], "Date d'entrée", "date admission", *HEADER[4:]]
    parsed = check([*row()[:4], "02/01/2025", "n'importe quoi", *row()[4:]], header=header)
    assert parsed.accepted
    assert parsed.antibiotic_labels == ["Amoxicilline", "Céfotaxime"]
    assert [(w.code, w.column) for w in parsed.report.warnings] == [
        ("column.ignored", "Date d'entrée"),
        ("column.ignored", "date admission"),
    ]
    assert "ne sont pas conservées" in parsed.report.warnings[0].message
    assert "02/01/2025" not in repr(parsed.isolates)


def test_the_patient_identifier_never_appears_in_a_problem():
    secret = "IPP987654"
    header = [*HEADER, "N° dossier", "blse"]
    parsed = check(
        [*row(patient=secret, uf="9999", amx="ipp 987654", day="01/01/2024"), secret, secret],
        [*row(patient=secret, age="abc", sex=secret), "", ""],
        [*row(patient="2 85 05 78 006 084", amx="1850578006084"), "", ""],
        header=header,
    )
    assert not parsed.accepted
    assert len(parsed.report.errors) >= 5
    for problem in parsed.report.problems:
        shown = f"{problem.message} {problem.value} {problem.column}".upper().replace(" ", "")
        assert "987654" not in shown and "850578006084" not in shown, problem
    assert "987654" not in repr(parsed.report.summary)
    assert any(p.column == "id_patient" and p.value == MASKED for p in parsed.report.errors)


def test_duplicated_antibiotic_columns_and_a_file_without_antibiotics_are_refused():
    parsed = check(row(), header=[*HEADER[:-1], "AMOXICILLINE"])
    assert [p.code for p in parsed.report.errors] == ["column.duplicate"]
    parsed = check(row()[:7], header=HEADER[:7])
    assert [p.code for p in parsed.report.errors] == ["column.no_antibiotic"]


def test_a_missing_required_column_is_an_error():
    parsed = check(row()[1:], header=HEADER[1:])
    [error] = parsed.report.errors
    assert error.code == "column.missing" and "code_uf" in error.message


def test_the_antibiotics_tested_are_the_columns_with_a_result_in_some_isolate():
    parsed = check(row(amx=""), row(patient="IPP002", amx="", ctx="R"))
    assert parsed.tested_labels == ["Céfotaxime"]


def test_a_legacy_i_is_kept_as_sfp_among_the_results():
    parsed = check(row(amx="I", ctx=""))
    assert dict(parsed.isolates[0].results) == {"Amoxicilline": Sir.SFP} and parsed.legacy_i == {"Amoxicilline": [2]}
