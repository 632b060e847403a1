"""The annotated copy of an imported file: every row with its status, every problem where it is.

``annotated_report`` returns an XLSX with two sheets:

* « Fichier annoté »: the file's rows (as text), at their own row numbers (so
  "ligne 12" in a message is row 12 of this sheet too), preceded by two columns
  « Statut » (OK / Erreur / Avertissement) and « Problèmes » (the row's French
  messages joined by " ; "). Rows with an error are filled light red, rows with
  only warnings light orange; the offending cells (found by the column's header
  text) are highlighted in a stronger shade and carry a comment with the message
  (comments for the first ``MAX_COMMENTS`` flagged cells only: Excel slows down
  with many more, and the highlight and the list stay complete).
* « Problèmes »: a summary line, then one row per problem (ligne, colonne,
  valeur, code, message, gravité), problems of the whole file first.

No value reaches Excel as a formula: cells are written as strings, and those
starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) carry the
"quote prefix" flag, so editing them in Excel does not turn them into formulas
either; the text itself is unchanged.

Built with openpyxl's write-only mode (rows streamed, one shared style object per
kind of cell), so a 60,000-row file stays within a few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chalicelib.adapters.xlsx_templates import workbook_bytes
from chalicelib.domain.imports import Problem, Severity

__all__ = ["ANNOTATED_SHEET", "MAX_COMMENTS", "PROBLEMS_SHEET", "annotated_report"]

ANNOTATED_SHEET = "Fichier annoté"
PROBLEMS_SHEET = "Problèmes"
MAX_COMMENTS = 1_000

STATUS_OK = "OK"
STATUS_ERROR = "Erreur"
STATUS_WARNING = "Avertissement"
_SEVERITY_LABEL = {Severity.ERROR: STATUS_ERROR, Severity.WARNING: STATUS_WARNING}

_LEADING = 2  # « Statut », « Problèmes »
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_EXCEL_MAX_CHARS = 32_767
_WIDTH_SAMPLE = 200

_ROW_ERROR = PatternFill("solid", fgColor="FFFDE2E2")
_ROW_WARNING = PatternFill("solid", fgColor="FFFFEFD9")
_CELL_ERROR = PatternFill("solid", fgColor="FFF4A6A6")
_CELL_WARNING = PatternFill("solid", fgColor="FFFFC77D")
_BOLD = Font(bold=True)
_TOP_WRAP = Alignment(wrap_text=True, vertical="top")

# A cell's look: (kind, bold, quote prefix); kind is the fill.
_FILLS: dict[str, PatternFill | None] = {
    "plain": None,
    "row_error": _ROW_ERROR,
    "row_warning": _ROW_WARNING,
    "cell_error": _CELL_ERROR,
    "cell_warning": _CELL_WARNING,
}


def annotated_report(
    rows: Sequence[Sequence[str]],
    row_numbers: Sequence[int],
    header_row_number: int | None,
    problems: Sequence[Problem],
    keep_positions: bool = True,
) -> bytes:
    """The annotated XLSX of a file read as ``rows`` (text cells) at spreadsheet ``row_numbers``.

    ``header_row_number`` is the spreadsheet row of the headers (``None`` if none was
    recognised); a problem's ``column`` is matched against that row's texts.
    """
    if len(rows) != len(row_numbers):
        raise ValueError(f"{len(rows)} rows but {len(row_numbers)} row numbers")
    wb = Workbook(write_only=True)
    annotated = wb.create_sheet(ANNOTATED_SHEET)
    listing = wb.create_sheet(PROBLEMS_SHEET)
    styles = _Styles(annotated)
    written = _write_annotated(annotated, styles, rows, row_numbers, header_row_number, problems, keep_positions)
    _write_problems(listing, _Styles(listing), problems, truncated=written.flagged > MAX_COMMENTS)
    return workbook_bytes(wb)


# --------------------------------------------------------------------------- cells


class _Styles:
    """One style array per look, shared by every cell of that look (write-only cells are never restyled)."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._cache: dict[tuple[str, bool, bool, bool], Any] = {}

    def cell(self, value: str | int | None, kind: str = "plain", bold: bool = False, wrap: bool = False) -> Any:
        text = _clean(value) if isinstance(value, str) else value
        quoted = isinstance(text, str) and text.startswith(_FORMULA_TRIGGERS)
        if text == "":
            text = None
        if kind == "plain" and not bold and not wrap and not quoted:
            return text  # a bare value: the cheapest thing to stream (never "=..." here)
        cell = WriteOnlyCell(self._ws, value=text)
        if isinstance(text, str):
            cell.data_type = "s"  # "=..." stays text, never a formula
        cell._style = self._style(kind, bold, wrap, quoted)
        return cell

    def _style(self, kind: str, bold: bool, wrap: bool, quoted: bool) -> Any:
        key = (kind, bold, wrap, quoted)
        style = self._cache.get(key)
        if style is None:
            model = WriteOnlyCell(self._ws)
            fill = _FILLS[kind]
            if fill is not None:
                model.fill = fill
            if bold:
                model.font = _BOLD
            if wrap:
                model.alignment = _TOP_WRAP
            if quoted:
                model.quotePrefix = True
            style = self._cache[key] = model._style
        return style


