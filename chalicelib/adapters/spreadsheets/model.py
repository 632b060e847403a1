"""What a read returns and the limits it applies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MB = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """What an uploaded file may weigh. Sizes in bytes.

    ``ratio_floor_bytes``: members smaller than this are not ratio-checked (a
    10 kB part of spaces compresses 500 times and harms nobody); the total size
    limit still bounds them.
    """

    max_bytes: int = 250 * MB  # the upload limits (50 MB, 250 MB for antibiograms) come first
    # A legitimate year of antibiograms (150,000 isolates) unzips to about 230 MB of
    # XML at a ratio near 13; a bomb is stopped by the per-member ratio.
    max_uncompressed_bytes: int = 2_000 * MB
    max_compression_ratio: float = 200
    max_members: int = 10_000
    max_rows: int = 1_048_576  # Excel's own limit
    max_columns: int = 1_000
    # The dense grid a reader makes of a sheet (rows x columns, empty cells included) may
    # exceed the cells present 20 times, 1 million cells whatever the file, and never
    # 40 million (about 1.3 GB in calamine; a million isolates make 33 million).
    grid_cells_per_cell: int = 20
    min_grid_cells: int = 1_000_000
    max_grid_cells: int = 40_000_000
    ratio_floor_bytes: int = 1 * MB


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet, as text.

    ``rows`` are rectangular and exclude rows where every cell is empty;
    ``row_numbers[i]`` is the 1-based spreadsheet row number of ``rows[i]`` (for
    a CSV, the record number, as Excel would show it). Column ``j`` of a row is
    spreadsheet column ``j`` (A = 0) for an XLSX. ``date1904`` tells how to read
    Excel date serials typed as plain numbers.
    """

    rows: list[list[str]]
    row_numbers: list[int]
    date1904: bool
    format: Literal["xlsx", "csv"]
    sheet_name: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
