"""A closer look at the cells the byte searches pointed at."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from xml.parsers import expat

from chalicelib.adapters.spreadsheets.archive import (
    ERROR_DOUBLE,
    ERROR_SINGLE,
    FORMULA_END_NO_VALUE,
    NAMESPACE_PREFIX,
    SHARED_CHILD_NO_VALUE,
    Archive,
    SheetSniffer,
)
from chalicelib.adapters.spreadsheets.messages import french_count, refused
from chalicelib.adapters.spreadsheets.workbook import Workbook
from chalicelib.domain.cells import column_letter

# --------------------------------------------------------------------------- XLSX: a closer look at some cells

_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _column_index(letters: str) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column - 1


def _split_ref(ref: str) -> tuple[int, int] | None:
    """``"C12"`` → (11, 2), 0-based (row, column)."""
    match = _REF.fullmatch(ref)
    if match is None:
        return None
    return int(match.group(2)) - 1, _column_index(match.group(1))


def _ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


class _Findings:
    """What a look at the cells found: formulas without value, and texts replacing calamine's."""

    def __init__(self, padded_styles: Mapping[int, int]) -> None:
        self.padded = padded_styles
        self.missing_refs: list[str] = []
        self.missing_count = 0
        self.patches: dict[tuple[int, int], str] = {}

    def judge(self, row: int, column: int, kind: str, style: str, has_formula: bool, has_value: bool, value: str) -> None:
        if has_formula and (not has_value or (not value.strip() and kind != "str")):
            # No value, or an empty one for a non-text result: nothing ever computed this formula.
            self.missing_count += 1
            if len(self.missing_refs) < 20:
                self.missing_refs.append(_ref(row, column))
        elif kind == "e" and value:
            self.patches[(row, column)] = value  # calamine reads error cells (#N/A...) as empty
        elif kind == "n" and value and style.isdigit() and int(style) in self.padded:
            number = float(value)
            if number.is_integer() and number >= 0:
                self.patches[(row, column)] = str(int(number)).zfill(self.padded[int(style)])


class _CellsWithoutReference(Exception):
    """A cell of interest has no ``r`` attribute: only a full walk can tell where it is."""


_TAG_NAME = re.compile(rb"/?([\w.:\-]+)")
_ATTRIBUTE = re.compile(rb"([\w.:\-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_HAS_FORMULA = re.compile(rb"<" + NAMESPACE_PREFIX + rb"f[\s>/]")
_VALUE = re.compile(rb"<" + NAMESPACE_PREFIX + rb"v(?:\s[^<>]*)?(?:/>|>([^<]*)</)")


def _row_blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Sheet XML cut after row ends, so that no cell straddles two blocks."""
    carry = b""
    for piece in chunks:
        buffer = carry + piece if carry else piece
        cut = buffer.rfind(b"</row>")
        cut = cut + 6 if cut >= 0 else buffer.rfind(b":row>") + 5  # prefixed </x:row>; -1 + 5 = 4 means none
        if cut > 4:
            yield buffer[:cut]
            carry = buffer[cut:]
        else:
            carry = buffer
    if carry:
        yield carry


def _cell_around(block: bytes, position: int) -> tuple[int, bytes, bytes] | None:
    """Where the ``<c>`` element containing ``position`` starts, its start tag and its body, if any."""
    index = position
    while True:
        index = block.rfind(b"<", 0, index)
        if index < 0:
            return None
        name = _TAG_NAME.match(block, index + 1)
        if name is None:
            return None
        local = name.group(1).rpartition(b":")[2]
        closing = block[index + 1 : index + 2] == b"/"
        if local == b"c" and not closing:
            break
        if local in (b"c", b"row", b"sheetData"):
            return None
    start_end = block.find(b">", index)
    if start_end < 0:
        return None
    start_tag = block[index:start_end]
    if start_tag.endswith(b"/"):
        return (index, start_tag, b"") if position < start_end else None
    close = block.find(b"</" + name.group(1) + b">", start_end)
    if close < 0 or position > close:
        return None
    return index, start_tag, block[start_end + 1 : close]


def _targeted_scan(archive: Archive, member: str, sniffer: SheetSniffer, findings: _Findings) -> None:
    """Judge only the cells the sniffer's patterns point at, found with fast literal searches."""
    patterns: list[re.Pattern[bytes]] = []
    if sniffer.formula_candidates:
        patterns += [FORMULA_END_NO_VALUE, SHARED_CHILD_NO_VALUE]
    if sniffer.error_candidates:
        patterns += [ERROR_DOUBLE, ERROR_SINGLE] if sniffer.single_quotes else [ERROR_DOUBLE]
    canonical = _canonical_padded(findings.padded)
    for block in _row_blocks(archive.chunks(member)):
        block_patterns = patterns
        if sniffer.padded is not None and sniffer.padded_candidates:
            # A column of zero-padded codes has a styled cell per row: read the usual
            # <c r=".." s=".." t="n"><v>..</v></c> in one pass, and judge cell by cell
            # only a block where some styled cell has another shape.
            cells = canonical.findall(block)
            if len(cells) == len(sniffer.padded.findall(block)):
                _pad_canonical(cells, findings)
            else:
                block_patterns = [*patterns, sniffer.padded]
        starts: set[int] = set()
        for pattern in block_patterns:
            for match in pattern.finditer(block):
                cell = _cell_around(block, match.start())
                if cell is None:
                    continue
                start, start_tag, body = cell
                if start not in starts:  # one cell may match several patterns
                    starts.add(start)
                    _judge_fragment(start_tag, body, findings)


def _canonical_padded(padded_styles: Mapping[int, int]) -> re.Pattern[bytes]:
    styles = b"|".join(str(style).encode() for style in padded_styles) or b"-"
    return re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + styles + rb')"(?: t="n")?><v>([^<]*)</v></c>')


