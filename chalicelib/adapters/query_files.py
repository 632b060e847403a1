"""The indicator query files (``chalicelib/queries/*.sql``, Athena's dialect), as both engines read them."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import sqlglot
from sqlglot import exp

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@cache
def query_text(query: str) -> str:
    """The text of ``chalicelib/queries/<query>.sql``, without a trailing semicolon."""
    if not _NAME.match(query):
        raise ValueError(f"not a query name: {query!r}")
    text = resources.files("chalicelib.queries").joinpath(f"{query}.sql").read_text(encoding="utf-8")
    return text.rstrip().removesuffix(";").rstrip()


@cache
def referenced(query: str) -> frozenset[str]:
    """The lake tables the query reads (its own common table expressions aside).

    An engine binds only these: behind a national table stand thousands of files.
    """
    tree = sqlglot.parse_one(query_text(query), read="trino")
    defined = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return frozenset(table.name for table in tree.find_all(exp.Table) if table.name not in defined)
