"""The annotated copy of an imported file: statuses, highlighted cells, comments, the problem list."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from chalicelib.adapters import xlsx_report
from chalicelib.adapters.xlsx_report import ANNOTATED_SHEET, PROBLEMS_SHEET, annotated_report
from chalicelib.domain.imports import Problem, Severity

HEADER = ["code_uf", "periode", "journees"]
ROWS = [
    HEADER,
    ["0412", "2025-T1", "2450"],
    ["0999", "2025-T1", "120"],
    ["1204", "2025-T5", "-3"],
    ["1300", "2025-T1", "99999"],
]
NUMBERS = [1, 2, 3, 4, 5]
ERROR_FILL = "FFF4A6A6"
WARNING_FILL = "FFFFC77D"
ERROR_ROW_FILL = "FFFDE2E2"
WARNING_ROW_FILL = "FFFFEFD9"


def unknown_uf(row: int = 3) -> Problem:
    return Problem("uf.unknown", "UF inconnue : « 0999 ».", Severity.ERROR, row, "code_uf", "0999")


def bad_period() -> Problem:
    return Problem("period.invalid", "Période invalide : « 2025-T5 ».", Severity.ERROR, 4, "periode", "2025-T5")


def negative_days() -> Problem:
    return Problem("days.negative", "Nombre de journées négatif : « -3 ».", Severity.ERROR, 4, "journees", "-3")


def too_many_days() -> Problem:
    return Problem("days.above_beds", "Journées supérieures à lits × jours × 1,1.", Severity.WARNING, 5, "journees", "99999")


def report(
    rows: list[list[str]] = ROWS,
    numbers: list[int] = NUMBERS,
    header: int | None = 1,
    problems: list[Problem] | None = None,
) -> Any:
    data = annotated_report(rows, numbers, header, problems or [])
    return load_workbook(io.BytesIO(data))


def fill(cell: Any) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def listing(wb: Any) -> list[tuple[Any, ...]]:
    """The rows of the Problèmes sheet under its summary line and headers."""
    rows = list(wb[PROBLEMS_SHEET].iter_rows(values_only=True))
    assert rows[1] == ("Ligne", "Colonne", "Valeur", "Code", "Message", "Gravité")
    return rows[2:]


# --------------------------------------------------------------------------- Fichier annoté


def test_annotated_report_copies_the_file_behind_status_and_problem_columns() -> None:
    wb = report()
    assert wb.sheetnames == [ANNOTATED_SHEET, PROBLEMS_SHEET]
    ws = wb[ANNOTATED_SHEET]
    assert [c.value for c in ws[1]] == ["Statut", "Problèmes", *HEADER]
    assert [c.value for c in ws[2]] == ["OK", None, "0412", "2025-T1", "2450"]
    assert ws.freeze_panes == "C2"


def test_annotated_report_marks_the_row_and_cell_of_each_problem() -> None:
    ws = report(problems=[unknown_uf(), bad_period(), negative_days(), too_many_days()])[ANNOTATED_SHEET]

    assert [ws[f"A{r}"].value for r in range(2, 6)] == ["OK", "Erreur", "Erreur", "Avertissement"]
    assert ws["B3"].value == "UF inconnue : « 0999 »."
    assert ws["B4"].value == "Période invalide : « 2025-T5 ». ; Nombre de journées négatif : « -3 »."

    assert fill(ws["C3"]) == ERROR_FILL and ws["C3"].comment.text == "UF inconnue : « 0999 »."
    assert fill(ws["D3"]) == ERROR_ROW_FILL and ws["D3"].comment is None
    assert fill(ws["A3"]) == ERROR_ROW_FILL
    assert fill(ws["D4"]) == ERROR_FILL and fill(ws["E4"]) == ERROR_FILL
    assert "2025-T5" in ws["D4"].comment.text
    assert fill(ws["E5"]) == WARNING_FILL and fill(ws["C5"]) == WARNING_ROW_FILL
    assert ws["E5"].comment.text.startswith("Journées supérieures")
    assert all(fill(cell) is None and cell.comment is None for cell in ws[2])


def test_problem_columns_are_found_whatever_the_spacing_and_case() -> None:
    problem = Problem("uf.unknown", "UF inconnue.", Severity.ERROR, 3, "  CODE_UF ", "0999")
    ws = report(problems=[problem])[ANNOTATED_SHEET]
    assert fill(ws["C3"]) == ERROR_FILL


def test_an_empty_offending_cell_is_still_highlighted() -> None:
    rows = [HEADER, ["0412", "", "12"]]
    problem = Problem("period.missing", "Période absente.", Severity.ERROR, 2, "periode", "")
    ws = report(rows, [1, 2], problems=[problem])[ANNOTATED_SHEET]
    assert ws["D2"].value is None
    assert fill(ws["D2"]) == ERROR_FILL and ws["D2"].comment.text == "Période absente."


def test_a_header_problem_highlights_the_header_cell() -> None:
    rows = [["code_uf", "code_uf", "journees"], ["0412", "0412", "1"]]
    problem = Problem("header.duplicate", "La colonne « code_uf » apparaît plusieurs fois.", Severity.ERROR, 1, "code_uf")
    ws = report(rows, [1, 2], problems=[problem])[ANNOTATED_SHEET]
    assert ws["A1"].value == "Statut"
    assert fill(ws["C1"]) == ERROR_FILL and ws["C1"].font.bold
    assert ws["A2"].value == "OK"


def test_rows_keep_their_spreadsheet_row_numbers() -> None:
    rows = [["Export du 01/01/2025"], HEADER, ["0412", "2025-T1", "1"], ["0999", "2025-T1", "2"]]
    wb = report(rows, [1, 3, 4, 7], header=3, problems=[unknown_uf(row=7)])
    ws = wb[ANNOTATED_SHEET]
    assert ws["C1"].value == "Export du 01/01/2025" and ws["A1"].value is None  # above the header: no status
    assert [c.value for c in ws[3]] == ["Statut", "Problèmes", *HEADER]
    assert ws["A4"].value == "OK"
    assert ws["A7"].value == "Erreur" and ws["C7"].value == "0999" and fill(ws["C7"]) == ERROR_FILL
    assert ws.freeze_panes == "C4"
    assert listing(wb)[0][0] == 7


def test_without_a_header_row_the_labels_get_their_own_row() -> None:
    rows = [["0412", "2025-T1", "1"]]
    problem = Problem("header.missing", "Colonne obligatoire absente : « code_uf ».")
    ws = report(rows, [1], header=None, problems=[problem])[ANNOTATED_SHEET]
    assert [c.value for c in ws[1]][:2] == ["Statut", "Problèmes"]
    assert [c.value for c in ws[2]] == ["OK", None, "0412", "2025-T1", "1"]


def test_formula_like_values_are_neutralised_in_the_report() -> None:
    payloads = ['=HYPERLINK("http://x","clic")', "+33612345678", "-3", "@SUM(A1:A2)", "=1+2"]
    rows = [["a", "b", "c", "d", "e"], payloads]
    problem = Problem("x", "Valeur suspecte.", Severity.WARNING, 2, "e", "=1+2")
    data = annotated_report(rows, [1, 2], 1, [problem])

    wb = load_workbook(io.BytesIO(data))
    ws = wb[ANNOTATED_SHEET]
    for index, payload in enumerate(payloads, start=3):
        cell = ws.cell(row=2, column=index)
        assert cell.value == payload and cell.data_type == "s"
        assert cell.quotePrefix  # Excel keeps it as text even when the cell is edited
    listed = listing(wb)[0]
    assert listed[2] == "=1+2"
    assert wb[PROBLEMS_SHEET].cell(row=3, column=3).quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_control_characters_do_not_break_the_report() -> None:
    rows = [["code_uf"], ["04\x0012\x07"]]
    ws = report(rows, [1, 2])[ANNOTATED_SHEET]
    assert ws["C2"].value == "04\ufffd12\ufffd"


def test_comments_are_limited_and_the_limit_is_stated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_report, "MAX_COMMENTS", 2)
    rows = [["code_uf"]] + [[f"{n:04d}"] for n in range(5)]
    problems = [Problem("uf.unknown", f"UF inconnue {n}.", Severity.ERROR, n + 2, "code_uf") for n in range(5)]
    wb = report(rows, list(range(1, 7)), problems=problems)
    ws = wb[ANNOTATED_SHEET]
    assert [ws[f"C{r}"].comment is not None for r in range(2, 7)] == [True, True, False, False, False]
    assert all(fill(ws[f"C{r}"]) == ERROR_FILL for r in range(2, 7))
    summary = wb[PROBLEMS_SHEET]["A1"].value
    assert "5 erreurs" in summary and "2 premières cellules" in summary and "commentaire" in summary
    assert len(listing(wb)) == 5


# --------------------------------------------------------------------------- Problèmes


def test_problem_sheet_lists_every_problem_with_its_details() -> None:
    wb = report(problems=[unknown_uf(), too_many_days()])
    assert listing(wb) == [
        (3, "code_uf", "0999", "uf.unknown", "UF inconnue : « 0999 ».", "Erreur"),
        (5, "journees", "99999", "days.above_beds", "Journées supérieures à lits × jours × 1,1.", "Avertissement"),
    ]
    assert wb[PROBLEMS_SHEET]["A1"].value == "1 erreur, 1 avertissement."


def test_file_level_problems_are_listed_first() -> None:
    file_level = Problem("header.unknown", "Colonne « commentaire » ignorée.", Severity.WARNING)
    missing = Problem("header.missing", "Colonne obligatoire absente : « entrees ».")
    wb = report(problems=[too_many_days(), file_level, unknown_uf(), missing])
    lines = listing(wb)
    assert [line[3] for line in lines] == ["header.unknown", "header.missing", "uf.unknown", "days.above_beds"]
    assert lines[0][0] is None and lines[1][0] is None


def test_a_clean_file_says_so() -> None:
    wb = report()
    assert wb[PROBLEMS_SHEET]["A1"].value == "Aucun problème : le fichier est conforme."
    assert listing(wb) == []
    assert [c.value for c in wb[ANNOTATED_SHEET]["A"]][1:] == ["OK"] * 4


def test_report_reads_with_calamine_and_is_deterministic() -> None:
    data = annotated_report(ROWS, NUMBERS, 1, [unknown_uf()])
    assert data == annotated_report(ROWS, NUMBERS, 1, [unknown_uf()])
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name(ANNOTATED_SHEET).to_python()
    assert rows[2] == ["Erreur", "UF inconnue : « 0999 ».", "0999", "2025-T1", "120"]


def test_rows_and_row_numbers_must_match() -> None:
    with pytest.raises(ValueError):
        annotated_report(ROWS, NUMBERS[:2], 1, [])
