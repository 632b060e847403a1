"""The QueryEngine contract: the same query file over the same lake objects gives
the same rows on DuckDB (the embedded runtime, which runs the SQL here over fixture
Parquet) and on Athena (the cloud, against the emulator, which records the query
and answers with queued results: it runs no SQL).

For Athena the contract also fixes what is sent: the query file's own text, every
value as an execution parameter in order, the workgroup and the database; and the
statement itself, run here on DuckDB over the fixture laid out as the Glue tables,
gives the DuckDB engine's rows. Failures (scan limit, a failed or endless query,
an unreachable service) become French domain errors.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import boto3
import duckdb
import pytest
import requests
import sqlglot
from botocore.stub import ANY, Stubber

from chalicelib.adapters.athena_query_engine import AthenaQueryEngine, Polling
from chalicelib.adapters.athena_statement import query_text, statement
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.ports import QueryFailed, QueryTooLarge, TableSource
from infra.local.emulator import ACCOUNT_ID
from tests.fakes.stores import FakeObjectStore

LAKE = "lake-bucket"
DATABASE = "consores_test"
REGION = "eu-west-3"
CHU, CH = "440000990", "350000998"  # regions 52 and 53
CURRENT_A, STALE_A = (
    "lake/consumption/year=2025/region=52/es=440000990/up1.parquet",
    (
        "lake/consumption/year=2025/region=52/es=440000990/up0.parquet"  # replaced, not yet deleted: never read
    ),
)


def _consumption(finess: str, lines: list[tuple[str, float, bool]]) -> list[list[Any]]:
    names = [name for name, _ in COLUMNS["consumption"]]
    rows = []
    for family, ddd, counted in lines:
        row = dict.fromkeys(names)
        row.update(finess=finess, period="2025", code_uf="1001", sector="MED", family=family, scope="antibiotic",
                   quantity="1", ddd=str(ddd), ddd_version=2025, counted=counted, upload_id="up")  # fmt: skip
        rows.append([row[name] for name in names])
    return rows


def _patient_days(finess: str, days: int) -> list[list[Any]]:
    names = [name for name, _ in COLUMNS["patient_days"]]
    row = dict.fromkeys(names)
    row.update(finess=finess, period="2025", code_uf="1001", sector="MED", patient_days=days, admissions=10, upload_id="up")
    return [[row[name] for name in names]]


def _parquet(dataset: str, rows: list[list[Any]]) -> bytes:
    return DuckDbLakeWriter().parquet(COLUMNS[dataset], rows)


FIXTURE = {
    CURRENT_A: _parquet(
        "consumption",
        _consumption(
            CHU,
            [("Pénicillines", 10.5, True), ("Pénicillines", 4.5, True), ("Quinolones", 3.0, True), ("Quinolones", 99.0, False)],
        ),
    ),
    STALE_A: _parquet("consumption", _consumption(CHU, [("Pénicillines", 1000.0, True)])),
    "closed/consumption/year=2025/region=53/es=350000998/up2.parquet": _parquet(
        "consumption", _consumption(CH, [("Pénicillines", 6.0, True)])
    ),
    "lake/patient_days/year=2025/region=52/es=440000990/up3.parquet": _parquet("patient_days", _patient_days(CHU, 1000)),
    "closed/patient_days/year=2025/region=53/es=350000998/up4.parquet": _parquet("patient_days", _patient_days(CH, 500)),
}
#: The establishment A's current draft and B's closed data, side by side (both states in one table).
CLOSED_B = "closed/consumption/year=2025/region=53/es=350000998/up2.parquet"
TABLES = {
    "consumption": TableSource((CURRENT_A, CLOSED_B), COLUMNS["consumption"]),
    "patient_days": TableSource(
        ("lake/patient_days/year=2025/region=52/es=440000990/up3.parquet",
         "closed/patient_days/year=2025/region=53/es=350000998/up4.parquet"), COLUMNS["patient_days"],
    ),
    "isolates": TableSource((), COLUMNS["isolates"]),
}  # fmt: skip
PARAMETERS = ("antibiotic", "family", 2025, 2025, True)
EXPECTED = [
    {"scope_key": CH, "dim": "Pénicillines", "numerator": 6.0, "denominator": 500.0, "n": 1},
    {"scope_key": CHU, "dim": "Pénicillines", "numerator": 15.0, "denominator": 1000.0, "n": 2},
    {"scope_key": CHU, "dim": "Quinolones", "numerator": 3.0, "denominator": 1000.0, "n": 1},
]
ATHENA_TYPES = {"scope_key": "varchar", "dim": "varchar", "numerator": "double", "denominator": "double", "n": "bigint"}


def athena_results(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What Athena answers for a SELECT: a header row, then every value as text."""
    names = list(ATHENA_TYPES)
    header = {"Data": [{"VarCharValue": name} for name in names]}
    data = [{"Data": [{"VarCharValue": str(row[name])} for name in names]} for row in rows]
    return {
        "rows": [header, *data],
        "column_info": [{"Name": name, "Type": kind, "Nullable": "UNKNOWN"} for name, kind in ATHENA_TYPES.items()],
    }


