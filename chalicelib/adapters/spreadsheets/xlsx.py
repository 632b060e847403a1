"""Reading an XLSX with python-calamine into rows of text."""

from __future__ import annotations

import io
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from itertools import chain
from xml.parsers import expat

import python_calamine

from chalicelib.adapters.spreadsheets.archive import Archive
from chalicelib.adapters.spreadsheets.cells import scan_cells
from chalicelib.adapters.spreadsheets.extent import ExtentScan, OddReference, exact_extent
from chalicelib.adapters.spreadsheets.messages import damaged, empty_sheet, encrypted, french_count
from chalicelib.adapters.spreadsheets.model import ReadLimits, Sheet
from chalicelib.adapters.spreadsheets.workbook import Workbook, read_workbook
from chalicelib.domain.cells import column_letter
from chalicelib.domain.errors import DomainError, TooLarge

# --------------------------------------------------------------------------- XLSX: reading


def read_xlsx(data: bytes, name: str, limits: ReadLimits) -> Sheet:
    archive = Archive(data, name, limits)
    workbook = read_workbook(archive)
    # Sizes, CRCs and prologs, and the grid calamine will make of the sheet: before calamine
    # opens anything. The grid is measured in another thread as the sheet is decompressed
    # (both release the GIL), one chunk behind.
    scan = ExtentScan()
    with ThreadPoolExecutor(1, thread_name_prefix="xlsx-extent") as pool:
        measured: list[Future[None]] = []

        def measure(piece: bytes) -> None:
            if measured:
                measured.pop().result()
            measured.append(pool.submit(scan.feed, piece))

        try:
            archive.inspect_all(watch={workbook.sheet_member: measure})
            if measured:
                measured.pop().result()
            extent = scan.finish() or exact_extent(archive.chunks(workbook.sheet_member))
        except (OddReference, expat.ExpatError) as exc:
            raise damaged(name) from exc
    check_grid(extent.rows, extent.columns, extent.cells, limits)
    # calamine releases the GIL while it reads the sheet: the byte searches for the cells that need a
    # closer look (and that look) run meanwhile on another core; what they find comes first, as before.
    with ThreadPoolExecutor(1, thread_name_prefix="xlsx-cells") as pool:
        looked = pool.submit(_closer_look, archive, workbook)
        try:
            raw = _calamine_rows(data, name, workbook.sheet_name, limits)
        except BaseException:
            looked.result()
            raise
        patches = looked.result()
    rows: list[list[str]]
    if set(map(type, chain.from_iterable(raw))) == {str}:  # text only (as CSV-like exports are): nothing to render
        rows = raw  # type: ignore[assignment]
    else:
        text = _Renderer()
        rows = [[cell if cell.__class__ is str else text(cell) for cell in row] for row in raw]
    if patches:
        _apply(rows, patches, limits)
    kept: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows, 1):
        if any(row):
            kept.append(row)
            numbers.append(number)
    if all(is_blank_row(row) for row in kept):
        raise empty_sheet()
    return Sheet(kept, numbers, workbook.date1904, "xlsx", sheet_name=workbook.sheet_name)


def _closer_look(archive: Archive, workbook: Workbook) -> dict[tuple[int, int], str]:
    sniffer = archive.sniff(workbook.sheet_member, workbook.padded_styles)
    return scan_cells(archive, workbook, sniffer) if sniffer is not None else {}


def is_blank_row(row: list[str]) -> bool:
    return all(not cell or cell.isspace() for cell in row)


_CalamineCell = int | float | str | bool | time | date | datetime | timedelta


def _calamine_rows(data: bytes, name: str, sheet_name: str, limits: ReadLimits) -> list[list[_CalamineCell]]:
    try:
        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet_name)
        end = sheet.end
        if end is None:
            raise empty_sheet()
        check_shape(end[0] + 1, end[1] + 1, limits)
        return sheet.to_python(skip_empty_area=False)
    except DomainError:
        raise
    except python_calamine.PasswordError as exc:
        raise encrypted(name) from exc
    except Exception as exc:  # calamine is a black box: whatever it raises, the file could not be read
        raise damaged(name) from exc
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic surfaces as pyo3's BaseException
            raise damaged(name) from exc
        raise


