"""LakeWriter with DuckDB: rows to Parquet without pyarrow (which does not fit
in the Lambda package beside the rest, see ARCHITECTURE.md "Limits").

Rows go through a temporary CSV that DuckDB reads with explicit types, the
fastest path from Python rows into DuckDB without pandas or pyarrow.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from typing import Any

import duckdb

#: The csv module doubles the quotes inside a quoted field; DuckDB must read them so.
QUOTE = '"'


class DuckDbLakeWriter:
    def parquet(self, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> bytes:
        with tempfile.TemporaryDirectory(prefix="consores-lake-") as work:
            source, target = os.path.join(work, "rows.csv"), os.path.join(work, "rows.parquet")
            with open(source, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow([name for name, _ in columns])
                writer.writerows(["" if v is None else v for v in row] for row in rows)
            types = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in columns)
            connection = duckdb.connect()
            try:
                # Both paths are ours (a fresh temporary directory), never user input.
                source_sql = (
                    f"read_csv('{_quoted(source)}', header = true, auto_detect = false, quote = '{QUOTE}', escape = '{QUOTE}', "
                    f"columns = {{{types}}}, nullstr = '')"
                )
                connection.execute(f"COPY (SELECT * FROM {source_sql}) TO '{_quoted(target)}' (FORMAT parquet, COMPRESSION zstd)")  # noqa: S608
            finally:
                connection.close()
            with open(target, "rb") as handle:
                return handle.read()


def _quoted(path: str) -> str:
    return path.replace("'", "''")