@pytest.fixture
def athena(emulator):
    client = boto3.client("athena", region_name=REGION, endpoint_url=emulator.url)
    workgroup = f"wg-{uuid.uuid4().hex[:8]}"
    client.create_work_group(
        Name=workgroup,
        Configuration={
            "ResultConfiguration": {"OutputLocation": "s3://results-bucket/athena/"},
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": 10 * 1024**3,
        },
    )

    def queue(rows: list[dict[str, Any]]) -> None:
        answer = requests.post(
            emulator.url + "/moto-api/static/athena/query-results",
            json={"account_id": ACCOUNT_ID, "region": REGION, "results": [athena_results(rows)]},
            timeout=10,
        )
        assert answer.status_code == 201

    engine = AthenaQueryEngine(client, DATABASE, workgroup, LAKE, polling=Polling(first=0.01, longest=0.05))
    return client, workgroup, queue, engine


@pytest.fixture(params=["duckdb", "athena"])
def engine(request, tmp_path):
    if request.param == "duckdb":
        objects = FakeObjectStore()
        for key, body in FIXTURE.items():
            objects.put(LAKE, key, body, "application/vnd.apache.parquet")
        return DuckDbQueryEngine(objects, LAKE, str(tmp_path))
    _, _, queue, athena_engine = request.getfixturevalue("athena")
    queue(EXPECTED)
    return athena_engine


# The contract -------------------------------------------------------------------


def test_a_query_file_gives_the_same_typed_rows_on_every_engine(engine):
    rows = engine.run("ddj_1000jh", PARAMETERS, TABLES)
    assert rows == EXPECTED
    assert [type(v) for v in rows[0].values()] == [str, str, float, float, int]


# What Athena is sent -------------------------------------------------------------


def test_athena_runs_the_query_file_text_with_every_value_as_an_execution_parameter(athena):
    client, workgroup, queue, engine = athena
    queue(EXPECTED)
    engine.run("ddj_1000jh", PARAMETERS, TABLES)
    execution_id = client.list_query_executions(WorkGroup=workgroup)["QueryExecutionIds"][-1]
    sent = client.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]
    text = query_text("ddj_1000jh")
    after_with = text[text.index("WITH") + len("WITH") :].lstrip(" ")
    assert sent["Query"].endswith(after_with)  # the file's own SQL, verbatim, never transpiled
    assert sent["Query"].startswith(text[: text.index("WITH")])
    assert sent["WorkGroup"] == workgroup
    assert sent["QueryExecutionContext"] == {"Database": DATABASE}
    assert sent["ExecutionParameters"] == [
        # consumption: B's closed partition, then A's draft (its partition, and its current object only)
        "'2025'", "'53'", "'350000998'",
        "'2025'", "'52'", "'440000990'", f"'s3://{LAKE}/{CURRENT_A}'",
        # patient_days, the same way
        "'2025'", "'53'", "'350000998'",
        "'2025'", "'52'", "'440000990'", f"'s3://{LAKE}/lake/patient_days/year=2025/region=52/es=440000990/up3.parquet'",
        # the query's own parameters, in the file's order
        "'antibiotic'", "'family'", "2025", "2025", "true",
    ]  # fmt: skip
    assert sent["Query"].count("?") == len(sent["ExecutionParameters"])
    assert "2025" not in sent["Query"].replace("year=2025", "") and "440000990" not in sent["Query"]  # never interpolated


