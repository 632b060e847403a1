"""The national deduplication setting (DOMAIN.md §6: rule and period are parameters), as sentences."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.indicators import INDICATORS, deduplicates, rule_of
from chalicelib.domain.resistance.dedup import BLOOD_RULE, BLOOD_YEAR_RULE, DEFAULT_RULE, YEAR_RULE, PeriodScope
from chalicelib.domain.resistance.dedup_setting import INITIAL, current_of, next_version

AT = "2026-12-07T10:00:00+00:00"


def test_until_the_national_team_changes_it_a_year_deduplicates_over_the_whole_year():
    assert current_of([]) == INITIAL
    assert (INITIAL.version, INITIAL.period, INITIAL.rule, INITIAL.blood_rule) == (
        1,
        PeriodScope.YEAR,
        YEAR_RULE,
        BLOOD_YEAR_RULE,
    )


def test_per_import_period_a_year_adds_up_each_imports_own_decisions_and_says_so():
    changed = next_version(INITIAL, "periode-import", "Comparaison avec 2023", "nat@sante.fr", AT)
    assert (changed.version, changed.rule, changed.blood_rule) == (2, DEFAULT_RULE, BLOOD_RULE)
    assert not changed.whole_year
    assert changed.document()["rule"] == "patient-espece-antibiotype-v1"
    assert (changed.set_by, changed.set_at, changed.reason) == ("nat@sante.fr", AT, "Comparaison avec 2023")


def test_the_latest_version_is_the_one_in_force():
    second = next_version(INITIAL, "periode-import", "a", "nat@sante.fr", AT)
    third = next_version(second, "annee", "b", "nat@sante.fr", AT)
    assert current_of([third, second]) == third


def test_an_indicator_names_the_rules_the_setting_applies():
    per_period = next_version(INITIAL, "periode-import", "a", "nat@sante.fr", AT)
    combined = rule_of(INDICATORS["combined"], {})
    assert per_period.names(combined).endswith(DEFAULT_RULE.id) and YEAR_RULE.id not in per_period.names(combined)
    assert per_period.names(rule_of(INDICATORS["density_1000jh"], {"specimen": "blood"})) == BLOOD_RULE.id
    assert INITIAL.names(rule_of(INDICATORS["density_1000jh"], {"specimen": "blood"})) == BLOOD_YEAR_RULE.id
    consumption = rule_of(INDICATORS["ddj_1000jh"], {})
    assert per_period.names(consumption) == consumption and not deduplicates(consumption)


@pytest.mark.parametrize("setting", [INITIAL, next_version(INITIAL, "periode-import", "a", "nat@sante.fr", AT)])
def test_the_quarterly_view_of_resistance_keeps_each_quarter_s_own_decisions_whatever_the_setting(setting):
    """DOMAIN.md §6: "quarterly views keep the per-quarter result"."""
    for indicator in ("pct_phenotype", "density_1000jh"):
        rule = rule_of(INDICATORS[indicator], {"specimen": "all"}, "period")
        assert setting.names(rule) == DEFAULT_RULE.id and deduplicates(rule)
    blood = rule_of(INDICATORS["density_1000jh"], {"specimen": "blood"}, "period")
    assert setting.names(blood) == BLOOD_RULE.id and deduplicates(blood)
    assert rule_of(INDICATORS["ddj_1000jh"], {}, "period") == rule_of(INDICATORS["ddj_1000jh"], {})  # consumption: no isolates


@pytest.mark.parametrize(("period", "reason", "field"), [("trimestre", "motif", "period"), ("annee", "  ", "reason"),
                                                          (None, "motif", "period"), ("annee", "x" * 501, "reason")])  # fmt: skip
def test_an_unknown_period_or_a_change_without_its_reason_is_refused_in_french(period, reason, field):
    with pytest.raises(InvalidInput) as refused:
        next_version(next_version(INITIAL, "periode-import", "a", "n@s.fr", AT), period, reason, "nat@sante.fr", AT)
    assert field in {d["field"] for d in refused.value.details}


def test_a_version_that_changes_nothing_is_refused():
    with pytest.raises(Conflict) as refused:
        next_version(INITIAL, "annee", "rappel", "nat@sante.fr", AT)
    assert "déjà" in str(refused.value)
