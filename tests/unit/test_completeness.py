"""Who has sent what (DOMAIN.md §10.9): each file type × period of a year is absent, imported, waiting
or closed, over the periods the establishment's periodicity expects and any it sent besides."""

from __future__ import annotations

from chalicelib.domain.completeness import (
    DatasetState,
    YearFacts,
    counts,
    dataset_states,
    expected_periods,
    incomplete,
    what_is_left,
)
from chalicelib.domain.imports import FileType

QUARTERS = ("2025-T1", "2025-T2", "2025-T3", "2025-T4")


def facts(imported=(), waiting=(), closed=(), periodicities=None) -> YearFacts:
    return YearFacts(2025, periodicities or {}, frozenset(imported), frozenset(waiting), frozenset(closed))


def test_quarters_are_expected_unless_the_establishment_chose_yearly_files():
    assert expected_periods(FileType.CONSUMPTION, 2025, {}) == QUARTERS
    assert expected_periods(FileType.CONSUMPTION, 2025, {"consumption_periodicity": "year"}) == ("2025",)
    assert expected_periods(FileType.PATIENT_DAYS, 2025, {"consumption_periodicity": "year"}) == ("2025",)
    assert expected_periods(FileType.RESISTANCE, 2025, {"consumption_periodicity": "year"}) == QUARTERS
    assert expected_periods(FileType.STRUCTURE, 2025, {}) == ("2025",)
    assert expected_periods(FileType.BEDS, 2025, {"consumption_periodicity": "quarter"}) == ("2025",)


def test_nothing_sent_is_absent_everywhere():
    states = dataset_states(facts())
    assert list(states) == ["structure", "beds", "patient_days", "consumption", "resistance"]
    assert states["consumption"] == dict.fromkeys(QUARTERS, DatasetState.ABSENT)
    assert incomplete(states)


def test_imported_waiting_and_closed_are_told_apart():
    states = dataset_states(
        facts(
            imported={("consumption", "2025-T1"), ("consumption", "2025-T2")},
            waiting={("resistance", "2025-T3")},
            closed={"2025-T1"},
        )
    )
    assert states["consumption"] == {
        "2025-T1": DatasetState.CLOSED,
        "2025-T2": DatasetState.IMPORTED,
        "2025-T3": DatasetState.ABSENT,
        "2025-T4": DatasetState.ABSENT,
    }
    assert states["resistance"]["2025-T3"] is DatasetState.WAITING


def test_data_already_imported_stay_imported_when_a_newer_file_waits():
    states = dataset_states(facts(imported={("resistance", "2025-T1")}, waiting={("resistance", "2025-T1")}))
    assert states["resistance"]["2025-T1"] is DatasetState.IMPORTED


def test_a_closed_period_without_data_is_still_absent():
    assert dataset_states(facts(closed={"2025-T2"}))["consumption"]["2025-T2"] is DatasetState.ABSENT


def test_the_year_closed_closes_its_quarters_and_four_closed_quarters_close_the_year():
    year_closed = dataset_states(facts(imported={("consumption", "2025-T3")}, closed={"2025"}))
    assert year_closed["consumption"]["2025-T3"] is DatasetState.CLOSED
    quarters_closed = dataset_states(facts(imported={("structure", "2025")}, closed=set(QUARTERS)))
    assert quarters_closed["structure"]["2025"] is DatasetState.CLOSED


def test_a_period_sent_outside_the_chosen_periodicity_is_shown_too():
    states = dataset_states(facts(imported={("consumption", "2025")}, periodicities={"consumption_periodicity": "quarter"}))
    assert list(states["consumption"]) == ["2025", *QUARTERS]  # the year first, as on the periods page


def test_a_year_is_complete_only_when_every_expected_period_is_closed():
    everything = {(t.value, p) for t in FileType for p in ("2025", *QUARTERS)}
    states = dataset_states(facts(imported=everything, closed={"2025"}))
    assert not incomplete(states)
    assert what_is_left(states) == ()


def test_counts_add_up_the_cells_of_every_establishment():
    one = dataset_states(facts(imported={("consumption", "2025-T1")}))
    other = dataset_states(facts(waiting={("resistance", "2025-T1")}, imported={("structure", "2025")}, closed={"2025"}))
    assert counts([one, other]) == {"absent": 25, "imported": 1, "waiting": 1, "closed": 1}


def test_a_reminder_names_what_is_left_by_file_type_in_french():
    states = dataset_states(facts(imported={("consumption", "2025-T1")}, waiting={("resistance", "2025-T2")}))
    left = what_is_left(states)
    assert "consommation d'antibiotiques et d'antifongiques : 2025-T2, 2025-T3, 2025-T4 à envoyer" in left
    assert "consommation d'antibiotiques et d'antifongiques : 2025-T1 à clôturer" in left
    assert "résistance (antibiogrammes) : 2025-T2 en attente (correspondances ou catalogue)" in left