def _pad_canonical(cells: list[tuple[bytes, bytes, bytes, bytes]], findings: _Findings) -> None:
    """The fast path of ``_Findings.judge`` for plain numeric cells (tens of thousands per column)."""
    columns: dict[bytes, int] = {}
    widths = {str(style).encode(): width for style, width in findings.padded.items()}
    patches = findings.patches
    for letters, digits, style, value in cells:
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_index(letters.decode())
        if value.isdigit():
            patches[(int(digits) - 1, column)] = value.decode().lstrip("0").zfill(widths[style])
        else:
            findings.judge(int(digits) - 1, column, "n", style.decode(), False, True, value.decode())


def _judge_fragment(start_tag: bytes, body: bytes, findings: _Findings) -> None:
    attributes = {
        match.group(1).rpartition(b":")[2]: (match.group(2) if match.group(2) is not None else match.group(3))
        for match in _ATTRIBUTE.finditer(start_tag)
    }
    position = _split_ref(attributes.get(b"r", b"").decode("ascii", "replace"))
    if position is None:
        raise _CellsWithoutReference
    value = _VALUE.search(body)
    text = html.unescape((value.group(1) or b"").decode("utf-8", "replace")) if value else ""
    findings.judge(
        position[0],
        position[1],
        attributes.get(b"t", b"n").decode("ascii", "replace"),
        attributes.get(b"s", b"").decode("ascii", "replace"),
        _HAS_FORMULA.search(body) is not None,
        value is not None,
        text,
    )


class _CellWalk:
    """Full streaming walk of the sheet XML with expat: the fallback when cells lack references."""

    def __init__(self, findings: _Findings) -> None:
        self.findings = findings
        self._in_data = False
        self._row = -1
        self._column = -1
        self._type = "n"
        self._style = ""
        self._has_formula = False
        self._has_value = False
        self._in_value = False
        self._value: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        if local == "c" and self._in_data:
            position = _split_ref(attrs.get("r", ""))
            if position is None:
                self._column += 1
            else:
                self._row, self._column = position
            self._type = attrs.get("t", "n")
            self._style = attrs.get("s", "")
            self._has_formula = self._has_value = False
            self._value = []
        elif local == "row" and self._in_data:
            number = attrs.get("r", "")
            self._row = int(number) - 1 if number.isdigit() else self._row + 1
            self._column = -1
        elif local == "f":
            self._has_formula = True
        elif local == "v":
            self._has_value = self._in_value = True
        elif local == "sheetData":
            self._in_data = True

    def end(self, tag: str) -> None:
        local = tag.rpartition(":")[2]
        if local == "v":
            self._in_value = False
        elif local == "c" and self._in_data:
            value = "".join(self._value)
            self.findings.judge(self._row, self._column, self._type, self._style, self._has_formula, self._has_value, value)
        elif local == "sheetData":
            self._in_data = False

    def text(self, data: str) -> None:
        if self._in_value:
            self._value.append(data)


def _walk_cells(archive: Archive, member: str, findings: _Findings) -> None:
    walk = _CellWalk(findings)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.CharacterDataHandler = walk.text
    for piece in archive.chunks(member):
        parser.Parse(piece, False)
    parser.Parse(b"", True)


def scan_cells(archive: Archive, workbook: Workbook, sniffer: SheetSniffer) -> dict[tuple[int, int], str]:
    """Texts replacing calamine's for some cells; refuses formulas without a cached value."""
    findings = _Findings(workbook.padded_styles)
    try:
        _targeted_scan(archive, workbook.sheet_member, sniffer, findings)
    except _CellsWithoutReference:
        findings = _Findings(workbook.padded_styles)
        _walk_cells(archive, workbook.sheet_member, findings)
    if findings.missing_count:
        refs = findings.missing_refs
        if findings.missing_count == 1:
            subject = f"La cellule {refs[0]} contient une formule sans valeur calculée"
        else:
            more = f"… ({french_count(findings.missing_count)} au total)" if findings.missing_count > len(refs) else ""
            subject = f"Les cellules {', '.join(refs)}{more} contiennent des formules sans valeur calculée"
        raise refused(
            f"{subject} : ouvrez le fichier dans Excel, enregistrez-le puis réimportez-le.",
            "xlsx.formula_without_value",
            cells=refs,
            count=findings.missing_count,
            sheet=workbook.sheet_name,
        )
    return findings.patches
