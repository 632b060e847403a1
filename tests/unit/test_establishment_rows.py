"""Each establishment's rows over closed data, kept between calls (``services/indicators/establishment_rows.py``):
sound only because an establishment's rows depend on its own files alone, which the first test checks for
every question a benchmark, an establishment view or open data asks by establishment."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from chalicelib.adapters.s3_derived_rows import PREFIX, S3DerivedRows
from chalicelib.domain.indicators import INDICATORS
from chalicelib.domain.resistance.dedup_setting import INITIAL
from chalicelib.services.indicators.computation import ACROSS_ESTABLISHMENTS, Computation
from chalicelib.services.indicators.coverage import establishment_of
from chalicelib.services.indicators.sources import LakeTables
from chalicelib.services.ports import TableSource
from tests.support.lake_world import A, B, C

YEAR = 2024
EPC = {"phenotype": "epc", "specimen": "all"}
#: Every question asked by establishment: (indicator, by, options).
QUESTIONS: tuple[tuple[str, str | None, Mapping[str, str]], ...] = (
    ("ddj_1000jh", None, {}),
    ("ddj_1000jh", "establishment", {}),
    ("ddj_1000jh", "sector", {}),
    ("ddj_1000jh", "family", {}),
    ("ddj_1000jh", "molecule", {}),
    ("ddj_1000jh", "period", {}),
    ("antifungal_ddj_1000jh", None, {}),
    ("broad_spectrum_share", None, {}),
    ("aware_share", None, {}),
    ("aware_share", "aware", {}),
    ("pct_r", None, {}),
    ("antifungal_r", None, {}),
    ("pct_phenotype", None, {"phenotype": "sarm"}),
    ("pct_phenotype", "species", {"phenotype": "eblse"}),
    ("density_1000jh", None, EPC),
    ("density_1000jh", "sector", {"phenotype": "sarm", "specimen": "blood"}),
    ("cumulative_antibiogram", None, {}),
)


class MemoryStore:
    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}
        self.writes = 0

    def read(self, name: str) -> bytes | None:
        return self.documents.get(name)

    def write(self, name: str, body: bytes) -> None:
        self.documents[name] = body
        self.writes += 1


class CountingEngine:
    """The engine, remembering the establishments behind each query it runs."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.asked: list[set[str]] = []

    def run(self, query: str, parameters: Any, tables: Mapping[str, TableSource]) -> list[dict[str, Any]]:
        self.asked.append({establishment_of(k) for source in tables.values() for k in source.keys})
        return self._engine.run(query, parameters, tables)


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


@pytest.fixture(scope="module")
def closed(world) -> dict[str, TableSource]:
    return dict(LakeTables(world.uploads, world.services.adapters.lake).closed(YEAR, INITIAL))


def only(tables: Mapping[str, TableSource], establishments: set[str]) -> dict[str, TableSource]:
    return {
        name: TableSource(tuple(k for k in source.keys if establishment_of(k) in establishments), source.columns)
        for name, source in tables.items()
    }


@pytest.mark.parametrize(("indicator", "by", "options"), QUESTIONS)
def test_the_nations_rows_by_establishment_are_each_establishments_rows_computed_alone(world, closed, indicator, by, options):
    computation = Computation(world.services.adapters.query_engine, world.settings)
    nation = computation.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=True)
    question = INDICATORS[indicator]
    alone = [row for es in (A, B, C) for row in computation.rows(question, YEAR, by, options, only(closed, {es}), True)]
    assert nation, "the fixture gives every question rows"
    assert canonical(alone) == canonical(nation)


def test_every_indicator_by_establishment_is_checked_or_never_kept():
    asked = {indicator for indicator, _, _ in QUESTIONS}
    assert asked | set(ACROSS_ESTABLISHMENTS) == set(INDICATORS) and not asked & set(ACROSS_ESTABLISHMENTS)


def test_carbapenemase_rows_by_establishment_depend_on_the_others_and_are_kept_only_whole(world, closed):
    store = MemoryStore()
    computation = Computation(world.services.adapters.query_engine, world.settings, store)
    carbapenemase = INDICATORS["carbapenemase"]
    nation = computation.rows(carbapenemase, YEAR, None, {}, closed, per_es=True)
    alone = [row for es in (A, B, C) for row in computation.rows(carbapenemase, YEAR, None, {}, only(closed, {es}), True)]
    assert len(nation) > len(alone)  # a type of another establishment's: a row of 0 cases
    assert store.documents and all(name.startswith("scope-") for name in store.documents)  # whole answers only


@pytest.mark.parametrize(("indicator", "by", "options"), QUESTIONS)
def test_kept_rows_are_the_rows_the_engine_gives(world, closed, indicator, by, options):
    plain = Computation(world.services.adapters.query_engine, world.settings)
    kept = Computation(world.services.adapters.query_engine, world.settings, MemoryStore())
    expected = plain.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=True)
    assert canonical(kept.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=True)) == canonical(expected)
    assert canonical(kept.rows(INDICATORS[indicator], YEAR, by, options, closed, per_es=True)) == canonical(expected)


