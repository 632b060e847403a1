"""The column pass reads the clean rows of a resistance file column by column; the row pass reads the rest.

Whatever the file, the answer is the one the row pass alone gives: same isolates in the same order, same
problems in the same order, same counts. Checked on hundreds of generated files mixing clean rows with every
kind of row the rules single out.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from chalicelib.domain.files.resistance import ResistanceContext, validate
from chalicelib.domain.periods import Period
from chalicelib.domain.structure import Unit
from tests.support.structure import CARDIOLOGY, CONSULTATIONS, WEEK_MEDICINE, by_code

PERIOD = Period(2025, None)
CLOSED = Unit.create("0900", "Ancienne cardiologie", "03", "38", end=date(2025, 3, 31))
UNITS = by_code(CARDIOLOGY, WEEK_MEDICINE, CONSULTATIONS, CLOSED)  # consultations: no patient-days, not eligible
CONTEXT = ResistanceContext(period=PERIOD, units=UNITS, is_screening=lambda label: "dépistage" in label.lower())

CHOICES = {
    "code_uf": ["0412", "0412", "1204", " 1204 ", "0700", "0900", "9999", ""],
    "id_patient": ["IPP001", "ipp 002", "IPP003", "", "1 85 05 78 006 084 36", "1850578006084", "A12"],
    "age": ["67", "6 mois", "12 jours", "", "abc", "130", "45,5"],
    "date_naissance": ["", "", "03/02/1950", "01/01/2030", "31/02/1990", "01/01/1901", "IPP001"],
    "date_prelevement": ["14/01/2025", "2025-03-05", "45680", "", "14/01/2024", "32/01/2025", "05/03/25"],
    "nature_prelevement": ["Hémoculture", "Urines", "Dépistage rectal", "", "Pus"],
    "espece": ["E. coli", "S. aureus", "", "K. pneumoniae"],
    "sexe": ["F", "M", "", "H", "2", "X", "inconnu"],
    "blse": ["", "oui", "non", "NT", "peut-être"],
    "carbapenemase": ["", "KPC", "NDM + OXA-48", "négatif", "zzz"],
    "erv": ["", "vanA", "non", "??"],
}
RESULTS = ["S", "R", "SFP", "", "", "I", "r", "X", "IPP001"]
ANTIBIOTICS = ["Amoxicilline", "Céfotaxime", "Ciprofloxacine"]


def a_file(seed: int) -> list[list[str]]:
    draw = random.Random(seed)
    identity = ["code_uf", "id_patient", "date_prelevement", "nature_prelevement", "espece"]
    identity += [name for name in ("age", "date_naissance", "sexe", "blse", "carbapenemase", "erv") if draw.random() < 0.6]
    draw.shuffle(identity)
    antibiotics = ANTIBIOTICS[: draw.randint(1, 3)]
    header = [*identity, *antibiotics]
    messy = draw.choice([0.0, 0.05, 0.3, 1.0])  # share of cells drawn among the unusual values
    rows: list[list[str]] = [header]
    for _ in range(draw.randint(0, 40)):
        cells = [draw.choice(CHOICES[name]) if draw.random() < messy else CHOICES[name][0] for name in identity] + [
            draw.choice(RESULTS) if draw.random() < messy else draw.choice(RESULTS[:3]) for _ in antibiotics
        ]
        if draw.random() < 0.1:
            cells = cells[: draw.randint(1, len(cells))]  # a short row: the missing cells are empty
        rows.append(cells)
    return rows


def both(rows: list[list[str]]):
    numbers = list(range(1, len(rows) + 1))
    return validate(rows, numbers, CONTEXT), validate(rows, numbers, CONTEXT, column_pass=False)


@pytest.mark.parametrize("seed", range(400))
def test_the_column_pass_answers_what_the_row_pass_answers(seed):
    columns, rows = both(a_file(seed))
    assert columns.isolates == rows.isolates
    assert [isolate.row for isolate in columns.isolates] == [isolate.row for isolate in rows.isolates]
    assert columns.report.problems == rows.report.problems
    assert columns.report.summary == rows.report.summary
    assert (columns.excluded, columns.legacy_i, columns.tested_labels) == (rows.excluded, rows.legacy_i, rows.tested_labels)
    assert columns.accepted == rows.accepted


def test_a_file_of_clean_rows_is_read_whole_by_the_column_pass():
    header = ["code_uf", "id_patient", "age", "date_prelevement", "nature_prelevement", "espece", "Amoxicilline"]
    rows = [header, *(["0412", f"IPP{n:03d}", "50", "14/01/2025", "Urines", "E. coli", "R"] for n in range(5))]
    columns, reference = both(rows)
    assert columns.accepted and len(columns.isolates) == 5 and columns.isolates == reference.isolates
