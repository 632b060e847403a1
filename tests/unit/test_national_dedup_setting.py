"""The national team sets the period of a year's deduplication (DOMAIN.md §6): a quarterly year's
indicators (DuckDB SQL) follow the version in force, against a plain-Python computation per import
period; every answer names the rule and the version; only the national team changes it, audited."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from chalicelib.domain.access import ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, RegionCode
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput
from tests.unit.test_year_deduplication import FINESS, YEAR, a_quarterly_year, lake_rows, reference_kept

NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGIONAL = Principal(Email("ars@sante.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))


@pytest.fixture(scope="module")
def year() -> dict[str, Any]:
    return a_quarterly_year()


@pytest.fixture
def per_period(year):
    """The year while the national team has set the import period (set back to the year afterwards)."""
    methods = year["world"].services.methods
    changed = methods.change_deduplication(
        NATIONAL, {"period": "periode-import", "reason": "Comparaison avec les années passées"}
    )
    yield {**year, "version": changed["version"]}
    methods.change_deduplication(NATIONAL, {"period": "annee", "reason": "Retour à la règle de la plateforme"})


def answer(found: dict[str, Any], name: str, **options: str) -> dict[str, Any]:
    return found["world"].services.indicators.compute(
        found["referent"], name, f"establishment:{FINESS}", str(YEAR), options.pop("by", None), options
    )


def pct_r_per_import_period(found: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """§6 applied within each quarter, the quarters' kept isolates added up: ``species|antibiotic -> (R, tested)``."""
    isolates = lake_rows(found["world"], "isolates")
    results: dict[str, dict[str, str]] = {}
    for row in lake_rows(found["world"], "results"):
        results.setdefault(row["isolate_id"], {})[row["antibiotic"]] = row["sir"]
    kept: set[str] = set()
    for period in {i["period"] for i in isolates}:
        kept |= reference_kept([i for i in isolates if i["period"] == period], results)
    tested, resistant = Counter[str](), Counter[str]()
    for isolate in isolates:
        if isolate["isolate_id"] in kept:
            for code, sir in results.get(isolate["isolate_id"], {}).items():
                tested[f"{isolate['species']}|{code}"] += 1
                resistant[f"{isolate['species']}|{code}"] += sir == "R"
    return {key: (resistant[key], tested[key]) for key in tested}


def counted(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {f"{r['species']}|{r['antibiotic']}": (int(r["numerator"]), r["n"]) for r in rows}


def test_per_import_period_yearly_pct_r_adds_up_each_quarters_own_decisions(per_period):
    found = answer(per_period, "pct_r")
    assert counted(found["rows"]) == pct_r_per_import_period(per_period)
    assert found["rule"] == "patient-espece-antibiotype-v1"
    assert found["dedup_setting"] == {"version": per_period["version"], "period": "periode-import"}


def test_the_two_periods_give_different_years_and_each_answer_says_which(year, per_period):
    per_quarter = sum(n for n, _ in counted(answer(per_period, "pct_r")["rows"]).values())
    blood = answer(per_period, "density_1000jh", phenotype="eblse", specimen="blood")
    assert blood["rule"] == "hemoculture-patient-espece-v1"
    year["world"].services.methods.change_deduplication(NATIONAL, {"period": "annee", "reason": "Règle annuelle"})
    whole = answer(year, "pct_r")
    assert whole["rule"] == "patient-espece-antibiotype-annee-v1" and whole["dedup_setting"]["period"] == "annee"
    assert sum(n for n, _ in counted(whole["rows"]).values()) < per_quarter  # the year drops the repeats across quarters
    year["world"].services.methods.change_deduplication(NATIONAL, {"period": "periode-import", "reason": "Retour"})


def test_consumption_answers_name_no_deduplication_setting(year):
    found = year["world"].services.indicators.compute(year["referent"], "ddj_1000jh", f"establishment:{FINESS}", str(YEAR),
                                                      None, {})  # fmt: skip
    assert "dedup_setting" not in found


def test_every_version_is_kept_newest_first_with_who_when_and_why_and_each_change_is_audited(year):
    methods, audit = year["world"].services.methods, year["world"].audit
    before = len(audit.entries)
    methods.change_deduplication(NATIONAL, {"period": "periode-import", "reason": "Essai"})
    methods.change_deduplication(NATIONAL, {"period": "annee", "reason": "Fin de l'essai"})
    listed = methods.deduplication(NATIONAL)
    versions = listed["versions"]
    assert [v["version"] for v in versions] == list(range(len(versions), 0, -1))
    assert listed["current"] == versions[0] and versions[0]["reason"] == "Fin de l'essai"
    assert versions[-1]["set_by"] is None and versions[-1]["period"] == "annee"  # the platform's initial rule
    assert versions[0]["set_by"] == "nat@sante.fr" and versions[0]["set_at"]
    changes = [e for e in audit.entries[before:] if e.action == "methods.deduplication"]
    assert [(e.before["period"], e.after["period"]) for e in changes] == [
        ("annee", "periode-import"),
        ("periode-import", "annee"),
    ]


@pytest.mark.parametrize("caller", ["referent", "regional"])
def test_nobody_but_the_national_team_changes_the_setting_and_a_refusal_changes_nothing(year, caller):
    who = year["referent"] if caller == "referent" else REGIONAL
    methods = year["world"].services.methods
    before = methods.deduplication(NATIONAL)
    with pytest.raises(Forbidden):
        methods.change_deduplication(who, {"period": "periode-import", "reason": "Je préfère"})
    assert methods.deduplication(NATIONAL) == before


def test_an_invalid_or_empty_change_is_refused_in_french_and_changes_nothing(year):
    methods = year["world"].services.methods
    before = methods.deduplication(NATIONAL)
    with pytest.raises(InvalidInput):
        methods.change_deduplication(NATIONAL, {"period": "semestre", "reason": "x"})
    with pytest.raises(Conflict):
        methods.change_deduplication(NATIONAL, {"period": before["current"]["period"], "reason": "rappel"})
    assert methods.deduplication(NATIONAL) == before


def test_who_changed_the_setting_is_named_to_the_national_team_only(year):
    methods = year["world"].services.methods
    methods.change_deduplication(NATIONAL, {"period": "periode-import", "reason": "Essai de lecture"})
    try:
        assert methods.deduplication(NATIONAL)["current"]["set_by"] == "nat@sante.fr"
        for caller in (year["referent"], REGIONAL):
            seen = methods.deduplication(caller)
            assert seen["current"]["set_by"] == "Équipe nationale"
            assert "nat@sante.fr" not in repr(seen)
    finally:
        methods.change_deduplication(NATIONAL, {"period": "annee", "reason": "Fin de l'essai"})


class CountingReads:
    def __init__(self, store):
        self.store, self.reads = store, 0

    def dedup_versions(self):
        self.reads += 1
        return self.store.dedup_versions()

    def add_dedup_version(self, setting):
        self.store.add_dedup_version(setting)


def test_the_open_strategy_panel_reads_the_setting_once_so_its_items_and_its_rule_agree(year):
    indicators = year["world"].services.indicators
    counting = CountingReads(indicators._methods)
    indicators._methods = counting
    try:
        answer = indicators.open_data("strategy_panel", "national", str(YEAR), {})
    finally:
        indicators._methods = counting.store
    assert counting.reads == 1
    assert "hemoculture-patient-espece-annee-v1" in answer["rule"]  # its SARM bacteraemia item's rule is named too
