"""The statement Athena runs for a query file: the file's text as it is, after
one common table expression per lake table that says which partitions (and,
for draft data, which objects) stand behind the table's name.

A query file reads ``consumption``, ``isolates``…; in the Glue catalogue the
lake's datasets are ``draft_<dataset>`` (``lake/``, every upload's file) and
``closed_<dataset>`` (``closed/``, the published copies). The engine receives
the objects the service chose (``TableSource.keys``) and turns them into
predicates on the partition columns ``year``, ``region`` and ``es`` — which
partition projection uses to list only those partitions (``es`` is an
*injected* projection: Athena refuses a query that does not bind it) — and,
under ``lake/``, on ``"$path"``: a draft partition also holds files that are
not, or no longer, the establishment's current data. Under ``closed/`` every
object of a partition is published data, so the partitions are the whole filter.
Projection lists the cross product of each column's values, so the table is read
once per region (``UNION ALL``) with that region's establishments only: a national
year lists its 1,700 partitions, not 18 x 1,700.

Every value, partition values and paths included, is an execution parameter
(``?``), never written into the SQL. Athena reads each parameter as a SQL
literal, so values are rendered as literals here (strings quoted, quotes doubled).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlglot.dialects.trino import Trino
from sqlglot.tokens import TokenType  # type: ignore[attr-defined]

from chalicelib.adapters.query_files import query_text, referenced
from chalicelib.domain.lake import LAKE, PARTITIONS, SQL_TYPE, LakeKey, table_name
from chalicelib.services.ports import TableSource

#: The partition columns of every Glue table of the lake (``domain/lake.py``).
PARTITION_COLUMNS = tuple(column.name for column in PARTITIONS)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: DuckDB's names of the lake's column types -> Athena's (Trino) names.
ATHENA_TYPES = {"VARCHAR": "varchar", "INTEGER": "integer", "BIGINT": "bigint", "BOOLEAN": "boolean", "DATE": "date",
                "DOUBLE": "double"}  # fmt: skip


@dataclass(frozen=True)
class Statement:
    sql: str
    #: One SQL literal per ``?`` of ``sql``, in order (Athena's ``ExecutionParameters``).
    parameters: tuple[str, ...]


def statement(query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource], database: str, bucket: str) -> Statement:
    """The SQL and execution parameters for ``query`` over ``tables``.

    The query's own text follows the tables' expressions verbatim: when it
    starts with ``WITH``, the tables' expressions are added to its list, so its
    ``ORDER BY`` stays the statement's own (Trino drops a subquery's ORDER BY).
    """
    text = query_text(query)
    scoped: list[str] = []
    values: list[str] = []
    needed = referenced(query)
    for name, source in tables.items():
        if name not in needed:
            continue
        sql, bound = table_expression(name, source, database, bucket)
        scoped.append(f"{_identifier(name)} AS (\n    {sql}\n)")
        values += bound
    values += [literal(value) for value in parameters]
    if not scoped:
        return Statement(text, tuple(values))
    expressions = ",\n".join(scoped)
    opening = leading_with(text)
    if opening is None:
        return Statement(f"WITH {expressions}\n{text}", tuple(values))
    start, end = opening
    return Statement(f"{text[:start]}WITH {expressions},\n{text[end:].lstrip(' ')}", tuple(values))


def leading_with(text: str) -> tuple[int, int] | None:
    """Where the query's leading ``WITH`` keyword is (start, end offsets), if it starts with one."""
    tokens = Trino().tokenize(text)
    if tokens and tokens[0].token_type == TokenType.WITH:
        return tokens[0].start, tokens[0].end + 1
    return None


def table_expression(name: str, source: TableSource, database: str, bucket: str) -> tuple[str, list[str]]:
    """``SELECT <columns> FROM <the Glue table(s)> WHERE <their partitions>`` and its parameters."""
    columns = [_identifier(column) for column, _ in source.columns] + [f'"{column}"' for column in PARTITION_COLUMNS]
    if not source.keys:
        nulls = ", ".join(f"CAST(NULL AS {_athena_type(sql_type)})" for _, sql_type in source.columns)
        partition_nulls = ", ".join(f"CAST(NULL AS {_athena_type(sql_type)})" for _, sql_type in PARTITIONS)
        empty = f"SELECT * FROM (VALUES ({nulls}, {partition_nulls})) AS empty ({', '.join(columns)}) WHERE false"  # noqa: S608 - our names
        return empty, []
    groups: dict[tuple[str, str], list[LakeKey]] = {}
    for key in source.keys:
        partition = _partition(key, name)
        groups.setdefault((partition.area, partition.region), []).append(partition)
    parts: list[str] = []
    values: list[str] = []
    for (area, _), partitions in sorted(groups.items()):  # closed/ before lake/, then by region
        table = f'"{database}"."{table_name(area, name)}"'
        where: list[str] = []
        for column in PARTITION_COLUMNS:
            distinct = sorted({getattr(p, column) for p in partitions})
            where.append(f'"{column}" IN ({", ".join("?" for _ in distinct)})')
            values += [literal(v) for v in distinct]
        if area == LAKE:
            paths = sorted({f"s3://{bucket}/{p.key}" for p in partitions})
            where.append(f'"$path" IN ({", ".join("?" for _ in paths)})')
            values += [literal(path) for path in paths]
        parts.append(f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(where)}")  # noqa: S608 - names checked, values bound
    return "\n    UNION ALL\n    ".join(parts), values


def _partition(key: str, dataset: str) -> LakeKey:
    found = LakeKey.parse(key)
    if found is None or found.dataset != dataset:
        raise ValueError(f"not a lake object of {dataset!r}: {key!r}")
    return found


def literal(value: Any) -> str:
    """A Python value as the SQL literal Athena expects for an execution parameter."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no SQL literal for {value!r}")
        return f"DOUBLE '{value!r}'"
    if isinstance(value, Decimal):
        return f"DECIMAL '{value}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def _athena_type(sql_type: str) -> str:
    normalised = sql_type.strip().upper()
    if not SQL_TYPE.match(normalised):
        raise ValueError(f"not a lake column type: {sql_type!r}")
    return ATHENA_TYPES.get(normalised, normalised.lower().replace(" ", ""))


def _identifier(name: str) -> str:
    """A table or column name of ours, checked, double-quoted."""
    if not _NAME.match(name):
        raise ValueError(f"not an identifier: {name!r}")
    return f'"{name}"'
