"""Every query file transpiles from Athena's dialect and runs on DuckDB (empty tables)."""

from importlib import resources

import pytest

from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.ports import TableSource
from tests.fakes.stores import FakeObjectStore

QUERIES = sorted(p.name.removesuffix(".sql") for p in resources.files("chalicelib.queries").iterdir() if p.name.endswith(".sql"))


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_file_runs_on_duckdb_with_bound_parameters(query, tmp_path):
    text = resources.files("chalicelib.queries").joinpath(f"{query}.sql").read_text()
    tables = {name: TableSource((), columns) for name, columns in COLUMNS.items()}
    parameters = {
        "ddj_1000jh": ("antibiotic", "family", 2025, 2025, True),
        "ddj_1000jh_by_sector": ("antibiotic", 2025, 2025, False),
        "pct_r": (2025, False),
        "pct_phenotype": ("sarm", 2025, True),
        "density_1000jh": ("sarm", "blood", 2025, 2025, False),
    }[query]
    assert text.count("?") == len(parameters)
    assert DuckDbQueryEngine(FakeObjectStore(), "lake", str(tmp_path)).run(query, parameters, tables) == []
