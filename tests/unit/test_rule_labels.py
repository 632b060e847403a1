"""Users read rules in French, never by their internal id (issue #20): each answer's ``rule_label``."""

from __future__ import annotations

from chalicelib.domain.resistance.dedup import DEFAULT_RULE, RULES, YEAR_RULE, rule_label
from tests.unit.test_indicators import REFERENT, world  # noqa: F401  (the fixture)


def test_a_deduplication_rule_is_named_by_its_french_label():
    assert rule_label(DEFAULT_RULE.id) == "Premier isolat par patient × espèce × antibiotype, par période d'import"
    for rule in RULES.values():
        assert rule_label(rule.id) == rule.label != rule.id


def test_each_part_of_a_composite_rule_is_named_and_french_parts_stay_as_they_are():
    ddd = "DDJ OMS (table ATC/DDD de l'année des données)"
    assert rule_label(f"{ddd} ; {YEAR_RULE.id}") == f"{ddd} ; {YEAR_RULE.label}"
    assert rule_label(ddd) == ddd


def test_every_indicator_answer_names_its_rule_in_french(world):  # noqa: F811
    indicators = world.services.indicators
    for indicator, options in (("pct_r", {}), ("density_1000jh", {"phenotype": "sarm", "specimen": "blood"}), ("ddj_1000jh", {})):
        answer = indicators.compute(REFERENT, indicator, "establishment:440000990", "2025", None, options)
        assert answer["rule_label"] == rule_label(answer["rule"])
        assert not any(rule_id in answer["rule_label"] for rule_id in RULES), answer["rule_label"]
    trend = indicators.trend(REFERENT, "pct_r", "establishment:440000990", "2024", "2025", None, {})
    assert trend["rule_label"] == rule_label(trend["rule"])
