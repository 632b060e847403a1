import duckdb

from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter


def test_labels_with_quotes_commas_and_accents_survive_the_parquet_writing(tmp_path):
    rows = [('AUGMENTIN "1 G", cp', "é", None), ("simple", "", "x")]
    data = DuckDbLakeWriter().parquet([("label", "VARCHAR"), ("accent", "VARCHAR"), ("maybe", "VARCHAR")], rows)
    path = tmp_path / "rows.parquet"
    path.write_bytes(data)
    assert duckdb.sql(f"SELECT * FROM '{path}'").fetchall() == [('AUGMENTIN "1 G", cp', "é", None), ("simple", None, "x")]