def test_the_athena_statement_reads_only_what_the_duckdb_engine_reads(tmp_path):
    """Run the statement Athena gets on DuckDB, over the fixture laid out as the Glue
    tables (``draft_*`` under lake/, ``closed_*`` under closed/, with ``"$path"``):
    same rows as the DuckDB engine — the stale draft object is filtered out."""
    for key, body in FIXTURE.items():
        path = tmp_path / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    built = statement("ddj_1000jh", PARAMETERS, TABLES, DATABASE, LAKE)
    connection = duckdb.connect()
    connection.execute(f"CREATE SCHEMA {DATABASE}")
    for prefix, state in (("lake", "draft"), ("closed", "closed")):
        for dataset in ("consumption", "patient_days"):
            root = tmp_path / prefix / dataset
            if not root.exists():
                continue
            connection.execute(
                f"CREATE VIEW {DATABASE}.{state}_{dataset} AS SELECT * EXCLUDE (filename), "
                f"replace(filename, '{tmp_path}/', 's3://{LAKE}/') AS \"$path\" FROM read_parquet('{root}/**/*.parquet', "
                "hive_partitioning = true, hive_types_autocast = false, filename = true)"
            )
    # Athena substitutes each execution parameter, a SQL literal, for its ``?``; so does this test.
    literals = iter(built.parameters)
    athena_sql = re.sub(r"\?", lambda _: next(literals), built.sql)
    rows = connection.execute(sqlglot.transpile(athena_sql, read="trino", write="duckdb")[0]).fetchall()
    assert [dict(zip(EXPECTED[0], row, strict=True)) for row in rows] == EXPECTED


def test_a_table_without_objects_is_an_empty_typed_relation_for_athena():
    built = statement("ddj_1000jh", PARAMETERS, {"consumption": TableSource((), COLUMNS["consumption"])}, DATABASE, LAKE)
    assert "FROM (VALUES (CAST(NULL AS varchar)" in built.sql and "WHERE false" in built.sql
    assert "draft_consumption" not in built.sql and "closed_consumption" not in built.sql
    assert built.parameters == ("'antibiotic'", "'family'", "2025", "2025", "true")


def test_a_key_outside_the_lake_layout_is_refused():
    tables = {"consumption": TableSource(("raw/x.parquet",), COLUMNS["consumption"])}
    with pytest.raises(ValueError, match="not a lake object"):
        statement("ddj_1000jh", PARAMETERS, tables, DATABASE, LAKE)


def test_quotes_in_a_value_stay_inside_its_literal():
    built = statement("pct_phenotype", ("sa'rm", 2025, False, "species"), {}, DATABASE, LAKE)
    assert built.parameters == ("'sa''rm'", "2025", "false", "'species'")


# Failures -------------------------------------------------------------------------


