"""ColumnarLakeWriter with DuckDB: Parquet from columns, and long results from result strings.

The resistance import keeps its isolates as columns (``domain/resistance/table.py``):
one list per field, and one fixed-width string of result characters per isolate.
Three writes serve it without building a Python tuple per lake row:

* ``columns_parquet``: each column is turned into CSV fields once per distinct
  value (codes, ids and pseudonyms as they are), the lines are joined in C, and
  DuckDB reads the CSV with explicit types;
* ``joined_parquet``: a Parquet file joined, row for row, with columns given
  as above (the isolates file: what the deduplication decides, joined to the
  columns written while it ran);
* ``unpivoted_parquet``: a two-column CSV (id, result string) that DuckDB cuts
  into one column per antibiotic and UNPIVOTs into long rows (id × antibiotic ×
  value); untested characters make no row. 150,000 isolates × 25 antibiotics
  (2.1 million rows): about 0.1 s of Python and 0.6 s of DuckDB, where building
  the rows as tuples and writing them through ``csv`` took seconds.

No pyarrow (see ARCHITECTURE.md "Limits"). Values reach SQL as parameters; only
column names and SQL types (the caller's constants) and our temporary paths are
written into the statements, quoted.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import islice
from typing import Any

import duckdb


class DuckDbColumnarWriter:
    def columns_parquet(self, columns: Sequence[tuple[str, str]], data: Sequence[Sequence[Any]]) -> bytes:
        """Parquet of ``data`` given column by column, in the order of ``columns`` ((name, SQL type) pairs).

        None is NULL (so is an empty string); booleans, numbers, dates and text as Python gives them.
        The file's rows are in no particular order.
        """
        if len(data) != len(columns):
            raise ValueError(f"{len(data)} columns of data for {len(columns)} columns")
        with tempfile.TemporaryDirectory(prefix="consores-lake-") as work:
            source, target = os.path.join(work, "rows.csv"), os.path.join(work, "rows.parquet")
            select = f"SELECT * FROM {_columns_csv(source, columns, data)}"  # noqa: S608
            _copy(select, [], target)
            with open(target, "rb") as handle:
                return handle.read()

    def joined_parquet(
        self,
        columns: Sequence[tuple[str, str]],
        base: bytes,
        on: str,
        data_columns: Sequence[tuple[str, str]],
        data: Sequence[Sequence[Any]],
    ) -> bytes:
        """Parquet of the rows of ``base`` (Parquet bytes) each joined, on column ``on``, with its row of ``data``.

        ``data`` is given column by column (``data_columns``: its (name, SQL type) pairs, ``on`` among
        them); the output has the columns named in ``columns``, in that order, each taken from ``data``
        when it has it, else from ``base``. Each side's ``on`` values must be distinct and the same set:
        ValueError otherwise (no row is dropped or repeated silently).
        """
        if len(data) != len(data_columns):
            raise ValueError(f"{len(data)} columns of data for {len(data_columns)} columns")
        names = [name for name, _ in data_columns]
        if on not in names:
            raise ValueError(f"{on!r} is not a column of data")
        keys = data[names.index(on)]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{on!r} repeats in data")
        with tempfile.TemporaryDirectory(prefix="consores-lake-") as work:
            base_path, source, target = (os.path.join(work, name) for name in ("base.parquet", "data.csv", "joined.parquet"))
            with open(base_path, "wb") as handle:
                handle.write(base)
            chosen = ", ".join(f"{'d' if name in names else 'b'}.{_name(name)}" for name, _ in columns)
            select = (
                f"SELECT {chosen} FROM read_parquet({_literal(base_path)}) AS b "  # noqa: S608
                f"JOIN {_columns_csv(source, data_columns, data)} AS d ON b.{_name(on)} = d.{_name(on)}"
            )
            connection = duckdb.connect()
            try:
                sizes = connection.execute(
                    f"SELECT count(*), count(DISTINCT {_name(on)}) FROM read_parquet({_literal(base_path)})"  # noqa: S608
                ).fetchone()
            finally:
                connection.close()
            written = _copy(select, [], target)
            if sizes is None or not sizes[0] == sizes[1] == written == len(keys):
                raise ValueError(f"the join of {sizes} base rows with {len(keys)} rows of data gave {written} rows")
            with open(target, "rb") as handle:
                return handle.read()

    def unpivoted_parquet(
        self,
        columns: Sequence[tuple[str, str]],
        constants: Sequence[Any],
        ids: Sequence[str],
        codes: Sequence[str],
        cells: Sequence[str],
        symbols: Mapping[str, str],
    ) -> bytes:
        """Long rows ``(*constants, id, code, value)`` from fixed-width strings, as Parquet.

        ``cells[n]`` holds one character per code for ``ids[n]`` (``codes[k]`` is
        the code of position ``k``); each character found in ``symbols`` (character
        -> value) makes one row, the others (not tested) none; the file's rows are in
        no particular order. ``columns``: the output's (name, SQL type) pairs,
        the constants' first, then the id's, the code's and the value's.
        """
        if len(columns) != len(constants) + 3:
            raise ValueError("columns: one per constant, then id, code and value")
        if len(ids) != len(cells):
            raise ValueError(f"{len(ids)} ids for {len(cells)} result strings")
        if not symbols:
            raise ValueError("no symbols")
        if not codes or not ids:  # no isolate, or none with a result: no row
            return self.columns_parquet(columns, [[] for _ in columns])
        if "row_id" in codes:
            raise ValueError("'row_id' cannot be a code")
        with tempfile.TemporaryDirectory(prefix="consores-lake-") as work:
            source, target = os.path.join(work, "cells.csv"), os.path.join(work, "long.parquet")
            with open(source, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["row_id", "cells"])
                writer.writerows(zip(ids, cells, strict=True))
            *fixed, (id_name, id_type), (code_name, code_type), (value_name, value_type) = columns
            parameters: list[Any] = list(constants)
            head = ", ".join(f"CAST(? AS {sql_type}) AS {_name(name)}" for name, sql_type in fixed)
            wide = ", ".join(f"substr(cells, {position + 1}, 1) AS {_name(code)}" for position, code in enumerate(codes))
            cases = " ".join("WHEN ? THEN ?" for _ in symbols)
            for symbol, value in symbols.items():
                parameters += [symbol, value]
            parameters.append(list(symbols))
            source_sql = _read_csv(source, "'row_id': 'VARCHAR', 'cells': 'VARCHAR'")
            values = f"CAST(CASE symbol_cell {cases} END AS {value_type}) AS {_name(value_name)}"
            unpivoted = (
                f"UNPIVOT (SELECT row_id, {wide} FROM {source_sql}) "  # noqa: S608
                "ON COLUMNS(* EXCLUDE row_id) INTO NAME code_column VALUE symbol_cell"
            )
            select = (
                f"SELECT {head}{', ' if head else ''}CAST(row_id AS {id_type}) AS {_name(id_name)}, "  # noqa: S608
                f"CAST(code_column AS {code_type}) AS {_name(code_name)}, {values} "
                f"FROM ({unpivoted}) WHERE list_contains(?, symbol_cell)"
            )
            _copy(select, parameters, target)
            with open(target, "rb") as handle:
                return handle.read()


def _columns_csv(path: str, columns: Sequence[tuple[str, str]], data: Sequence[Sequence[Any]]) -> str:
    """Write ``data`` (column by column) as CSV at ``path``; the SQL reading it with ``columns``' types."""
    lines = map(",".join, zip(*map(_csv_texts, data), strict=True))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(",".join(_csv_text(name) for name, _ in columns) + "\n")
        while chunk := list(islice(lines, _CHUNK)):  # a chunk at a time: a million rows are 250 MB of text
            handle.write("\n".join(chunk))
            handle.write("\n")
    types = ", ".join(f"{_literal(name)}: {_literal(sql_type)}" for name, sql_type in columns)
    return _read_csv(path, types)


