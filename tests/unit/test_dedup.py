"""Deduplication of isolates (DOMAIN.md §6), on hand-made cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain.resistance.dedup import (
    BLOOD_RULE,
    BLOOD_YEAR_RULE,
    DEFAULT_RULE,
    EARS_NET_RULE,
    RULES,
    YEAR_RULE,
    Decision,
    DedupRule,
    PeriodScope,
    deduplicate,
    deduplicate_blood,
    deduplicate_ears_net,
    deduplicate_year,
)
from chalicelib.domain.resistance.model import Carbapenemase, Isolate, Sir
from tests.support.isolates import isolate as iso

QUARTER = "2025-T1"


def quarter(_: Isolate) -> str:
    return QUARTER


def by_id(decisions: list[Decision]) -> dict[str, tuple[bool, str | None]]:
    return {d.isolate_id: (d.kept, d.duplicate_of) for d in decisions}


def kept(decisions: list[Decision]) -> list[str]:
    return [d.isolate_id for d in decisions if d.kept]


# --- the default rule ---


def test_second_isolate_with_same_antibiotype_is_a_duplicate() -> None:
    first = iso(2, "AMX=R CTX=S CIP=S", when=date(2025, 1, 10))
    again = iso(3, "AMX=R CTX=S CIP=S", when=date(2025, 2, 3))

    assert by_id(deduplicate([first, again], DEFAULT_RULE, quarter)) == {"u1:2": (True, None), "u1:3": (False, "u1:2")}


def test_an_s_versus_r_difference_keeps_a_new_antibiotype() -> None:
    first = iso(2, "AMX=R CTX=S CIP=S", when=date(2025, 1, 10))
    turned = iso(3, "AMX=R CTX=R CIP=S", when=date(2025, 2, 3))

    assert by_id(deduplicate([first, turned], DEFAULT_RULE, quarter)) == {"u1:2": (True, None), "u1:3": (True, None)}


def test_an_r_versus_s_difference_keeps_a_new_antibiotype_too() -> None:
    first = iso(2, "AMX=R CTX=R", when=date(2025, 1, 10))
    back = iso(3, "AMX=R CTX=S", when=date(2025, 2, 3))

    assert kept(deduplicate([first, back], DEFAULT_RULE, quarter)) == ["u1:2", "u1:3"]


def test_sfp_is_uninformative() -> None:
    first = iso(2, "AMX=R CIP=S LVX=R", when=date(2025, 1, 10))
    sfp_against_s = iso(3, "AMX=R CIP=SFP LVX=R", when=date(2025, 1, 20))
    sfp_against_r = iso(4, "AMX=R CIP=S LVX=SFP", when=date(2025, 1, 30))

    decisions = by_id(deduplicate([first, sfp_against_s, sfp_against_r], DEFAULT_RULE, quarter))

    assert decisions == {"u1:2": (True, None), "u1:3": (False, "u1:2"), "u1:4": (False, "u1:2")}


def test_a_rule_may_count_sfp_as_informative() -> None:
    strict = replace(DEFAULT_RULE, id="strict-test", uninformative=frozenset())
    first = iso(2, "AMX=R CIP=S", when=date(2025, 1, 10))
    sfp = iso(3, "AMX=R CIP=SFP", when=date(2025, 1, 20))

    assert kept(deduplicate([first, sfp], strict, quarter)) == ["u1:2", "u1:3"]


def test_an_antibiotic_tested_in_one_isolate_only_is_no_disagreement() -> None:
    first = iso(2, "AMX=R CTX=S", when=date(2025, 1, 10))
    more = iso(3, "AMX=R CTX=S CIP=R", when=date(2025, 1, 20))
    fewer = iso(4, "AMX=R", when=date(2025, 1, 30))

    assert by_id(deduplicate([first, more, fewer], DEFAULT_RULE, quarter)) == {
        "u1:2": (True, None),
        "u1:3": (False, "u1:2"),
        "u1:4": (False, "u1:2"),
    }


def test_esbl_positive_versus_negative_is_a_new_antibiotype() -> None:
    negative = iso(2, "AMX=R", esbl=False, when=date(2025, 1, 10))
    positive = iso(3, "AMX=R", esbl=True, when=date(2025, 1, 20))

    assert kept(deduplicate([negative, positive], DEFAULT_RULE, quarter)) == ["u1:2", "u1:3"]


def test_esbl_positive_versus_unknown_is_no_disagreement() -> None:
    positive = iso(2, "AMX=R", esbl=True, when=date(2025, 1, 10))
    unknown = iso(3, "AMX=R", esbl=None, when=date(2025, 1, 20))

    assert by_id(deduplicate([positive, unknown], DEFAULT_RULE, quarter))["u1:3"] == (False, "u1:2")


def test_carbapenemase_positive_versus_negative_is_a_new_antibiotype() -> None:
    negative = iso(2, "IPM=S", carbapenemase=Carbapenemase.NEGATIVE, when=date(2025, 1, 10))
    kpc = iso(3, "IPM=S", carbapenemase=Carbapenemase.KPC, when=date(2025, 1, 20))
    unknown = iso(4, "IPM=S", when=date(2025, 1, 30))

    assert by_id(deduplicate([negative, kpc, unknown], DEFAULT_RULE, quarter)) == {
        "u1:2": (True, None),
        "u1:3": (True, None),
        "u1:4": (False, "u1:2"),
    }


def test_two_carbapenemase_types_are_both_positive_so_no_disagreement() -> None:
    kpc = iso(2, "IPM=R", carbapenemase=Carbapenemase.KPC, when=date(2025, 1, 10))
    ndm = iso(3, "IPM=R", carbapenemase=Carbapenemase.NDM, when=date(2025, 1, 20))

    assert by_id(deduplicate([kpc, ndm], DEFAULT_RULE, quarter))["u1:3"] == (False, "u1:2")


def test_the_species_label_hint_counts_as_a_positive_flag_when_the_flag_is_missing() -> None:
    negative = iso(2, "AMX=R", esbl=False, carbapenemase=Carbapenemase.NEGATIVE, when=date(2025, 1, 10))
    labelled_esbl = iso(3, "AMX=R", hints={"esbl": True}, when=date(2025, 1, 20))
    labelled_cpe = iso(4, "AMX=R", hints={"cpe": True}, esbl=False, when=date(2025, 1, 30))
    hints = {"esbl": True, "cpe": True}
    flag_wins = iso(5, "AMX=R", esbl=False, carbapenemase=Carbapenemase.NEGATIVE, hints=hints, when=date(2025, 2, 5))

    assert by_id(deduplicate([negative, labelled_esbl, labelled_cpe, flag_wins], DEFAULT_RULE, quarter)) == {
        "u1:2": (True, None),
        "u1:3": (True, None),
        "u1:4": (True, None),
        "u1:5": (False, "u1:2"),
    }


def test_a_rule_may_ignore_the_flags() -> None:
    blind = replace(DEFAULT_RULE, id="flags-ignored-test", esbl_counts=False, carbapenemase_counts=False)
    negative = iso(2, "AMX=R", esbl=False, carbapenemase=Carbapenemase.NEGATIVE, when=date(2025, 1, 10))
    positive = iso(3, "AMX=R", esbl=True, carbapenemase=Carbapenemase.OXA48, when=date(2025, 1, 20))

    assert by_id(deduplicate([negative, positive], blind, quarter))["u1:3"] == (False, "u1:2")


def test_an_earlier_specimen_is_taken_first_whatever_the_file_order() -> None:
    later = iso(2, "AMX=R CTX=S", when=date(2025, 3, 1))
    earlier = iso(3, "AMX=R CTX=S", when=date(2025, 1, 5))

    assert by_id(deduplicate([later, earlier], DEFAULT_RULE, quarter)) == {"u1:2": (False, "u1:3"), "u1:3": (True, None)}


def test_same_date_keeps_the_most_complete_antibiogram_first() -> None:
    sparse = iso(2, "AMX=R")
    complete = iso(3, "AMX=R CTX=S CIP=S")

    assert by_id(deduplicate([sparse, complete], DEFAULT_RULE, quarter)) == {"u1:2": (False, "u1:3"), "u1:3": (True, None)}


def test_same_date_same_completeness_keeps_file_order() -> None:
    below = iso(7, "AMX=R CTX=S")
    above = iso(4, "AMX=R CTX=S")

    assert by_id(deduplicate([below, above], DEFAULT_RULE, quarter)) == {"u1:7": (False, "u1:4"), "u1:4": (True, None)}


def test_another_species_or_patient_is_never_a_duplicate() -> None:
    first = iso(2, "AMX=R CTX=S")
    other_species = iso(3, "AMX=R CTX=S", species="KLEPNE")
    other_patient = iso(4, "AMX=R CTX=S", patient="P2")

    assert kept(deduplicate([first, other_species, other_patient], DEFAULT_RULE, quarter)) == ["u1:2", "u1:3", "u1:4"]


def test_another_period_is_never_a_duplicate() -> None:
    january = iso(2, "AMX=R CTX=S", when=date(2025, 1, 10))
    april = iso(3, "AMX=R CTX=S", when=date(2025, 4, 10))

    def by_quarter(isolate: Isolate) -> str:
        return f"2025-T{(isolate.specimen_date.month - 1) // 3 + 1}"

    assert kept(deduplicate([january, april], DEFAULT_RULE, by_quarter)) == ["u1:2", "u1:3"]


def test_a_duplicate_of_a_duplicate_is_judged_against_kept_isolates_only() -> None:
    kept_first = iso(2, "AMX=R CIP=S", when=date(2025, 1, 10))
    duplicate = iso(3, "AMX=R", when=date(2025, 1, 20))  # no CIP: repeats the first
    turned = iso(4, "AMX=R CIP=R", when=date(2025, 1, 30))  # agrees with the duplicate, not with the kept isolate

    assert by_id(deduplicate([kept_first, duplicate, turned], DEFAULT_RULE, quarter)) == {
        "u1:2": (True, None),
        "u1:3": (False, "u1:2"),
        "u1:4": (True, None),
    }


def test_a_duplicate_names_the_first_kept_isolate_it_repeats() -> None:
    susceptible = iso(2, "AMX=R CIP=S", when=date(2025, 1, 10))
    resistant = iso(3, "AMX=R CIP=R", when=date(2025, 1, 20))
    either = iso(4, "AMX=R", when=date(2025, 1, 30))
    like_the_second = iso(5, "AMX=R CIP=R", when=date(2025, 2, 9))

    assert by_id(deduplicate([susceptible, resistant, either, like_the_second], DEFAULT_RULE, quarter)) == {
        "u1:2": (True, None),
        "u1:3": (True, None),
        "u1:4": (False, "u1:2"),
        "u1:5": (False, "u1:3"),
    }


def test_decisions_come_in_the_input_order_with_their_group() -> None:
    isolates = [iso(5, "AMX=R", when=date(2025, 2, 1)), iso(2, "AMX=R", patient="P2"), iso(3, "AMX=R", when=date(2025, 1, 1))]

    decisions = deduplicate(isolates, DEFAULT_RULE, quarter)

    assert [d.isolate_id for d in decisions] == ["u1:5", "u1:2", "u1:3"]
    assert [d.group for d in decisions] == ["2025-T1|P1|ESCCOL", "2025-T1|P2|ESCCOL", "2025-T1|P1|ESCCOL"]
    assert deduplicate([], DEFAULT_RULE, quarter) == []


# --- blood cultures, the year, EARS-Net ---


def test_blood_cultures_keep_the_first_per_patient_species_and_period() -> None:
    def is_blood(isolate: Isolate) -> bool:
        return isolate.specimen == "BLOOD"

    def by_quarter(isolate: Isolate) -> str:
        return f"2025-T{(isolate.specimen_date.month - 1) // 3 + 1}"

    isolates = [
        iso(2, "AMX=R CTX=S", specimen="URINE", when=date(2025, 1, 2)),  # not in the series
        iso(3, "AMX=R CTX=S", specimen="BLOOD", when=date(2025, 1, 9)),
        iso(4, "AMX=R CTX=R", specimen="BLOOD", when=date(2025, 1, 20)),  # another antibiotype: still a duplicate
        iso(5, "AMX=R CTX=S", specimen="BLOOD", species="STAAUR", when=date(2025, 1, 20)),
        iso(6, "AMX=R CTX=S", specimen="BLOOD", patient="P2", when=date(2025, 1, 20)),
        iso(7, "AMX=R CTX=S", specimen="BLOOD", when=date(2025, 5, 20)),  # next quarter
    ]

    decisions = deduplicate_blood(isolates, is_blood, by_quarter)

    assert by_id(decisions) == {
        "u1:3": (True, None),
        "u1:4": (False, "u1:3"),
        "u1:5": (True, None),
        "u1:6": (True, None),
        "u1:7": (True, None),
    }
    assert {d.rule for d in decisions} == {BLOOD_RULE.id}


def test_blood_cultures_on_one_date_take_the_most_complete_antibiogram_first() -> None:
    isolates = [iso(2, "AMX=R", specimen="BLOOD"), iso(3, "AMX=R CTX=S", specimen="BLOOD")]

    decisions = deduplicate_blood(isolates, lambda isolate: isolate.specimen == "BLOOD", quarter)

    assert by_id(decisions) == {"u1:2": (False, "u1:3"), "u1:3": (True, None)}


def test_year_view_makes_a_q2_repeat_a_duplicate_while_quarters_stay_unchanged() -> None:
    period_of_upload = {"q1": "2025-T1", "q2": "2025-T2"}

    def import_period(isolate: Isolate) -> str:
        return period_of_upload[isolate.isolate_id.split(":")[0]]

    q1 = iso(2, "AMX=R CTX=S", upload="q1", when=date(2025, 2, 10))
    q2_repeat = iso(2, "AMX=R CTX=S", upload="q2", when=date(2025, 5, 3))
    q2_new = iso(3, "AMX=R CTX=R", upload="q2", when=date(2025, 5, 20))
    isolates = [q1, q2_repeat, q2_new]

    quarterly = deduplicate(isolates, DEFAULT_RULE, import_period)
    yearly = deduplicate_year(isolates)

    assert by_id(quarterly) == {"q1:2": (True, None), "q2:2": (True, None), "q2:3": (True, None)}
    assert by_id(yearly) == {"q1:2": (True, None), "q2:2": (False, "q1:2"), "q2:3": (True, None)}
    assert {d.rule for d in yearly} == {YEAR_RULE.id}
    assert {d.group for d in yearly} == {"2025|P1|ESCCOL"}
    # The same function, another period key: the quarters' own decisions are those of each quarter alone.
    assert deduplicate([q1], DEFAULT_RULE, import_period) == quarterly[:1]
    assert deduplicate([q2_repeat, q2_new], DEFAULT_RULE, import_period) == quarterly[1:]


def test_a_patients_e_coli_in_q1_and_its_identical_repeat_in_q2_count_once_in_the_year_twice_across_quarters() -> None:
    period_of_upload = {"q1": "2025-T1", "q2": "2025-T2"}

    def import_period(isolate: Isolate) -> str:
        return period_of_upload[isolate.isolate_id.split(":")[0]]

    q1 = iso(2, "AMX=R CTX=S CIP=S", upload="q1", when=date(2025, 3, 30))
    q2 = iso(7, "AMX=R CTX=S CIP=S", upload="q2", when=date(2025, 4, 2))

    quarters = deduplicate([q1, q2], DEFAULT_RULE, import_period)
    year = deduplicate_year([q1, q2])

    assert sum(d.kept for d in quarters) == 2
    assert sum(d.kept for d in year) == 1
    assert by_id(year)["q2:7"] == (False, "q1:2")


def test_a_blood_culture_repeated_in_the_next_quarter_is_the_years_first_only_once() -> None:
    period_of_upload = {"q1": "2025-T1", "q2": "2025-T2"}

    def import_period(isolate: Isolate) -> str:
        return period_of_upload[isolate.isolate_id.split(":")[0]]

    def blood(isolate: Isolate) -> bool:
        return isolate.specimen == "BLOOD"

    q1 = iso(2, "AMX=R", upload="q1", when=date(2025, 3, 1), specimen="BLOOD")
    q2 = iso(3, "AMX=S", upload="q2", when=date(2025, 4, 1), specimen="BLOOD")  # another antibiotype: ignored

    quarters = deduplicate_blood([q1, q2], blood, import_period)
    year = deduplicate_blood([q1, q2], blood, lambda isolate: str(isolate.specimen_date.year), BLOOD_YEAR_RULE)

    assert [d.kept for d in quarters] == [True, True]
    assert by_id(year) == {"q1:2": (True, None), "q2:3": (False, "q1:2")}
    assert {d.rule for d in year} == {"hemoculture-patient-espece-annee-v1"}


def test_ears_net_keeps_the_first_invasive_isolate_per_patient_pathogen_and_year() -> None:
    pathogens = {"ESCCOL": "ESCCOL", "ACIBAU": "ACISPP", "ACIPIT": "ACISPP", "STAAUR": "STAAUR"}

    def is_invasive(isolate: Isolate) -> bool:
        return isolate.specimen in {"BLOOD", "CSF"}

    isolates = [
        iso(2, "AMX=R", specimen="URINE", when=date(2025, 1, 1)),  # not invasive: not in the series
        iso(3, "AMX=R", specimen="BLOOD", when=date(2025, 1, 5)),
        iso(4, "AMX=S", specimen="CSF", when=date(2025, 3, 5)),  # another antibiotype: still a duplicate
        iso(9, "IPM=R", specimen="BLOOD", species="ACIBAU", when=date(2025, 2, 1)),
        iso(8, "IPM=R MEM=R", specimen="CSF", species="ACIPIT", when=date(2025, 2, 1)),  # same date: row, not completeness
        iso(10, "AMX=R", specimen="BLOOD", species="PROMIR", when=date(2025, 2, 1)),  # not an EARS-Net pathogen
        iso(11, "AMX=R", specimen="BLOOD", when=date(2026, 1, 5)),  # next year
    ]

    decisions = deduplicate_ears_net(isolates, is_invasive, lambda isolate: pathogens.get(isolate.species))

    assert by_id(decisions) == {
        "u1:3": (True, None),
        "u1:4": (False, "u1:3"),
        "u1:9": (False, "u1:8"),
        "u1:8": (True, None),
        "u1:11": (True, None),
    }
    assert [d.group for d in decisions if d.kept] == ["2025|P1|ESCCOL", "2025|P1|ACISPP", "2026|P1|ESCCOL"]


def test_ears_net_takes_the_year_it_is_given() -> None:
    december = iso(2, "AMX=R", specimen="BLOOD", when=date(2024, 12, 30))
    january = iso(3, "AMX=R", specimen="BLOOD", when=date(2025, 1, 2))

    decisions = deduplicate_ears_net([december, january], lambda _: True, lambda i: i.species, year_of=lambda _: 2025)

    assert by_id(decisions) == {"u1:2": (True, None), "u1:3": (False, "u1:2")}


# --- rules as data ---


def test_every_decision_names_its_rule() -> None:
    isolates = [iso(2, "AMX=R", specimen="BLOOD"), iso(3, "AMX=R", specimen="BLOOD", when=date(2025, 2, 1))]

    def blood(isolate: Isolate) -> bool:
        return isolate.specimen == "BLOOD"

    series = {
        DEFAULT_RULE.id: deduplicate(isolates, DEFAULT_RULE, quarter),
        YEAR_RULE.id: deduplicate_year(isolates),
        BLOOD_RULE.id: deduplicate_blood(isolates, blood, quarter),
        EARS_NET_RULE.id: deduplicate_ears_net(isolates, blood, lambda i: i.species),
    }

    for rule_id, decisions in series.items():
        assert len(decisions) == 2
        assert {d.rule for d in decisions} == {rule_id}
        assert [d.kept for d in decisions] == [True, False]


@pytest.mark.parametrize(
    ("rule", "scope", "antibiotypes"),
    [
        (DEFAULT_RULE, PeriodScope.IMPORT_PERIOD, True),
        (YEAR_RULE, PeriodScope.YEAR, True),
        (BLOOD_RULE, PeriodScope.IMPORT_PERIOD, False),
        (BLOOD_YEAR_RULE, PeriodScope.YEAR, False),
        (EARS_NET_RULE, PeriodScope.YEAR, False),
    ],
)
def test_rules_are_data_with_stable_ids(rule: DedupRule, scope: PeriodScope, antibiotypes: bool) -> None:
    assert RULES[rule.id] is rule
    assert rule.scope is scope
    assert rule.compares_antibiotypes is antibiotypes
    assert rule.uninformative == frozenset({Sir.SFP})
    assert DEFAULT_RULE.id == "patient-espece-antibiotype-v1"