def stubbed(status: dict[str, Any] | list[dict[str, Any]], clock_step: float = 0.0) -> tuple[AthenaQueryEngine, Stubber]:
    client = boto3.client("athena", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_response("start_query_execution", {"QueryExecutionId": "q-1"}, {
        "QueryString": ANY, "QueryExecutionContext": {"Database": DATABASE}, "WorkGroup": "consores", "ExecutionParameters": ANY,
    })  # fmt: skip
    for each in status if isinstance(status, list) else [status]:
        stubber.add_response("get_query_execution", {"QueryExecution": {"QueryExecutionId": "q-1", "Status": each}},
                             {"QueryExecutionId": "q-1"})  # fmt: skip
    stubber.activate()
    now = [0.0]

    def clock() -> float:
        now[0] += clock_step
        return now[0]

    return AthenaQueryEngine(client, DATABASE, "consores", LAKE, sleep=lambda _: None, clock=clock), stubber


def test_a_query_stopped_by_the_workgroup_scan_limit_is_too_large_in_french():
    engine, _ = stubbed({"State": "CANCELLED", "StateChangeReason": "Query cancelled! : Bytes scanned limit was exceeded"})
    with pytest.raises(QueryTooLarge) as raised:
        engine.run("ddj_1000jh", PARAMETERS, TABLES)
    assert raised.value.code == "ERR_QUERY_TOO_LARGE"
    assert "limite" in raised.value.message and "périmètre" in raised.value.message


def test_a_failed_query_is_a_french_query_failure_with_athena_reason_in_details():
    reason = "SYNTAX_ERROR: line 1:8: Column 'x' cannot be resolved"
    engine, _ = stubbed([{"State": "QUEUED"}, {"State": "RUNNING"}, {"State": "FAILED", "StateChangeReason": reason}])
    with pytest.raises(QueryFailed) as raised:
        engine.run("ddj_1000jh", PARAMETERS, TABLES)
    assert raised.value.message.startswith("Le calcul de l'indicateur a échoué")
    assert raised.value.details == [{"state": "FAILED", "reason": reason}]


def test_a_query_still_running_at_the_deadline_is_stopped_and_reported():
    engine, stubber = stubbed([{"State": "RUNNING"}] * 3, clock_step=10.0)
    stubber.add_response("stop_query_execution", {}, {"QueryExecutionId": "q-1"})
    with pytest.raises(QueryFailed, match="délai"):
        engine.run("ddj_1000jh", PARAMETERS, TABLES)
    stubber.assert_no_pending_responses()


def test_an_unreachable_athena_is_a_french_query_failure():
    client = boto3.client("athena", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_client_error("start_query_execution", "TooManyRequestsException", "Rate exceeded")
    stubber.activate()
    with pytest.raises(QueryFailed, match="indisponible"):
        AthenaQueryEngine(client, DATABASE, "consores", LAKE).run("ddj_1000jh", PARAMETERS, TABLES)


def test_the_api_answers_query_errors_with_their_status_and_french_message():
    from chalicelib.handlers.http import error_response

    too_large, failed = error_response(QueryTooLarge()), error_response(QueryFailed())
    assert (too_large.status_code, json.loads(too_large.body)["code"]) == (413, "ERR_QUERY_TOO_LARGE")
    assert (failed.status_code, json.loads(failed.body)["code"]) == (503, "ERR_QUERY_FAILED")
    assert json.loads(failed.body)["message"] == "Le calcul de l'indicateur a échoué : réessayez plus tard."


def test_a_table_of_many_objects_is_read_from_one_consolidated_file_with_the_same_rows(tmp_path, monkeypatch):
    from chalicelib.adapters import duckdb_query_engine

    objects = FakeObjectStore()
    for key, body in FIXTURE.items():
        objects.put(LAKE, key, body, "application/vnd.apache.parquet")
    engine = DuckDbQueryEngine(objects, LAKE, str(tmp_path))
    monkeypatch.setattr(duckdb_query_engine, "CONSOLIDATE_FROM", 2)  # every table of two objects or more
    assert engine.run("ddj_1000jh", PARAMETERS, TABLES) == EXPECTED
    made = sorted((tmp_path / "consolidated").iterdir())
    assert len(made) == 2  # consumption and patient days, one file each
    assert engine.run("ddj_1000jh", PARAMETERS, TABLES) == EXPECTED  # reused, not made again
    assert sorted((tmp_path / "consolidated").iterdir()) == made
    fewer = {**TABLES, "consumption": TableSource((CURRENT_A, STALE_A), COLUMNS["consumption"])}  # other objects: new file
    assert engine.run("ddj_1000jh", PARAMETERS, fewer) != EXPECTED
    assert len(list((tmp_path / "consolidated").iterdir())) == 3


def test_queries_run_at_once_on_one_duckdb_engine_each_read_their_own_tables(tmp_path):
    """One database per engine, a connection per query: two queries naming the same table over other
    objects, from many threads at once, never see one another's views."""
    from concurrent.futures import ThreadPoolExecutor

    objects = FakeObjectStore()
    for key, body in FIXTURE.items():
        objects.put(LAKE, key, body, "application/vnd.apache.parquet")
    engine = DuckDbQueryEngine(objects, LAKE, str(tmp_path))
    only_b = {**TABLES, "consumption": TableSource((CLOSED_B,), COLUMNS["consumption"])}
    asked = [TABLES, only_b] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda tables: engine.run("ddj_1000jh", PARAMETERS, tables), asked))
    assert answers == [EXPECTED, EXPECTED[:1]] * 8


