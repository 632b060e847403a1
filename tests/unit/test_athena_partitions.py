"""On Athena every query touches only the partitions it needs: in the statement the
engine sends for any query file, every read of a Glue table is constrained on
``year``, ``region`` and ``es`` — bound parameters that partition projection
turns into the only prefixes it lists (``es`` is an injected projection: Athena
refuses a read that does not bind it) — and a draft table also on ``"$path"``.

Parsed with SQLGlot in Athena's dialect; the query files are discovered, so a new
one is covered as soon as it exists.
"""

from __future__ import annotations

from importlib import resources

import pytest
import sqlglot
from sqlglot import exp

from chalicelib.adapters.athena_statement import PARTITION_COLUMNS, leading_with, query_text, statement
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.ports import TableSource

QUERIES = sorted(p.name.removesuffix(".sql") for p in resources.files("chalicelib.queries").iterdir() if p.name.endswith(".sql"))
REGIONS = {"52": ("440000990", "490000999"), "53": ("350000998",)}


def closed(year: int, regions: dict[str, tuple[str, ...]]) -> dict[str, TableSource]:
    return {
        name: TableSource(
            tuple(f"closed/{name}/year={year}/region={r}/es={es}/u-{es}.parquet" for r, found in regions.items() for es in found),
            columns,
        )
        for name, columns in COLUMNS.items()
    }


def draft(year: int) -> dict[str, TableSource]:
    return {name: TableSource((f"lake/{name}/year={year}/region=52/es=440000990/u1.parquet",), c) for name, c in COLUMNS.items()}


#: tables, establishments behind each table, whether its objects are drafts (bound by path too)
SCOPES = {
    "establishment (draft)": (draft(2025), 1, True),
    "region (closed)": (closed(2025, {"52": REGIONS["52"]}), 2, False),
    "nation (closed)": (closed(2025, REGIONS), 3, False),
}


def parameters_of(query: str) -> list[object]:
    """Any values will do for the placeholders of the query itself: only the tables matter here."""
    return [2025] * query_text(query).count("?")


def reads_of_glue_tables(sql: str) -> list[exp.Table]:
    tree = sqlglot.parse_one(sql, read="trino")
    return [t for t in tree.find_all(exp.Table) if t.name.startswith(("draft_", "closed_"))]


def bound_placeholders(select: exp.Select, column: str) -> int:
    """How many ``?`` the WHERE clause binds ``column`` to with IN (0 when it does not)."""
    where = select.args.get("where")
    assert where is not None
    for predicate in where.find_all(exp.In):
        if isinstance(predicate.this, exp.Column) and predicate.this.name == column:
            values = predicate.expressions
            assert values and all(isinstance(v, exp.Placeholder) for v in values), "partition values are bound, never written"
            return len(values)
    return 0


@pytest.mark.parametrize("scope", list(SCOPES))
@pytest.mark.parametrize("query", QUERIES)
def test_every_read_of_the_lake_binds_every_partition_column(query, scope):
    """One read per region, bound to one year, that region, and its establishments only
    (projection lists the cross product of the values of each column)."""
    tables, establishments, drafts = SCOPES[scope]
    built = statement(query, parameters_of(query), tables, "consores", "lake")
    assert built.sql.count("?") == len(built.parameters)
    reads = reads_of_glue_tables(built.sql)
    assert reads, "the statement reads the lake"
    bound_es: dict[str, int] = {}
    for table in reads:
        select = table.find_ancestor(exp.Select)
        assert select is not None
        years, regions, es = (bound_placeholders(select, column) for column in PARTITION_COLUMNS)
        assert (years, regions) == (1, 1) and es >= 1, f"{table.name}: {years, regions, es}"
        assert bound_placeholders(select, "$path") == (es if drafts else 0), table.name
        bound_es[table.name] = bound_es.get(table.name, 0) + es
    assert set(bound_es.values()) == {establishments}


@pytest.mark.parametrize("query", QUERIES)
def test_the_query_file_itself_reaches_athena_unchanged(query):
    built = statement(query, parameters_of(query), draft(2025), "consores", "lake")
    text = query_text(query)
    opening = leading_with(text)
    tail = text[opening[1] :].lstrip(" ") if opening else text
    assert built.sql.endswith(tail)
    assert built.sql.startswith(text[: opening[0]] if opening else "WITH ")


def test_a_year_binds_only_its_own_partitions():
    """The nation's 2025 reads only year=2025 (not every year the tables hold)."""
    built = statement("ddj_1000jh", ["antibiotic", "family", 2025, 2025, False], closed(2025, REGIONS), "consores", "lake")
    assert built.parameters[:1] == ("'2025'",)
    assert "'2024'" not in built.parameters
