"""A region's or the nation's rows over closed data, kept once computed (``services/indicators/scope_answers.py``):
the same rows as the engine's, read back while the closed keys behind them are the same, computed anew when
they are not, never for drafts."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.resistance.dedup_setting import INITIAL
from chalicelib.services.indicators.computation import Computation
from chalicelib.services.indicators.sources import LakeTables
from chalicelib.services.ports import TableSource
from tests.support.lake_world import A, B
from tests.unit.test_establishment_rows import QUESTIONS, YEAR, CountingEngine, MemoryStore, canonical, only

#: Every question a scope asks: those asked by establishment, the carbapenemase types, the combined pairs' and
#: the strategy panel (whose items are themselves kept questions).
SCOPE_QUESTIONS: tuple[tuple[str, str | None, Mapping[str, str]], ...] = (
    *QUESTIONS,
    ("carbapenemase", None, {}),
    ("combined", None, {"pair": "c3g"}),
    ("strategy_panel", None, {}),
)


@pytest.fixture(scope="module")
def closed(world) -> dict[str, TableSource]:
    return dict(LakeTables(world.uploads, world.services.adapters.lake).closed(YEAR, INITIAL))


@pytest.mark.parametrize(("indicator", "by", "options"), SCOPE_QUESTIONS)
def test_a_kept_answer_is_the_engines_answer(world, closed, indicator, by, options):
    plain = Computation(world.services.adapters.query_engine, world.settings)
    kept = Computation(world.services.adapters.query_engine, world.settings, MemoryStore())
    expected = canonical(plain.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=False))
    assert canonical(kept.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=False)) == expected
    assert canonical(kept.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=False)) == expected


def test_the_same_question_of_the_same_closed_data_is_asked_of_the_engine_once(world, closed):
    engine, store = CountingEngine(world.services.adapters.query_engine), MemoryStore()
    antibiogram = INDICATORS["cumulative_antibiogram"]
    first = Computation(engine, world.settings, store).rows(antibiogram, YEAR, None, {}, closed, per_es=False)
    again = Computation(engine, world.settings, store).rows(antibiogram, YEAR, None, {}, closed, per_es=False)
    assert canonical(again) == canonical(first) and len(engine.asked) == 1  # another container, the same store


def test_other_closed_keys_are_another_answer(world, closed):
    engine, store = CountingEngine(world.services.adapters.query_engine), MemoryStore()
    computation = Computation(engine, world.settings, store)
    aware = INDICATORS["aware_share"]
    nation = computation.rows(aware, YEAR, "aware", {}, closed, per_es=False)
    fewer = computation.rows(aware, YEAR, "aware", {}, only(closed, {A, B}), per_es=False)
    assert len(engine.asked) == 2 and canonical(fewer) != canonical(nation) and len(store.documents) == 2


def test_draft_answers_are_never_kept(world):
    store = MemoryStore()
    computation = Computation(world.services.adapters.query_engine, world.settings, store)
    drafts = LakeTables(world.uploads, world.services.adapters.lake).draft(A, 2025, INITIAL)
    assert computation.rows(INDICATORS["aware_share"], 2025, None, {}, drafts, per_es=False)
    assert store.documents == {}
