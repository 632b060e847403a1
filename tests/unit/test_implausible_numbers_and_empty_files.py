"""Numbers no writer can hold, and files without data, are row errors in French (DOMAIN.md §10.2)."""

from __future__ import annotations

import pytest

from chalicelib.domain.files import beds, consumption, patient_days, structure
from tests.unit import test_validate_beds as beds_file
from tests.unit import test_validate_consumption as consumption_file
from tests.unit import test_validate_patient_days as patient_days_file
from tests.unit import test_validate_resistance as resistance_file

AMOXICILLIN = consumption_file.AMOXICILLIN_500_ORAL
HUGE = ["1000000000000000", "1e308", "1e999", "9" * 400, "1e15"]


@pytest.mark.parametrize("text", HUGE)
def test_an_implausible_number_of_beds_is_a_row_error_not_an_internal_one(text: str) -> None:
    parsed = beds_file.check(["0412", "2025", text], ["1204", "2025", "30"])
    assert not parsed.accepted and parsed.rows == []
    [problem] = parsed.report.errors
    assert (problem.row, problem.column, problem.value) == (2, "lits", text)
    assert problem.code in {"beds.invalid", "beds.out_of_bounds"}


def test_ten_thousand_beds_in_one_uf_is_the_bound() -> None:
    assert beds_file.check(["0412", "2025", "10000"]).accepted
    [problem] = beds_file.check(["0412", "2025", "10001"]).report.errors
    assert problem.code == "beds.out_of_bounds"
    assert "au plus 10\u00a0000" in problem.message


@pytest.mark.parametrize("text", HUGE)
def test_implausible_patient_days_and_admissions_are_row_errors(text: str) -> None:
    parsed = patient_days_file.check(["0412", "2025-T1", text, "10"], ["1204", "2025-T1", "100", text])
    assert not parsed.accepted
    assert [(p.row, p.column) for p in parsed.report.errors] == [(2, "journees"), (3, "entrees")]


def test_a_million_patient_days_in_one_uf_and_period_is_the_bound() -> None:
    [problem, *_] = patient_days_file.check(["0412", "2025-T1", "1000001", ""]).report.errors
    assert problem.code == "patient_days.out_of_bounds"


@pytest.mark.parametrize("text", [*HUGE, "-1e10", "1e-400"])
def test_an_implausible_quantity_is_a_row_error(text: str) -> None:
    parsed = consumption_file.check(consumption_file.row("0412", AMOXICILLIN, text))
    assert not parsed.accepted
    [problem] = parsed.report.errors
    assert (problem.row, problem.column, problem.value) == (2, "quantite", text)
    assert problem.code in {"quantity.invalid", "quantity.out_of_bounds"}
    assert problem.message.startswith(("Quantité invraisemblable", "Nombre hors limites"))


def test_a_billion_units_is_the_largest_quantity() -> None:
    assert consumption_file.check(consumption_file.row("0412", AMOXICILLIN, "1000000000")).report.errors == []


HEADERS = {
    "structure": (structure, ["code_uf", "libelle_uf", "code_ta", "code_de"]),
    "beds": (beds, ["code_uf", "annee", "lits"]),
    "patient_days": (patient_days, ["code_uf", "periode", "journees"]),
    "consumption": (consumption, ["code_uf", "code_ucd", "quantite", "periode"]),
}


def test_a_header_without_data_rows_is_refused_for_every_file_type() -> None:
    contexts = {
        "structure": None,
        "beds": beds_file.CONTEXT,
        "patient_days": patient_days_file.CONTEXT,
        "consumption": consumption_file.context(),
    }
    for name, (module, header) in HEADERS.items():
        rows = [header, ["", "", "", ""]]
        parsed = module.validate(rows, [1, 2], contexts[name]) if contexts[name] is not None else module.validate(rows, [1, 2])
        assert not parsed.accepted, name
        assert [p.code for p in parsed.report.errors] == ["file.no_rows"], name
        assert parsed.report.errors[0].message.startswith("Le fichier ne contient aucune ligne de données"), name


def test_an_antibiogram_file_without_isolates_is_refused() -> None:
    parsed = resistance_file.check()
    assert "file.no_rows" in [p.code for p in parsed.report.errors]
