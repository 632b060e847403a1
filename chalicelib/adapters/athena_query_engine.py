"""QueryEngine on Athena (the cloud runtime): the query files as they are, over
the lake's Glue tables (``infra/cloud/stack.py``), in a workgroup whose
per-query scan limit Athena enforces.

The statement (``athena_statement.py``) binds every value as an execution
parameter. The engine starts the query, polls it with a growing delay until it
ends, and reads the result pages into rows typed as DuckDB's engine returns
them (the same query gives the same rows on both). A query Athena cancels for
the workgroup's scan limit becomes ``QueryTooLarge`` (413), any other failure
``QueryFailed`` (503), each with a French message; the details keep Athena's
own reason for the logs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.athena_statement import Statement, statement
from chalicelib.domain.lake import CLOSED
from chalicelib.services.ports import QueryFailed, QueryTooLarge, TableSource

RUNNING = frozenset({"QUEUED", "RUNNING"})
#: What Athena says when the workgroup's BytesScannedCutoffPerQuery stops a query.
SCAN_LIMIT_MARK = "bytes scanned limit"


@dataclass(frozen=True)
class Polling:
    """Delays between status checks: ``first``, then × ``factor`` up to ``longest``; give up after ``timeout``."""

    first: float = 0.2
    factor: float = 1.6
    longest: float = 2.0
    timeout: float = 25.0  # under API Gateway's 29 s

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(delay * self.factor, self.longest)


#: A period closed or reopened while a query read closed data: its answer is of no one list of objects.
DATA_CHANGED = "Des données ont été clôturées ou rouvertes pendant le calcul : réessayez dans quelques instants."
#: Partitions listed one by one up to this many; beyond, each dataset's year is listed whole.
_PARTITIONS_LISTED_ONE_BY_ONE = 20


def closed_read_changed(tables: Mapping[str, TableSource], listing: Callable[[str], Iterable[str]]) -> bool:
    """Whether the closed partitions a query read hold other objects now than the keys it was given.

    Under ``closed/`` the partitions are Athena's whole filter (``athena_statement.py``): a closure copying
    a period's files, or a reopening removing them, while the query ran would make its answer one of no
    listing, and an answer kept under the name of its keys (``services/indicators/scope_answers.py``)
    wrong until those keys change again. Listed after the query: equal listings before and after mean the
    partitions did not change while it read them (a closure and its undoing within one query aside)."""
    given = {key for source in tables.values() for key in source.keys if key.startswith(f"{CLOSED}/")}
    if not given:
        return False
    partitions = {key.rsplit("/", 1)[0] + "/" for key in given}
    prefixes = partitions
    if len(partitions) > _PARTITIONS_LISTED_ONE_BY_ONE:  # closed/<dataset>/year=<y>/: a few pages, not 1,700 calls
        prefixes = {partition.split("region=", 1)[0] for partition in partitions}
    now = {key for prefix in prefixes for key in listing(prefix) if key.rsplit("/", 1)[0] + "/" in partitions}
    return now != given


class AthenaQueryEngine:
    """:param client: a boto3 Athena client. :param database: the Glue database of the lake's tables.
    :param workgroup: the workgroup (its configuration, enforced, holds the scan limit and
    the results location). :param lake_bucket: the bucket whose objects ``TableSource.keys`` name.
    :param output_location: where results go when the workgroup does not enforce it."""

    def __init__(
        self,
        client: Any,
        database: str,
        workgroup: str,
        lake_bucket: str,
        output_location: str | None = None,
        polling: Polling = Polling(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        listing: Callable[[str], Iterable[str]] | None = None,
        on_changed: Callable[[], None] | None = None,
    ) -> None:
        self._client = client
        self._database = database
        self._workgroup = workgroup
        self._bucket = lake_bucket
        self._output = output_location
        self._polling = polling
        self._sleep = sleep
        self._clock = clock
        self._listing = listing
        self._on_changed = on_changed

    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        built = statement(query, parameters, tables, self._database, self._bucket)
        execution_id = self._start(built)
        self._wait(execution_id)
        rows = list(self._rows(execution_id))
        if self._listing is not None and closed_read_changed(tables, self._listing):
            if self._on_changed is not None:
                self._on_changed()  # the keys given may come from a listing kept: asked again, it is made anew
            raise QueryFailed(DATA_CHANGED)
        return rows

    def _start(self, built: Statement) -> str:
        request: dict[str, Any] = {
            "QueryString": built.sql,
            "QueryExecutionContext": {"Database": self._database},
            "WorkGroup": self._workgroup,
        }
        if built.parameters:
            request["ExecutionParameters"] = list(built.parameters)
        if self._output:
            request["ResultConfiguration"] = {"OutputLocation": self._output}
        try:
            return str(self._client.start_query_execution(**request)["QueryExecutionId"])
        except (ClientError, BotoCoreError) as error:
            raise QueryFailed(
                "Le moteur de requêtes est indisponible : réessayez dans quelques instants.", details=[_reason(error)]
            ) from error

    def _wait(self, execution_id: str) -> None:
        deadline = self._clock() + self._polling.timeout
        for delay in self._polling.delays():
            status = self._status(execution_id)
            state = status.get("State", "")
            if state == "SUCCEEDED":
                return
            if state not in RUNNING:
                raise _failure(state, status)
            if self._clock() + delay > deadline:
                self._stop(execution_id)
                raise QueryFailed(
                    "Le calcul de l'indicateur a dépassé le délai autorisé : restreignez le périmètre ou réessayez plus tard.",
                    details=[{"execution": execution_id, "timeout_s": self._polling.timeout}],
                )
            self._sleep(delay)

    def _status(self, execution_id: str) -> dict[str, Any]:
        try:
            found = self._client.get_query_execution(QueryExecutionId=execution_id)
        except (ClientError, BotoCoreError) as error:
            raise QueryFailed("Le suivi du calcul de l'indicateur a échoué : réessayez.", details=[_reason(error)]) from error
        return dict(found["QueryExecution"].get("Status", {}))

    def _stop(self, execution_id: str) -> None:
        # Best effort: the workgroup's scan limit bounds what the query can still cost.
        with contextlib.suppress(ClientError, BotoCoreError):
            self._client.stop_query_execution(QueryExecutionId=execution_id)

    def _rows(self, execution_id: str) -> Iterator[dict[str, Any]]:
        pages = self._client.get_paginator("get_query_results").paginate(QueryExecutionId=execution_id)
        names: list[str] = []
        converters: list[Callable[[str], Any]] = []
        header = True
        for page in pages:
            result = page["ResultSet"]
            if not names:
                info = result["ResultSetMetadata"]["ColumnInfo"]
                names = [column["Name"] for column in info]
                converters = [_converter(column["Type"]) for column in info]
            for row in result["Rows"]:
                cells = [cell.get("VarCharValue") for cell in row["Data"]]
                if header:  # the first row of a SELECT's results repeats the column names
                    header = False
                    if cells == names:
                        continue
                yield {
                    name: None if cell is None else convert(cell)
                    for name, convert, cell in zip(names, converters, cells, strict=True)
                }


def _failure(state: str, status: Mapping[str, Any]) -> QueryFailed | QueryTooLarge:
    reason = str(status.get("StateChangeReason") or status.get("AthenaError", {}).get("ErrorMessage") or state)
    details = [{"state": state, "reason": reason}]
    if SCAN_LIMIT_MARK in reason.lower():
        return QueryTooLarge(
            "Cet indicateur lirait plus de données que la limite autorisée par requête : "
            "restreignez le périmètre (une région, un établissement) ou l'année.",
            details=details,
        )
    if state == "CANCELLED":
        return QueryFailed("Le calcul de l'indicateur a été annulé : réessayez.", details=details)
    return QueryFailed("Le calcul de l'indicateur a échoué : réessayez plus tard ou contactez le support.", details=details)


def _reason(error: Exception) -> dict[str, str]:
    if isinstance(error, ClientError):
        return {"code": str(error.response.get("Error", {}).get("Code", "")), "reason": str(error)}
    return {"code": type(error).__name__, "reason": str(error)}


def _converter(athena_type: str) -> Callable[[str], Any]:
    """Athena returns every value as text; its column type says what it was."""
    kind = athena_type.lower().split("(", 1)[0].strip()
    if kind in ("tinyint", "smallint", "integer", "int", "bigint"):
        return int
    if kind in ("double", "float", "real"):
        return float
    if kind == "decimal":
        return Decimal
    if kind == "boolean":
        return _boolean
    if kind == "date":
        return date.fromisoformat
    return str


def _boolean(text: str) -> bool:
    return text.strip().lower() == "true"
