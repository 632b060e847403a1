"""EPC by carbapenemase type (indicator ``carbapenemase``, DOMAIN.md §7 and §10.10): the types the
laboratories' files give are counted among the deduplicated EPC, with the share of each type."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.resistance.model import Carbapenemase
from tests.support.lake_world import A, B, C
from tests.unit.test_indicator_intervals import NATIONAL, REFERENT_A, carbapenemase

TYPES = {c.value for c in Carbapenemase if c is not Carbapenemase.NEGATIVE}


def test_every_carbapenemase_type_is_counted_and_an_epc_without_flag_is_of_no_stated_type(world):
    answer = world.services.indicators.compute(NATIONAL, "carbapenemase", "national", "2024", None, {})
    assert {r["carbapenemase"] for r in answer["rows"]} == TYPES | {"non précisé"}
    assert answer["rule"] == "patient-espece-antibiotype-annee-v1" and answer["unit"] == "%"
    [total] = {r["denominator"] for r in answer["rows"]}  # every type among the same EPC
    assert sum(r["numerator"] for r in answer["rows"]) == total
    assert sum(r["value"] for r in answer["rows"]) == pytest.approx(100, abs=0.01)


def test_a_negative_flag_or_a_duplicate_is_never_an_epc_of_any_type(world, lake):
    answer = world.services.indicators.compute(REFERENT_A, "carbapenemase", f"establishment:{A}", "2025", None, {})
    kept_epc = [r for r in lake.rows["isolates"] if r["es"] == A and r["year"] == "2025" and r["kept"] and r["epc"]]
    every_epc = [r for r in lake.rows["isolates"] if r["es"] == A and r["year"] == "2025" and r["epc"]]
    assert len(kept_epc) < len(every_epc)  # the fixture has duplicates among them
    assert {r["n"] for r in answer["rows"]} == {len(kept_epc)}


def test_open_data_pool_each_type_over_the_establishments_of_the_cell(world, lake):
    opened = world.services.indicators.open_data("carbapenemase", "national", "2024", {})["rows"]
    want = {r["carbapenemase"]: r for r in carbapenemase(lake, 2024, {A, B, C}, None, {})}
    shown = [r for r in opened if not r.get("suppressed")]
    assert {r["carbapenemase"] for r in opened} == set(want) and shown
    for row in shown:
        wanted = want[row["carbapenemase"]]
        assert (row["value"], row["ci_low"], row["ci_high"], row["n"]) == (
            wanted["value"], wanted["ci_low"], wanted["ci_high"], wanted["n"])  # fmt: skip


def test_carbapenemase_types_have_no_benchmark_and_say_so_in_french(world):
    with pytest.raises(InvalidInput) as refused:
        world.services.indicators.benchmark(REFERENT_A, "carbapenemase", A, "2024", {})
    assert "Pas de positionnement" in refused.value.message
