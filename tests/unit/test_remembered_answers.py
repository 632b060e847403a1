"""The reports' remembered answers: a query over the same objects is asked of the engine once (within
a report, and across the reports of a batch), another set of objects is another query, and the memory
is bounded by age and by rows. The API's indicator service asks the engine once per question over the same
objects (``known_rows.py``), and again over others."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.codes import Finess
from chalicelib.services.ports import TableSource
from chalicelib.services.standard_reports.remembered import RememberedAnswers
from tests.support import lake_fixture
from tests.support.lake_world import A
from tests.unit.test_indicator_intervals import REFERENT_A

COLUMNS = (("finess", "VARCHAR"),)
TABLES = {"consumption": TableSource(("closed/consumption/year=2025/region=52/es=440000990/u1.parquet",), COLUMNS)}
OTHERS = {"consumption": TableSource(("closed/consumption/year=2025/region=52/es=440000990/u2.parquet",), COLUMNS)}


class Counting:
    def __init__(self, rows: int = 2, pause: float = 0.0, fails: bool = False) -> None:
        self.asked: list[tuple[str, tuple[Any, ...]]] = []
        self._rows, self._pause, self._fails = rows, pause, fails
        self._lock = threading.Lock()

    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        with self._lock:
            self.asked.append((query, tuple(parameters)))
        time.sleep(self._pause)
        if self._fails:
            raise RuntimeError("engine down")
        return [{"dim": f"d{i}", "n": i} for i in range(self._rows)]


def test_the_same_query_over_the_same_objects_is_asked_once_and_each_caller_gets_its_own_rows():
    engine = Counting()
    remembered = RememberedAnswers(engine)
    first = remembered.run("ddj_1000jh", ("antibiotic", 2025), TABLES)
    first[0]["n"] = 99  # a caller shaping its rows
    assert remembered.run("ddj_1000jh", ("antibiotic", 2025), TABLES) == [{"dim": "d0", "n": 0}, {"dim": "d1", "n": 1}]
    assert len(engine.asked) == 1


def test_other_objects_other_parameters_or_another_query_are_asked_again():
    engine = Counting()
    remembered = RememberedAnswers(engine)
    remembered.run("ddj_1000jh", ("antibiotic", 2025), TABLES)
    remembered.run("ddj_1000jh", ("antibiotic", 2025), OTHERS)  # a period closed since: other objects
    remembered.run("ddj_1000jh", ("antifungal", 2025), TABLES)
    remembered.run("pct_r", ("antibiotic", 2025), TABLES)
    assert len(engine.asked) == 4


def test_an_answer_older_than_its_age_limit_is_asked_again():
    engine, now = Counting(), [0.0]
    remembered = RememberedAnswers(engine, max_age=600, clock=lambda: now[0])
    remembered.run("ddj_1000jh", (2025,), TABLES)
    now[0] = 599.0
    remembered.run("ddj_1000jh", (2025,), TABLES)
    now[0] = 1200.0
    remembered.run("ddj_1000jh", (2025,), TABLES)
    assert len(engine.asked) == 2


def test_beyond_its_rows_limit_the_least_recently_used_answer_is_forgotten():
    engine = Counting(rows=4)
    remembered = RememberedAnswers(engine, max_rows=10)
    for year in (2023, 2024, 2023, 2025):  # 2023 used again: 2024 is the least recently used when 2025 comes
        remembered.run("ddj_1000jh", (year,), TABLES)
    remembered.run("ddj_1000jh", (2023,), TABLES)
    remembered.run("ddj_1000jh", (2024,), TABLES)
    assert [p for _, p in engine.asked] == [(2023,), (2024,), (2025,), (2024,)]
    huge = RememberedAnswers(Counting(rows=11), max_rows=10)
    huge.run("ddj_1000jh", (2025,), TABLES)
    huge.run("ddj_1000jh", (2025,), TABLES)  # never kept: larger than the whole memory
    assert len(huge._engine.asked) == 2  # type: ignore[attr-defined]


def test_the_national_consumption_by_establishment_and_molecule_is_kept_for_the_next_report():
    engine = Counting(rows=300_000)  # 1,700 establishments x some 150 molecules: every report's broad-spectrum share
    remembered = RememberedAnswers(engine)
    for _ in range(2):
        assert len(remembered.run("ddj_1000jh", ("antibiotic", "molecule", 2025, 2025, True), TABLES)) == 300_000
    assert len(engine.asked) == 1


def test_a_query_asked_by_several_threads_at_once_runs_once():
    engine = Counting(pause=0.2)
    remembered = RememberedAnswers(engine)
    threads = [threading.Thread(target=remembered.run, args=("ddj_1000jh", (2025,), TABLES)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(engine.asked) == 1


def test_a_failed_query_is_not_remembered():
    remembered = RememberedAnswers(Counting(fails=True))
    for _ in range(2):
        with pytest.raises(RuntimeError):
            remembered.run("ddj_1000jh", (2025,), TABLES)
    assert len(remembered._engine.asked) == 2  # type: ignore[attr-defined]


def test_the_reports_remember_their_answers_and_the_api_asks_the_engine_again_over_other_objects():
    from tests.fakes.wiring import fake_world
    from tests.support.lake_world import lake_world

    counted: list[str] = []

    def counting(inner: Any) -> Any:
        class Engine:
            def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> Any:
                counted.append(query)
                return inner.run(query, parameters, tables)

        return Engine()

    world = lake_world(lake_fixture.build(), fake_world(counting))
    for _ in range(2):
        world.services.indicators.compute(REFERENT_A, "ddj_1000jh", f"establishment:{A}", "2024", None, {})
    assert len(counted) == 1
    world.services.indicators.compute(REFERENT_A, "ddj_1000jh", f"establishment:{A}", "2025", None, {})
    assert len(counted) == 2  # another year: other objects
    when = datetime(2025, 3, 1, tzinfo=UTC)
    world.services.standard_reports.content(Finess(A), 2024, 1, when)
    first = len(counted) - 2
    world.services.standard_reports.content(Finess(A), 2024, 1, when)
    assert first > 0 and len(counted) == 2 + first  # the second report asked nothing the first had not
