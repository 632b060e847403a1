"""A sheet's grid is measured before calamine makes it: a few cells far apart are refused in French,
never a process that aborts (DOMAIN.md §10.2)."""

from __future__ import annotations

import random

import pytest

from chalicelib.adapters.spreadsheets import read_table
from chalicelib.adapters.spreadsheets.extent import Extent, ExtentScan, exact_extent
from chalicelib.domain.errors import TooLarge, Unprocessable
from tests.support import bad_files

HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>code_uf</t></is></c><c r="B1" t="inlineStr"><is><t>lits</t></is></c></row>'


def refusal(data: bytes) -> TooLarge:
    with pytest.raises(TooLarge) as raised:
        read_table(data, "lits.xlsx")
    return raised.value


def test_one_cell_at_all1048576_beside_a_header_is_refused_before_any_grid() -> None:
    error = refusal(bad_files.far_cell_xlsx())
    assert error.details[0]["problem"] == "sheet.sparse"
    assert "ALL1048576" in error.message and "Ctrl+Fin" in error.message


def test_a_far_cell_is_found_wherever_it_stands_in_the_sheet() -> None:
    middle = '<row r="2"><c r="A2"><v>1</v></c><c r="ZZ2"><v>1</v></c></row><row r="900000"><c r="B900000"><v>2</v></c></row>'
    assert refusal(bad_files.sheet_xlsx(HEADER + middle + '<row r="3"><c r="A3"><v>3</v></c></row>')).details[0][
        "problem"
    ] == "sheet.sparse"


def test_cells_and_rows_without_references_are_placed_as_calamine_places_them() -> None:
    empty_rows = "<row></row>" * 80_000  # under the ratio check's floor: the grid is what refuses it
    wide = "<row>" + "<c><v>1</v></c>" * 900 + "</row>"
    assert refusal(bad_files.sheet_xlsx(HEADER + wide + empty_rows + "<row><c><v>2</v></c></row>")).details[0][
        "problem"
    ] == "sheet.sparse"


def test_a_prefixed_cell_is_no_way_around() -> None:
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = HEADER + f'<row r="1048576"><x:c xmlns:x="{namespace}" r="ALL1048576"><x:v>1</x:v></x:c></row>'
    with pytest.raises((TooLarge, Unprocessable)):  # too large, or damaged: never read
        read_table(bad_files.sheet_xlsx(sheet), "lits.xlsx")


def test_a_reference_with_leading_zeros_is_a_damaged_file() -> None:
    sheet = HEADER + '<row r="2"><c r="A00000000000001048576"><v>1</v></c></row>'
    with pytest.raises((TooLarge, Unprocessable)) as raised:
        read_table(bad_files.sheet_xlsx(sheet), "lits.xlsx")
    assert raised.value.details[0]["problem"] in {"file.damaged", "sheet.sparse"}


def test_a_lying_dimension_changes_nothing() -> None:
    assert refusal(bad_files.sheet_xlsx(HEADER + '<row r="1048576"><c r="ALL1048576"><v>1</v></c></row>', dimension="A1:B1"))


def test_sparse_but_reasonable_sheets_are_read() -> None:
    sheet = read_table(bad_files.sparse_xlsx(), "lits.xlsx")
    assert sheet.rows[0][1:3] == ["code_uf", "lits"]


def random_sheet(rng: random.Random) -> str:
    rows = []
    for number in sorted(rng.sample(range(1, 400), rng.randint(1, 40))):
        columns = sorted(rng.sample(range(1, 60), rng.randint(1, 8)))
        cells = "".join(f'<c r="{_letters(c)}{number}" t="n"><v>{rng.randint(0, 99)}</v></c>' for c in columns)
        rows.append(f'<row r="{number}">{cells}</row>')
    return "".join(rows)


def _letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


@pytest.mark.parametrize("seed", range(30))
def test_the_fast_measure_equals_the_exact_one_however_the_sheet_is_cut(seed: int) -> None:
    rng = random.Random(seed)
    data = random_sheet(rng).encode()
    pieces, position = [], 0
    while position < len(data):
        size = rng.choice((1, 7, 33, 500, 4096))
        pieces.append(data[position : position + size])
        position += size
    scan = ExtentScan()
    for piece in pieces:
        scan.feed(piece)
    fast = scan.finish()
    exact = exact_extent([b"<sheetData>", data, b"</sheetData>"])
    assert fast is not None
    assert (fast.rows, fast.columns, fast.cells) == (exact.rows, exact.columns, exact.cells)


def test_an_extent_names_its_corner() -> None:
    assert Extent(1048576, 1000, 3).corner == "ALL1048576"


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A2" r="ALL1048576"><v>1</v></c>',  # calamine keeps the last r
        '<c r="A2" s="0" r="ALL1048576"><v>1</v></c>',
        '<c r="A2"r="ALL1048576"><v>1</v></c>',
        '<c r="A2" r ="ALL1048576"><v>1</v></c>',
        "<c r='ALL1048576'><v>1</v></c>",
    ],
)
def test_a_second_or_odd_reference_is_never_trusted_to_the_fast_measure(cell: str) -> None:
    sheet = (HEADER + f'<row r="2">{cell}</row>').encode()
    scan = ExtentScan()
    scan.feed(b"<sheetData>" + sheet + b"</sheetData>")
    assert scan.finish() is None  # the exact path decides (and refuses what expat cannot read)


def test_a_prefixed_cell_at_a_chunk_boundary_is_seen() -> None:
    filler = HEADER.encode() + b"<!--" + b"x" * (1 << 20) + b"-->"
    sheet = b"<sheetData>" + filler + b'<row r="1048576"><x:c r="ALL1048576"><v>1</v></x:c></row></sheetData>'
    at = sheet.index(b":c")
    for cut in range(at - 40, at + 4):  # the colon on every side of a chunk boundary
        scan = ExtentScan()
        scan.feed(sheet[:cut])
        scan.feed(sheet[cut:])
        assert scan.finish() is None, cut