def test_an_athena_answer_over_closed_partitions_that_changed_meanwhile_is_no_answer():
    from chalicelib.adapters.athena_query_engine import closed_read_changed

    given = {"consumption": TableSource((CLOSED_B, CURRENT_A), COLUMNS["consumption"])}
    partition = CLOSED_B.rsplit("/", 1)[0] + "/"
    assert not closed_read_changed(given, lambda prefix: [CLOSED_B] if partition.startswith(prefix) else [])
    copied = partition + "another-period.parquet"  # a closure copied another period's file meanwhile
    assert closed_read_changed(given, lambda prefix: [CLOSED_B, copied] if partition.startswith(prefix) else [])
    assert closed_read_changed(given, lambda prefix: [])  # a reopening removed it meanwhile
    other = "closed/consumption/year=2025/region=11/es=750000002/x.parquet"  # a partition the query did not read
    assert not closed_read_changed(given, lambda prefix: [CLOSED_B, other])
    assert not closed_read_changed({"consumption": TableSource((CURRENT_A,), COLUMNS["consumption"])}, lambda prefix: 1 / 0)


def test_a_national_read_is_checked_by_listing_each_datasets_year_not_each_partition():
    from chalicelib.adapters.athena_query_engine import closed_read_changed

    keys = tuple(f"closed/isolates/year=2025/region=52/es={100000000 + i}/f.parquet" for i in range(25))
    asked: list[str] = []

    def listing(prefix: str) -> list[str]:
        asked.append(prefix)
        return list(keys)

    assert not closed_read_changed({"isolates": TableSource(keys, COLUMNS["isolates"])}, listing)
    assert asked == ["closed/isolates/year=2025/"]


def test_an_athena_answer_found_changed_meanwhile_is_no_answer_and_the_listings_kept_are_made_anew(athena):
    client, workgroup, queue, _ = athena
    forgotten: list[int] = []
    engine = AthenaQueryEngine(
        client, DATABASE, workgroup, LAKE, polling=Polling(first=0.01, longest=0.05),
        listing=lambda prefix: [], on_changed=lambda: forgotten.append(1),  # a reopening removed every closed key
    )  # fmt: skip
    queue(EXPECTED)
    with pytest.raises(QueryFailed) as refused:
        engine.run("ddj_1000jh", PARAMETERS, TABLES)
    assert "réessayez" in refused.value.message and forgotten == [1]
    unchanged = AthenaQueryEngine(
        client, DATABASE, workgroup, LAKE, polling=Polling(first=0.01, longest=0.05),
        listing=lambda prefix: [k for s in TABLES.values() for k in s.keys if k.startswith(prefix)],
        on_changed=lambda: forgotten.append(2),
    )  # fmt: skip
    queue(EXPECTED)
    unchanged.run("ddj_1000jh", PARAMETERS, TABLES)
    assert forgotten == [1]
