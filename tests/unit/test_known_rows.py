"""The rows the API's indicator service computed, kept in memory by question and objects
(``services/indicators/known_rows.py``): a dashboard opened again asks the engine nothing while its objects
are the same, other objects are another answer, and an establishment's drafts never reach anyone else."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, RegionCode
from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.resistance.dedup_setting import INITIAL
from chalicelib.services.indicators.computation import Computation
from chalicelib.services.indicators.known_rows import KnownRows
from chalicelib.services.indicators.sources import LakeTables
from tests.fakes.wiring import fake_world
from tests.support import lake_fixture
from tests.support.lake_world import A, B, lake_world
from tests.unit.test_establishment_rows import CountingEngine, MemoryStore, canonical, only
from tests.unit.test_indicator_intervals import REFERENT_A

REGIONAL = Principal(Email("r@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))


def drafts_of_a(world: Any) -> Any:
    return LakeTables(world.uploads, world.services.adapters.lake).draft(A, 2025, INITIAL)


def test_the_same_question_over_the_same_drafts_is_asked_of_the_engine_once(world):
    engine = CountingEngine(world.services.adapters.query_engine)
    computation = Computation(engine, world.settings, MemoryStore(), KnownRows())
    plain = Computation(world.services.adapters.query_engine, world.settings)
    aware = INDICATORS["aware_share"]
    first = computation.rows(aware, 2025, "aware", {}, drafts_of_a(world), per_es=False)
    again = computation.rows(aware, 2025, "aware", {}, drafts_of_a(world), per_es=False)
    assert len(engine.asked) == 1
    expected = plain.rows(aware, 2025, "aware", {}, drafts_of_a(world), per_es=False)
    assert canonical(again) == canonical(first) == canonical(expected)


def test_other_objects_or_another_question_are_another_answer(world):
    engine = CountingEngine(world.services.adapters.query_engine)
    computation = Computation(engine, world.settings, MemoryStore(), KnownRows())
    closed = dict(LakeTables(world.uploads, world.services.adapters.lake).closed(2024, INITIAL))
    ddj = INDICATORS["ddj_1000jh"]
    nation = computation.rows(ddj, 2024, None, {}, closed, per_es=False)
    fewer = computation.rows(ddj, 2024, None, {}, only(closed, {A, B}), per_es=False)
    computation.rows(ddj, 2024, "family", {}, closed, per_es=False)
    assert len(engine.asked) == 3 and canonical(fewer) != canonical(nation)


def test_a_callers_rows_shaped_afterwards_never_alter_the_answer_kept(world):
    computation = Computation(world.services.adapters.query_engine, world.settings, None, KnownRows())
    ddj = INDICATORS["ddj_1000jh"]
    first = computation.rows(ddj, 2025, "family", {}, drafts_of_a(world), per_es=False)
    expected = canonical(first)
    first[0]["value"] = -1.0
    first.clear()
    assert canonical(computation.rows(ddj, 2025, "family", {}, drafts_of_a(world), per_es=False)) == expected


def test_the_memory_is_bounded_by_rows_and_by_age():
    now = [0.0]
    known = KnownRows(max_rows=3, max_answer_rows=2, max_age=10.0, clock=lambda: now[0])
    asked: list[str] = []

    def rows(name: str, count: int) -> Any:
        return lambda: asked.append(name) or [{"n": i} for i in range(count)]

    for name in ("a", "b", "a"):
        known.rows({"q": name}, {}, rows(name, 1))
    assert asked == ["a", "b"]
    known.rows({"q": "big"}, {}, rows("big", 3))
    known.rows({"q": "big"}, {}, rows("big", 3))
    assert asked[-2:] == ["big", "big"], "an answer larger than an answer's bound is never kept"
    known.rows({"q": "c"}, {}, rows("c", 2))  # 4 rows: "b", the least recently used, is forgotten
    known.rows({"q": "b"}, {}, rows("b", 1))
    assert asked[-2:] == ["c", "b"]
    now[0] = 11.0
    known.rows({"q": "c"}, {}, rows("c", 2))
    assert asked[-1] == "c", "kept no longer than its age"


def test_an_establishments_drafts_read_by_its_member_never_reach_its_region():
    world = lake_world(lake_fixture.build(), fake_world())
    indicators = world.services.indicators
    scope = f"establishment:{A}"
    drafts = indicators.compute(REFERENT_A, "ddj_1000jh", scope, "2025", None, {})
    regional = indicators.compute(REGIONAL, "ddj_1000jh", scope, "2025", None, {})
    fresh = lake_world(lake_fixture.build(), fake_world()).services.indicators
    assert drafts["rows"] and drafts["rows"][0]["value"] is not None
    assert regional == fresh.compute(REGIONAL, "ddj_1000jh", scope, "2025", None, {})
    assert regional["rows"] != drafts["rows"], "A's 2025 is not closed: its region reads none of it"
