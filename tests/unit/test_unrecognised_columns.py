"""A column of an antibiogram file that is neither known nor an antibiotic's (a stay number, say)
is reported by its name only: its values are never read, echoed nor kept."""

from __future__ import annotations

import json

from chalicelib.adapters.spreadsheets.model import Sheet
from chalicelib.services.resistance import _identifying_columns
from tests.unit.test_validate_resistance import HEADER, check, row

STAYS = ["NumSejour"]


def test_a_stay_number_column_is_ignored_by_name_and_its_values_never_echoed():
    parsed = check([*row(), "2025000123"], [*row(patient="IPP002"), "2025000456"], header=[*HEADER, *STAYS])
    assert parsed.accepted
    [warning] = [p for p in parsed.report.problems if p.code == "column.not_results"]
    assert warning.value == "NumSejour" and "NumSejour" in warning.message
    text = json.dumps(parsed.report.as_dict(), ensure_ascii=False)
    assert "2025000123" not in text and "2025000456" not in text
    assert all("NumSejour" not in isolate.results for isolate in parsed.isolates)


def test_an_antibiotic_column_with_a_stray_value_is_still_an_antibiotic():
    parsed = check(row(), row(patient="IPP002"), [*row(patient="IPP003")[:7], "RR", "S"])
    assert any(p.code.startswith("result") for p in parsed.report.errors)


def test_the_rows_kept_for_the_annotated_report_mask_such_a_column():
    header = [*HEADER, *STAYS]
    rows = [header, [*row(), "2025000123"]]
    sheet = Sheet(rows, [1, 2], False, "csv")
    assert len(header) - 1 in _identifying_columns(sheet, 1)
