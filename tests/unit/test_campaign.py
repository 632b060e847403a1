"""A year's campaign (DOMAIN.md §10.9): its deadline, its reminder days, and which reminder is due."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.campaign import Campaign, campaign_of, campaign_year
from chalicelib.domain.errors import InvalidInput

CAMPAIGN = Campaign(2025, date(2026, 3, 31), (30, 7, 1))


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 2, 28), None),  # 31 days before: no reminder yet
        (date(2026, 3, 1), 30),
        (date(2026, 3, 2), 30),  # the 30-day reminder stays the due one (sent once: the store says so)
        (date(2026, 3, 24), 7),
        (date(2026, 3, 30), 1),
        (date(2026, 3, 31), 1),  # the deadline's day: the last reminder still
        (date(2026, 4, 1), None),  # after the deadline: nothing
    ],
)
def test_the_due_reminder_is_the_latest_whose_day_has_come_until_the_deadline(today, due):
    assert CAMPAIGN.due_reminder(today) == due


def test_a_reminder_on_the_deadlines_own_day_is_possible():
    assert Campaign(2025, date(2026, 3, 31), (0,)).due_reminder(date(2026, 3, 31)) == 0


def test_the_national_team_sets_a_deadline_and_reminder_days_kept_largest_first_without_repeats():
    set_ = campaign_of(2025, {"deadline": "2026-03-31", "reminder_days": [7, 30, 7, 1]}, "nat@sante.fr", "t")
    assert set_ == Campaign(2025, date(2026, 3, 31), (30, 7, 1), "nat@sante.fr", "t")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"deadline": "31/03/2026", "reminder_days": [7]}, "deadline"),
        ({"deadline": "2024-12-31", "reminder_days": [7]}, "deadline"),  # before the year it closes
        ({"deadline": "2026-03-31", "reminder_days": [-1]}, "reminder_days"),
        ({"deadline": "2026-03-31", "reminder_days": [400]}, "reminder_days"),
        ({"deadline": "2026-03-31", "reminder_days": list(range(11))}, "reminder_days"),
        ({"deadline": "2026-03-31", "reminder_days": "7"}, "reminder_days"),
        ({"deadline": "2026-03-31", "reminder_days": [True]}, "reminder_days"),
    ],
)
def test_a_campaign_that_makes_no_sense_is_refused_in_french_naming_the_field(values, field):
    with pytest.raises(InvalidInput) as refused:
        campaign_of(2025, values, "nat@sante.fr", "t")
    assert refused.value.details[0]["field"] == field
    assert "invalide" in refused.value.message or "précéder" in refused.value.message


@pytest.mark.parametrize("raw", ["25", "20255", "abcd", "1999", "2101", ""])
def test_a_campaign_year_is_four_digits_within_reason(raw):
    with pytest.raises(InvalidInput):
        campaign_year(raw)