def _clean(text: str) -> str:
    """Text Excel accepts: no control characters, at most 32,767 characters."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return text[:_EXCEL_MAX_CHARS]


# --------------------------------------------------------------------------- « Fichier annoté »


class _Written:
    def __init__(self) -> None:
        self.flagged = 0  # cells that deserved a comment


def _column_finder(header: Sequence[str] | None) -> dict[str, int]:
    """Header text -> column index (first occurrence), exact text then trimmed/case-folded."""
    found: dict[str, int] = {}
    if header is None:
        return found
    for index, text in enumerate(header):
        for key in (text, _loose(text)):
            if key and key not in found:
                found[key] = index
    return found


def _loose(text: str) -> str:
    return " ".join(text.split()).casefold()


def _write_annotated(
    ws: Any,
    styles: _Styles,
    rows: Sequence[Sequence[str]],
    row_numbers: Sequence[int],
    header_row_number: int | None,
    problems: Sequence[Problem],
    keep_positions: bool = True,
) -> _Written:
    """``keep_positions``: each row at its own spreadsheet row number (empty rows
    padded); False for an extract of a large file's problem rows, written one
    after the other with their row number in the status cell."""
    header_index = row_numbers.index(header_row_number) if header_row_number in row_numbers else None
    columns = _column_finder(rows[header_index] if header_index is not None else None)

    by_row: dict[int, list[Problem]] = defaultdict(list)
    by_cell: dict[tuple[int, int], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row is None:
            continue
        by_row[problem.row].append(problem)
        if problem.column is not None:
            index = columns.get(problem.column, columns.get(_loose(problem.column)))
            if index is not None:
                by_cell[(problem.row, index)].append(problem)

    width = max((len(row) for row in rows), default=0)
    _set_widths(ws, rows, width)
    first_number = row_numbers[0] if row_numbers else 1
    # Without a header row, the « Statut » / « Problèmes » labels need a row of their own:
    # row 1 if the file leaves it empty, else one inserted on top (rows then move down by one).
    label_row = header_index is None
    shift = 1 if label_row and first_number <= 1 else 0
    frozen_row = header_row_number + 1 if header_row_number is not None and header_index is not None else 2
    ws.freeze_panes = f"{get_column_letter(_LEADING + 1)}{frozen_row}"

    written = _Written()
    next_row = 1
    if label_row:
        ws.append([styles.cell("Statut", bold=True), styles.cell("Problèmes", bold=True)])
        next_row = 2
    for position, (values, number) in enumerate(zip(rows, row_numbers, strict=True)):
        target = max(next_row, number + shift) if keep_positions else next_row
        while next_row < target:
            ws.append([])
            next_row += 1
        if position == header_index:
            ws.append(_header_cells(styles, values, number, by_cell, written))
        else:
            data_row = header_index is None or position > header_index
            cells = _data_cells(styles, values, number, by_row.get(number, ()), by_cell, data_row, written)
            if not keep_positions and cells[0] is not None and hasattr(cells[0], "value"):
                cells[0].value = f"{cells[0].value} (ligne {number})"
            ws.append(cells)
        next_row += 1
    return written


def _set_widths(ws: Any, rows: Sequence[Sequence[str]], width: int) -> None:
    ws.column_dimensions["A"].width = 15
    ws.column_dimensions["B"].width = 60
    for index in range(width):
        longest = max((len(row[index]) for row in rows[:_WIDTH_SAMPLE] if index < len(row)), default=0)
        ws.column_dimensions[get_column_letter(_LEADING + 1 + index)].width = float(min(max(longest + 2, 8), 40))


def _header_cells(
    styles: _Styles,
    values: Sequence[str],
    number: int,
    by_cell: dict[tuple[int, int], list[Problem]],
    written: _Written,
) -> list[Any]:
    cells = [styles.cell("Statut", bold=True), styles.cell("Problèmes", bold=True)]
    for index, value in enumerate(values):
        flagged = by_cell.get((number, index))
        if flagged:
            cells.append(_flagged_cell(styles, value, flagged, written, bold=True))
        else:
            cells.append(styles.cell(value, bold=True))
    return cells


def _data_cells(
    styles: _Styles,
    values: Sequence[str],
    number: int,
    row_problems: Sequence[Problem],
    by_cell: dict[tuple[int, int], list[Problem]],
    data_row: bool,
    written: _Written,
) -> list[Any]:
    if not row_problems:
        return [STATUS_OK if data_row else None, None, *(styles.cell(value) for value in values)]
    error = any(p.severity is Severity.ERROR for p in row_problems)
    kind = "row_error" if error else "row_warning"
    cells = [
        styles.cell(STATUS_ERROR if error else STATUS_WARNING, kind, bold=True),
        styles.cell(" ; ".join(p.message for p in row_problems), kind),
    ]
    for index, value in enumerate(values):
        flagged = by_cell.get((number, index))
        cells.append(_flagged_cell(styles, value, flagged, written) if flagged else styles.cell(value, kind))
    return cells


def _flagged_cell(styles: _Styles, value: str, flagged: Sequence[Problem], written: _Written, bold: bool = False) -> Any:
    error = any(p.severity is Severity.ERROR for p in flagged)
    cell = styles.cell(value, "cell_error" if error else "cell_warning", bold=bold)  # a cell even when empty
    written.flagged += 1
    if written.flagged <= MAX_COMMENTS:
        text = "\n".join(_clean(p.message) for p in flagged)
        comment = Comment(text, "ConsoRes")
        comment.width = 300
        comment.height = min(60 + 40 * len(flagged), 300)
        cell.comment = comment
    return cell


# --------------------------------------------------------------------------- « Problèmes »

_LISTING_HEADERS = ("Ligne", "Colonne", "Valeur", "Code", "Message", "Gravité")


def _write_problems(ws: Any, styles: _Styles, problems: Sequence[Problem], truncated: bool) -> None:
    for letter, width in zip("ABCDEF", (8, 22, 22, 26, 90, 15), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    ws.append([styles.cell(_summary(problems, truncated), bold=True)])
    ws.append([styles.cell(title, bold=True) for title in _LISTING_HEADERS])
    for problem in _file_level_first(problems):
        kind = "cell_error" if problem.severity is Severity.ERROR else "cell_warning"
        ws.append(
            [
                problem.row,
                styles.cell(problem.column),
                styles.cell(problem.value),
                styles.cell(problem.code),
                styles.cell(problem.message),
                styles.cell(_SEVERITY_LABEL.get(problem.severity, str(problem.severity)), kind),
            ]
        )


def _file_level_first(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of the whole file, then by row; the original order within each."""
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))


def _summary(problems: Sequence[Problem], truncated: bool) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    text = f"{_count(errors, 'erreur')}, {_count(warnings, 'avertissement')}."
    if not problems:
        text = "Aucun problème : le fichier est conforme."
    if truncated:
        text += (
            f" Seules les {_number(MAX_COMMENTS)} premières cellules signalées portent un commentaire dans la feuille "
            f"« {ANNOTATED_SHEET} » ; la surbrillance et la liste ci-dessous sont complètes."
        )
    return text


def _count(number: int, word: str) -> str:
    return f"{_number(number)} {word}{'s' if number > 1 else ''}"


def _number(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")
