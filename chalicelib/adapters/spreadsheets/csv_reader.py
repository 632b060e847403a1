"""Reading a CSV: delimiter, encoding, quoting."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter

from chalicelib.adapters.spreadsheets.messages import empty_sheet, french_count, refused
from chalicelib.adapters.spreadsheets.model import ReadLimits, Sheet
from chalicelib.adapters.spreadsheets.xlsx import check_grid, check_shape, is_blank_row
from chalicelib.domain.errors import TooLarge, Unprocessable

# --------------------------------------------------------------------------- CSV

_DELIMITERS = (";", "\t", ",")  # ties go to the first: French exports use ";"


def read_csv(data: bytes, name: str, limits: ReadLimits) -> Sheet:
    text, encoding = _decode(data, name)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    widths: list[int] = []  # fields of each non-blank record as written, trailing empty ones included
    width = 0
    record = 0
    while True:
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _bad_csv(name, first_line, str(exc)) from exc
        record += 1
        if record > limits.max_rows:
            raise TooLarge(
                f"Le fichier contient plus de {french_count(limits.max_rows)} lignes : au plus "
                f"{french_count(limits.max_rows)} lignes sont acceptées.",
                details=[{"problem": "sheet.rows", "limit": limits.max_rows}],
            )
        written = len(row)
        while row and not row[-1]:
            row.pop()
        if not row:
            continue
        widths.append(written)
        if len(row) > width:
            width = len(row)
            check_shape(record, width, limits)
        rows.append(row)
        numbers.append(record)
    if all(is_blank_row(row) for row in rows):
        raise empty_sheet()
    _refuse_odd_lines(name, rows, numbers, widths, delimiter)
    check_grid(len(rows), width, sum(map(len, rows)), limits)  # before every row is padded to the width
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return Sheet(rows, numbers, False, "csv", encoding=encoding, delimiter=delimiter)


def _refuse_odd_lines(name: str, rows: list[list[str]], numbers: list[int], widths: list[int], delimiter: str) -> None:
    """Lines that disagree with the file's column count (the most common one) refuse the file,
    listed: a filled field beyond the others', or fewer fields but as many when split by another separator
    (a line written with "," among ";"). A shorter line otherwise (a title, trailing empty
    cells left out) is read as it is. No line is ever dropped silently."""
    if not widths:
        return
    counted = Counter(widths)
    usual = max(counted, key=lambda width: (counted[width], width))  # ties: the widest
    others = [d for d in _DELIMITERS if d != delimiter]
    odd: list[int] = []
    for row, number, width in zip(rows, numbers, widths, strict=True):
        if len(row) > usual or (width < usual and any(len(delimiter.join(row).split(other)) >= usual > 1 for other in others)):
            odd.append(number)
    if odd:
        shown = ", ".join(str(n) for n in odd[:20]) + (" …" if len(odd) > 20 else "")
        raise refused(
            f"Le fichier CSV « {name} » n'a pas le même nombre de colonnes sur toutes ses lignes : "
            f"{french_count(len(odd))} ligne{'s' if len(odd) > 1 else ''} (n° {shown}) "
            f"n'{'ont' if len(odd) > 1 else 'a'} pas les {usual} colonnes des autres, séparées par « {delimiter} ». "
            "Vérifiez qu'un seul séparateur est utilisé dans tout le fichier (; ou ,) et les guillemets, ou "
            "enregistrez-le depuis Excel.",
            "csv.columns",
            lines=odd[:100],
            count=len(odd),
        )


def _bad_csv(name: str, line: int, reason: str) -> Unprocessable:
    if "unexpected end of data" in reason:
        detail = "un guillemet ouvert n'est jamais refermé"
    elif "expected after" in reason:
        detail = "un guillemet fermant est suivi d'autres caractères"
    elif "field larger than field limit" in reason:
        detail = "une cellule est démesurément longue"
    else:
        detail = "la ligne est mal formée"
    return refused(
        f"Le fichier CSV « {name} » est mal formé à partir de la ligne {line} ({detail}) : vérifiez les "
        "guillemets ou enregistrez-le depuis Excel au format CSV.",
        "csv.syntax",
        line=line,
    )


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 — all strictly."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(name, data, exc.start) from exc
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if len(body) != len(data):  # a UTF-8 BOM, then bytes that are not UTF-8
            raise _undecodable(name, body, exc.start) from exc
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(name, data, exc.start) from exc


def _undecodable(name: str, data: bytes, position: int) -> Unprocessable:
    line = data.count(b"\n", 0, position) + 1
    return refused(
        f"Le fichier CSV « {name} » n'est ni en UTF-8 ni en Windows-1252 (octet 0x{data[position]:02X} illisible "
        f"à la ligne {line}) : enregistrez-le depuis Excel au format « CSV UTF-8 » puis réimportez-le.",
        "csv.encoding",
        line=line,
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the first non-empty line that contains one (outside quotes); ``;`` by default."""
    for line in text[:65536].splitlines()[:20]:
        if not line.strip():
            continue
        counts = _count_outside_quotes(line)
        best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
        if counts[best]:
            return best
    return ";"


def _count_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts
