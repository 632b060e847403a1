"""The quarterly view of consumption (issue #20, DOMAIN.md §3): each quarter of an establishment that
sends its consumption and patient-days by quarter is its quarter's DDD over the same quarter's
patient-days; one that sends them once a year gives its year; a nation of both shows both, and a quarter
without patient-days is left out rather than divided by the year's."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.adapters.duckdb_lake_reader import DuckDbLakeReader
from chalicelib.adapters.duckdb_lake_writer import DuckDbLakeWriter
from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
from chalicelib.adapters.s3_lake import S3LakeStore
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.lake import CONSUMPTION, PATIENT_DAYS
from chalicelib.domain.tenants import Establishment
from chalicelib.services.indicators import COLUMNS
from chalicelib.services.ports import TableSource
from tests.fakes.stores import FakeObjectStore

QUARTERLY = Establishment(Finess("440000990"), "CHU", "CHU", RegionCode("52"))
YEARLY = Establishment(Finess("490000999"), "CH", "CH", RegionCode("52"))


def full(dataset, **values):
    return dataset.row(**{name: values.get(name) for name in dataset.names})


def line(es: Establishment, period: str, ddd: str) -> tuple:
    return full(CONSUMPTION, finess=es.finess.value, period=period, code_uf="0412", sector="MED", atc="J01CA04", route="O",
                family="PENICILLINS", scope="antibiotic", quantity=Decimal(ddd), ddd=Decimal(ddd), counted=True)  # fmt: skip


def days(es: Establishment, period: str, n: int) -> tuple:
    return full(PATIENT_DAYS, finess=es.finess.value, period=period, code_uf="0412", sector="MED", patient_days=n)


def test_each_quarter_is_its_ddd_over_its_own_patient_days_and_a_yearly_sender_gives_its_year(tmp_path):
    objects = FakeObjectStore()
    lake = S3LakeStore(objects, DuckDbLakeReader(objects), DuckDbLakeWriter(), "lake")
    quarterly_lines = [line(QUARTERLY, "2025-T1", "300"), line(QUARTERLY, "2025-T1", "100"), line(QUARTERLY, "2025-T2", "250"),
                       line(QUARTERLY, "2025-T3", "90")]  # fmt: skip
    quarterly_days = [days(QUARTERLY, "2025-T1", 2000), days(QUARTERLY, "2025-T2", 2500)]
    keys = {
        "consumption": [lake.write(CONSUMPTION, 2025, QUARTERLY, "q", quarterly_lines),
                        lake.write(CONSUMPTION, 2025, YEARLY, "y", [line(YEARLY, "2025", "1200")])],
        "patient_days": [lake.write(PATIENT_DAYS, 2025, QUARTERLY, "q", quarterly_days),
                         lake.write(PATIENT_DAYS, 2025, YEARLY, "y", [days(YEARLY, "2025", 8000)])],
    }  # fmt: skip
    tables = {name: TableSource(tuple(keys.get(name, ())), columns) for name, columns in COLUMNS.items()}
    engine = DuckDbQueryEngine(objects, "lake", str(tmp_path))

    rows = engine.run("ddj_1000jh_by_period", ("antibiotic", 2025, 2025, True), tables)
    assert [(r["scope_key"], r["dim"], r["numerator"], r["denominator"], r["n"]) for r in rows] == [
        ("440000990", "2025-T1", 400.0, 2000.0, 2),
        ("440000990", "2025-T2", 250.0, 2500.0, 1),  # T3 has no patient-days: left out, never over the year's
        ("490000999", "2025", 1200.0, 8000.0, 1),
    ]
    nation = engine.run("ddj_1000jh_by_period", ("antibiotic", 2025, 2025, False), tables)
    assert [(r["dim"], r["numerator"], r["denominator"]) for r in nation] == [
        ("2025", 1200.0, 8000.0), ("2025-T1", 400.0, 2000.0), ("2025-T2", 250.0, 2500.0),
    ]
