"""The CampaignStore contract, on the in-memory fake and on DynamoDB (against the emulator)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from chalicelib.domain.campaign import Campaign
from chalicelib.services.ports.campaigns import ReminderSent
from tests.fakes.campaigns import FakeCampaignStore


@pytest.fixture(params=["fake", "dynamodb"])
def campaigns(request):
    if request.param == "fake":
        return FakeCampaignStore()
    return request.getfixturevalue("aws").adapters.campaigns


def test_a_campaign_comes_back_as_it_was_set_and_a_new_setting_replaces_it(campaigns):
    assert campaigns.get(2025) is None
    first = Campaign(2025, date(2026, 3, 31), (30, 7, 1), "nat@sante.fr", "2026-01-05T10:00:00+00:00")
    campaigns.put(first)
    assert campaigns.get(2025) == first
    later = Campaign(2025, date(2026, 4, 15), (14,), "autre@sante.fr", "2026-02-01T10:00:00+00:00")
    campaigns.put(later)
    assert campaigns.get(2025) == later


def test_every_campaign_is_listed_oldest_year_first_without_its_reminders(campaigns):
    campaigns.put(Campaign(2026, date(2027, 3, 31), (7,)))
    campaigns.put(Campaign(2025, date(2026, 3, 31), (7,)))
    campaigns.claim_reminder(ReminderSent(2025, 7, "440000990", "t", 1))
    assert [c.year for c in campaigns.all()] == [2025, 2026]


def test_an_establishment_is_reminded_once_per_reminder_day(campaigns):
    sent = ReminderSent(2025, 30, "440000990", "2026-03-01T06:00:00+00:00", 2)
    assert campaigns.claim_reminder(sent) is True
    campaigns.confirm_reminder(sent)
    later = "2026-03-09T06:00:00+00:00"  # any claim, however old, once confirmed
    assert campaigns.claim_reminder(ReminderSent(2025, 30, "440000990", "2026-03-02T06:00:00+00:00", 2), later) is False
    other_day = ReminderSent(2025, 7, "440000990", "2026-03-24T06:00:00+00:00", 2)
    assert campaigns.claim_reminder(other_day) is True
    campaigns.confirm_reminder(other_day)
    assert campaigns.claim_reminder(ReminderSent(2026, 30, "440000990", "2027-03-01T06:00:00+00:00", 2)) is True
    assert campaigns.reminders(2025) == [sent, other_day]


def test_a_reminder_claimed_but_never_confirmed_is_not_listed_as_sent(campaigns):
    assert campaigns.claim_reminder(ReminderSent(2025, 7, "440000990", "2026-03-24T06:00:00+00:00", 1))
    assert campaigns.reminders(2025) == []


def test_a_claim_whose_run_died_before_sending_is_taken_over_once_stale_never_before(campaigns):
    dead = ReminderSent(2025, 7, "440000990", "2026-03-24T06:00:00.000+00:00", 1)
    assert campaigns.claim_reminder(dead)
    retry = ReminderSent(2025, 7, "440000990", "2026-03-24T06:30:00.000+00:00", 1)
    assert campaigns.claim_reminder(retry, stale_before="2026-03-24T05:30:00.000+00:00") is False  # may still be sending
    next_day = ReminderSent(2025, 7, "440000990", "2026-03-25T06:00:00.000+00:00", 1)
    assert campaigns.claim_reminder(next_day, stale_before="2026-03-25T05:00:00.000+00:00") is True
    campaigns.confirm_reminder(dead)  # the dead run's late confirmation confirms nothing of the new claim's
    assert campaigns.reminders(2025) == []
    campaigns.confirm_reminder(next_day)
    assert campaigns.reminders(2025) == [next_day]


def test_of_two_jobs_claiming_the_same_reminder_at_once_one_sends_it(campaigns):
    def claim(at):
        return campaigns.claim_reminder(ReminderSent(2025, 7, "440000990", at, 1))

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(claim, ["a", "b", "c", "d"]))
    assert outcomes.count(True) == 1


def test_a_claim_whose_mail_failed_is_released_and_can_be_claimed_again(campaigns):
    sent = ReminderSent(2025, 7, "440000990", "2026-03-24T06:00:00+00:00", 1)
    assert campaigns.claim_reminder(sent)
    campaigns.release_reminder(sent)
    assert campaigns.reminders(2025) == []
    assert campaigns.claim_reminder(ReminderSent(2025, 7, "440000990", "2026-03-25T06:00:00+00:00", 1))