def _csv_texts(column: Sequence[Any]) -> Sequence[str]:
    """A column's CSV fields, converted once per distinct value (one type per column, and None)."""
    distinct = set(column)
    strings = [value for value in distinct if isinstance(value, str)]
    if len(strings) + (None in distinct) == len(distinct) and not _CSV_SPECIAL.search("".join(strings)):
        # Text needing no quotes (codes, ids, pseudonyms): as it is, None as an empty field.
        return column if None not in distinct else ["" if value is None else value for value in column]
    if set(map(type, distinct)) <= {int, type(None)}:  # integers (row numbers...): str() in C, not one call each
        return list(map(str, column)) if None not in distinct else ["" if value is None else str(value) for value in column]
    texts = {value: _csv_text(value) for value in distinct}
    return list(map(texts.__getitem__, column))


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    text = value.isoformat() if isinstance(value, date) else str(value)
    if _CSV_SPECIAL.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


_CHUNK = 50_000
_CSV_SPECIAL = re.compile(r'[,"\r\n]')


def _copy(select: str, parameters: list[Any], target: str) -> int:
    """Write the rows of ``select`` as Parquet at ``target``; the number of rows written."""
    connection = duckdb.connect()
    try:
        # Keeping the input's order makes DuckDB hold the unpivoted rows of every thread until their
        # turn (2 GB for a million isolates, against 0.2 GB without); readers never rely on file order.
        connection.execute("SET preserve_insertion_order = false")
        copied = connection.execute(f"COPY ({select}) TO {_literal(target)} (FORMAT parquet, COMPRESSION zstd)", parameters)
        found = copied.fetchone()
        return int(found[0]) if found else 0
    finally:
        connection.close()


def _read_csv(path: str, types: str) -> str:
    """Our CSV as Python's csv module writes it: "" escapes a quote; an empty field is NULL."""
    return (
        f"read_csv({_literal(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {{{types}}}, nullstr = '')"
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