def test_only_the_establishment_whose_keys_changed_is_asked_again(world, closed):
    engine, store = CountingEngine(world.services.adapters.query_engine), MemoryStore()
    computation = Computation(engine, world.settings, store)
    ddj = INDICATORS["ddj_1000jh"]
    first = computation.rows(ddj, YEAR, "sector", {}, closed, per_es=True)
    assert engine.asked == [{A, B, C}] and store.writes == 1
    assert canonical(computation.rows(ddj, YEAR, "sector", {}, closed, per_es=True)) == canonical(first)
    assert len(engine.asked) == 1 and store.writes == 1  # nothing changed: nothing asked, nothing written
    # B's period closed again with another file: its keys change, A's and C's do not.
    reclosed = {
        name: TableSource(tuple(k.replace(".parquet", "-v2.parquet") if f"/es={B}/" in k else k for k in s.keys), s.columns)
        for name, s in closed.items()
    }
    bucket = world.services.settings.buckets["lake"]
    for source in closed.values():
        for key in source.keys:
            if f"/es={B}/" in key:
                world.objects.copy(bucket, key, key.replace(".parquet", "-v2.parquet"))
    assert canonical(computation.rows(ddj, YEAR, "sector", {}, reclosed, per_es=True)) == canonical(first)
    assert engine.asked[1:] == [{B}] and store.writes == 2


def test_an_establishment_gone_from_the_closed_data_is_gone_from_the_rows(world, closed):
    computation = Computation(world.services.adapters.query_engine, world.settings, MemoryStore())
    ddj = INDICATORS["ddj_1000jh"]
    computation.rows(ddj, YEAR, None, {}, closed, per_es=True)
    without_c = computation.rows(ddj, YEAR, None, {}, only(closed, {A, B}), per_es=True)
    assert {row["establishment"] for row in without_c} == {A, B}


def test_a_regions_call_and_the_nations_share_the_kept_rows(world, closed):
    engine = CountingEngine(world.services.adapters.query_engine)
    computation = Computation(engine, world.settings, MemoryStore())
    ddj = INDICATORS["ddj_1000jh"]
    nation = computation.rows(ddj, YEAR, None, {}, closed, per_es=True)
    region = computation.rows(ddj, YEAR, None, {}, only(closed, {A, B}), per_es=True)
    assert canonical(computation.rows(ddj, YEAR, None, {}, closed, per_es=True)) == canonical(nation)
    assert {row["establishment"] for row in region} == {A, B} and engine.asked == [{A, B, C}]


def test_two_questions_never_share_their_rows(world, closed):
    store = MemoryStore()
    computation = Computation(world.services.adapters.query_engine, world.settings, store)
    sarm = computation.rows(INDICATORS["pct_phenotype"], YEAR, None, {"phenotype": "sarm"}, closed, per_es=True)
    eblse = computation.rows(INDICATORS["pct_phenotype"], YEAR, None, {"phenotype": "eblse"}, closed, per_es=True)
    assert canonical(sarm) != canonical(eblse) and len(store.documents) == 2


def test_drafts_are_never_kept(world):
    store = MemoryStore()
    computation = Computation(world.services.adapters.query_engine, world.settings, store)
    drafts = LakeTables(world.uploads, world.services.adapters.lake).draft(A, 2025, INITIAL)
    assert computation.rows(INDICATORS["ddj_1000jh"], 2025, None, {}, drafts, per_es=True)
    assert store.documents == {}


def test_the_store_keeps_each_version_of_the_code_apart(world, tmp_path):
    store = S3DerivedRows(world.objects, world.services.settings.buckets["lake"])
    store.write("question", b"rows")
    assert store.read("question") == b"rows" and store.read("another") is None
    (key,) = world.objects.list_keys(world.services.settings.buckets["lake"], PREFIX)
    package = tmp_path / "chalicelib"
    (package / "queries").mkdir(parents=True)
    (package / "queries" / "q.sql").write_text("SELECT 1")
    from chalicelib.adapters.s3_derived_rows import code_fingerprint

    before = code_fingerprint(package)
    (package / "queries" / "q.sql").write_text("SELECT 2")
    code_fingerprint.cache_clear()
    assert code_fingerprint(package) != before and key.split("/")[2] == code_fingerprint()


def test_a_question_with_too_many_rows_is_computed_as_asked_and_never_kept(world, closed, monkeypatch):
    from chalicelib.services.indicators import establishment_rows

    store = MemoryStore()
    computation = Computation(world.services.adapters.query_engine, world.settings, store)
    plain = Computation(world.services.adapters.query_engine, world.settings)
    pct_r = INDICATORS["pct_r"]
    expected = canonical(plain.rows(pct_r, YEAR, None, {}, closed, per_es=True))
    monkeypatch.setattr(establishment_rows, "MAX_KEPT_ROWS", len(expected) - 1)
    assert canonical(computation.rows(pct_r, YEAR, None, {}, closed, per_es=True)) == expected
    assert store.documents == {}
