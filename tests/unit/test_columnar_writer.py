"""The DuckDB columnar writer: Parquet from columns, and long results from result strings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from chalicelib.adapters.duckdb_results_writer import DuckDbColumnarWriter

RESULTS = (("finess", "VARCHAR"), ("period", "VARCHAR"), ("isolate_id", "VARCHAR"), ("antibiotic", "VARCHAR"), ("sir", "VARCHAR"))


def rows_of(data: bytes, tmp_path: Path) -> tuple[list[tuple], list[tuple[str, str]]]:
    path = tmp_path / "part.parquet"
    path.write_bytes(data)
    connection = duckdb.connect()
    try:
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        return connection.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall(), [(d[0], d[1]) for d in described]
    finally:
        connection.close()


def test_columns_become_typed_parquet_rows(tmp_path):
    columns = (("id", "VARCHAR"), ("age", "INTEGER"), ("kept", "BOOLEAN"), ("day", "DATE"), ("note", "VARCHAR"))
    data = [
        ["u1:2", "u1:3", "u1:4", "u1:5"],
        [70, None, 0, 120],
        [True, False, None, True],
        [date(2025, 1, 5), date(2025, 1, 5), date(2025, 12, 31), date(2025, 2, 1)],
        ['a, "quoted"\nline', None, "", "négatif"],
    ]
    rows, described = rows_of(DuckDbColumnarWriter().columns_parquet(columns, data), tmp_path)
    assert described == list(columns)
    assert sorted(rows) == [
        ("u1:2", 70, True, date(2025, 1, 5), 'a, "quoted"\nline'),
        ("u1:3", None, False, date(2025, 1, 5), None),
        ("u1:4", 0, None, date(2025, 12, 31), None),  # an empty text is NULL, as in the row writer
        ("u1:5", 120, True, date(2025, 2, 1), "négatif"),
    ]


def test_no_rows_make_an_empty_file(tmp_path):
    rows, described = rows_of(DuckDbColumnarWriter().columns_parquet((("id", "VARCHAR"),), [[]]), tmp_path)
    assert rows == [] and described == [("id", "VARCHAR")]


def test_result_strings_unpivot_into_long_rows(tmp_path):
    data = DuckDbColumnarWriter().unpivoted_parquet(
        RESULTS, ("440000990", "2025"), ["u1:2", "u1:3", "u1:4"], ["AMX", "CIP", "CTX"], ["R-I", "---", "SSR"],
        {"S": "S", "I": "SFP", "R": "R"},
    )  # fmt: skip
    rows, described = rows_of(data, tmp_path)
    assert described == list(RESULTS)
    assert sorted(rows) == [
        ("440000990", "2025", "u1:2", "AMX", "R"),
        ("440000990", "2025", "u1:2", "CTX", "SFP"),
        ("440000990", "2025", "u1:4", "AMX", "S"),
        ("440000990", "2025", "u1:4", "CIP", "S"),
        ("440000990", "2025", "u1:4", "CTX", "R"),
    ]


def test_odd_codes_and_values_are_data_not_sql(tmp_path):
    data = DuckDbColumnarWriter().unpivoted_parquet(
        RESULTS, ("it's", "2025"), ['u"1,2'], ['A"B', "C'D"], ["xy"], {"x": "'; DROP", "y": "ok"}
    )
    rows, _ = rows_of(data, tmp_path)
    assert sorted(rows) == [("it's", "2025", 'u"1,2', 'A"B', "'; DROP"), ("it's", "2025", 'u"1,2', "C'D", "ok")]


def test_unpivot_checks_its_shapes():
    writer = DuckDbColumnarWriter()
    with pytest.raises(ValueError, match="constant"):
        writer.unpivoted_parquet(RESULTS, ("a",), [], ["AMX"], [], {"S": "S"})
    with pytest.raises(ValueError, match="ids"):
        writer.unpivoted_parquet(RESULTS, ("a", "b"), ["u1:2"], ["AMX"], [], {"S": "S"})


def test_no_result_strings_make_an_empty_file(tmp_path):
    writer = DuckDbColumnarWriter()
    for ids, codes, cells in (([], ["AMX"], []), (["u1:2"], [], [""])):
        rows, described = rows_of(writer.unpivoted_parquet(RESULTS, ("a", "b"), ids, codes, cells, {"S": "S"}), tmp_path)
        assert rows == [] and described == list(RESULTS)


BASE = (("row", "INTEGER"), ("id", "VARCHAR"), ("day", "DATE"))
DECIDED = (("row", "INTEGER"), ("kept", "BOOLEAN"), ("note", "VARCHAR"))


def a_base() -> bytes:
    return DuckDbColumnarWriter().columns_parquet(BASE, [[2, 3, 4], ["u1:2", "u1:3", "u1:4"], [date(2025, 1, 5)] * 3])


def test_columns_are_joined_row_for_row_to_a_parquet_file_in_the_order_asked(tmp_path):
    wanted = (("id", "VARCHAR"), ("kept", "BOOLEAN"), ("day", "DATE"), ("note", "VARCHAR"))
    joined = DuckDbColumnarWriter().joined_parquet(
        wanted, a_base(), "row", DECIDED, [[4, 2, 3], [True, None, False], ["x", "", "y"]]
    )
    rows, described = rows_of(joined, tmp_path)
    assert described == list(wanted)
    assert sorted(rows) == [
        ("u1:2", None, date(2025, 1, 5), None),
        ("u1:3", False, date(2025, 1, 5), "y"),
        ("u1:4", True, date(2025, 1, 5), "x"),
    ]


@pytest.mark.parametrize(
    "rows",
    [[2, 3], [2, 3, 4, 5], [2, 3, 9], [2, 2, 3]],
    ids=["a row of the file without data", "data without its row", "a row unknown to the file", "a row twice in the data"],
)
def test_a_join_that_would_drop_or_repeat_a_row_is_refused(rows):
    data = [rows, [True] * len(rows), ["x"] * len(rows)]
    with pytest.raises(ValueError):
        DuckDbColumnarWriter().joined_parquet(BASE, a_base(), "row", DECIDED, data)


def test_a_file_whose_rows_repeat_is_not_joined():
    doubled = DuckDbColumnarWriter().columns_parquet(BASE, [[2, 2, 3], ["u1:2", "u1:2", "u1:3"], [date(2025, 1, 5)] * 3])
    with pytest.raises(ValueError):
        DuckDbColumnarWriter().joined_parquet(BASE, doubled, "row", DECIDED, [[2, 3, 4], [True] * 3, ["x"] * 3])
