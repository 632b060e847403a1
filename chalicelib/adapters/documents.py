"""SpreadsheetReader and ReportRenderer from the spreadsheet modules."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.adapters.spreadsheets import ReadLimits, Sheet, read_table
from chalicelib.adapters.xlsx_report import annotated_report
from chalicelib.adapters.xlsx_templates import template
from chalicelib.domain.imports import FileType, Problem


class CalamineReader:
    def __init__(self, limits: ReadLimits | None = None) -> None:
        self._limits = limits or ReadLimits()

    def read(self, data: bytes, filename: str) -> Sheet:
        return read_table(data, filename, self._limits)


class XlsxRenderer:
    def annotated(
        self, rows: Sequence[Sequence[str]], row_numbers: Sequence[int], header_row: int | None, problems: Sequence[Problem]
    ) -> bytes:
        # An extract of a large file's problem rows would need thousands of empty
        # padding rows to keep positions: write it compact instead.
        padding = (max(row_numbers) - len(row_numbers)) if row_numbers else 0
        return annotated_report(rows, row_numbers, header_row, problems, keep_positions=padding <= 5_000)

    def template(self, file_type: FileType) -> bytes:
        return template(file_type)