def check_grid(height: int, width: int, cells: int, limits: ReadLimits) -> None:
    """The dense grid of a sheet (``height`` x ``width``, ``cells`` of them present) fits the limits."""
    check_shape(height, width, limits)
    allowed = min(limits.max_grid_cells, max(limits.min_grid_cells, limits.grid_cells_per_cell * cells))
    if height * width > allowed:
        corner = f"{column_letter(max(width, 1) - 1)}{max(height, 1)}"
        raise TooLarge(
            f"La feuille s'étend jusqu'à la cellule {corner} ({french_count(height)} lignes × {french_count(width)} "
            f"colonnes) mais ne contient que {french_count(cells)} cellules : supprimez les cellules éloignées des "
            "données (dans Excel, Ctrl+Fin montre la dernière cellule utilisée), enregistrez puis déposez à nouveau "
            "le fichier.",
            details=[{"problem": "sheet.sparse", "corner": corner, "cells": cells, "limit": allowed}],
        )


def check_shape(height: int, width: int, limits: ReadLimits) -> None:
    if height > limits.max_rows:
        raise TooLarge(
            f"Le fichier contient {french_count(height)} lignes : au plus {french_count(limits.max_rows)} lignes sont acceptées.",
            details=[{"problem": "sheet.rows", "rows": height, "limit": limits.max_rows}],
        )
    if width > limits.max_columns:
        raise TooLarge(
            f"Le fichier contient {french_count(width)} colonnes (jusqu'à la colonne {column_letter(width - 1)}) : au plus "
            f"{french_count(limits.max_columns)} colonnes sont acceptées ; supprimez les colonnes inutiles.",
            details=[{"problem": "sheet.columns", "columns": width, "limit": limits.max_columns}],
        )


def _apply(rows: list[list[str]], patches: Mapping[tuple[int, int], str], limits: ReadLimits) -> None:
    width = len(rows[0]) if rows else 0
    for (row, column), text in patches.items():
        if row >= len(rows) or column >= width:
            check_shape(max(row + 1, len(rows)), max(column + 1, width), limits)
            while len(rows) <= row:
                rows.append([""] * width)
            if column >= width:
                for line in rows:
                    line.extend([""] * (column + 1 - width))
                width = column + 1
        rows[row][column] = text


class _Renderer:
    """``_text`` with the fast cases first and dates memoised (a date column repeats few distinct days)."""

    def __init__(self) -> None:
        self._dates: dict[date, str] = {}

    def __call__(self, value: object) -> str:
        kind = value.__class__
        if kind is float:
            number: float = value  # type: ignore[assignment]
            return str(int(number)) if number.is_integer() else repr(number)
        if kind is date:
            day: date = value  # type: ignore[assignment]
            text = self._dates.get(day)
            if text is None:
                text = self._dates[day] = _text(day)
            return text
        return _text(value)


def _text(value: object) -> str:
    """A calamine value as the text shown in the cell (integral numbers without ``.0``, dates JJ/MM/AAAA)."""
    kind = value.__class__
    if kind is float:
        number: float = value  # type: ignore[assignment]
        return str(int(number)) if number.is_integer() else repr(number)
    if kind is bool:
        return "VRAI" if value else "FAUX"  # what a French Excel shows
    if kind is datetime:
        moment: datetime = value  # type: ignore[assignment]
        day = f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"
        if moment.time() == time(0, 0):
            return day
        return f"{day} {_clock(moment.time())}"
    if kind is date:
        calendar: date = value  # type: ignore[assignment]
        return f"{calendar.day:02d}/{calendar.month:02d}/{calendar.year:04d}"
    if kind is time:
        return _clock(value)  # type: ignore[arg-type]
    if kind is timedelta:
        seconds = round(value.total_seconds())  # type: ignore[attr-defined]
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


def _clock(moment: time) -> str:
    if moment.second or moment.microsecond:
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}"
