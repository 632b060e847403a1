"""Completeness and campaigns under hostile input and racing jobs: a clear refusal, nothing changed,
nothing of another region shown, a reminder never sent twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.errors import DomainError, Forbidden, NotFound
from tests.unit.test_follow_up import FAR, NATIONAL, REFERENT, REGIONAL, a_campaign, a_world, imported, on


@pytest.mark.parametrize("scope", ["region:5Z", "region:", "REGION:52", "national;", "region:52/../11", "x" * 5000])
def test_a_hostile_scope_is_refused(scope):
    with pytest.raises(DomainError):
        a_world().services.completeness.table(NATIONAL, scope, "2025")


@pytest.mark.parametrize("year", ["2025; DROP", "99999", "", "2025-T1", "-1"])
def test_a_hostile_year_is_refused(year):
    with pytest.raises(DomainError):
        a_world().services.completeness.table(NATIONAL, "region:52", year)


def test_a_region_never_lists_another_regions_establishments_and_a_member_reads_no_table():
    world = a_world()
    imported(world, FAR, "consumption", "2025-T1")
    assert FAR.value not in {r["finess"] for r in world.services.completeness.table(REGIONAL, "region:52", "2025")}
    with pytest.raises((Forbidden, NotFound)):
        world.services.completeness.table(REFERENT, "national", "2025")


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"deadline": None, "reminder_days": None},
        {"deadline": "2026-02-30", "reminder_days": [1]},
        {"deadline": "2026-03-31", "reminder_days": [10**12]},
        {"deadline": "2026-03-31", "reminder_days": [1.5]},
        {"deadline": "2026-03-31", "reminder_days": {"a": 1}},
    ],
)
def test_a_hostile_campaign_is_refused_and_changes_nothing(values):
    world = a_world()
    with pytest.raises(DomainError):
        world.services.campaign.put(NATIONAL, "2025", values)
    assert world.services.campaign.get(NATIONAL, "2025")["deadline"] is None
    assert not [e for e in world.audit.entries if e.action == "campaign.set"]


def test_four_reminder_jobs_racing_send_each_reminder_once():
    world = a_world()
    a_campaign(world)
    on(world, "2026-03-24")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: world.services.jobs["remind_deadlines"](), range(4)))
    assert sorted(letter.to for letter in world.mailer.sent) == [("r@aphp.fr",), ("r@chu.fr",)]


def test_a_reminder_whose_run_died_between_claim_and_mail_is_sent_by_the_next_days_run_once():
    world = a_world()
    a_campaign(world)
    on(world, "2026-03-24")
    claim = world.services.campaign._campaigns.claim_reminder  # the run dies right after claiming

    def dies_after_claiming(*args, **kwargs):
        claim(*args, **kwargs)
        raise SystemExit("power cut")

    world.services.campaign._campaigns.claim_reminder = dies_after_claiming  # type: ignore[method-assign]
    with pytest.raises(SystemExit):
        world.services.jobs["remind_deadlines"]()
    assert world.mailer.sent == []
    world.services.campaign._campaigns.claim_reminder = claim  # type: ignore[method-assign]
    world.services.jobs["remind_deadlines"]()  # the same day: the claim may still be sending
    assert world.mailer.sent == []
    on(world, "2026-03-25")
    world.services.jobs["remind_deadlines"]()
    world.services.jobs["remind_deadlines"]()
    assert sorted(letter.to for letter in world.mailer.sent) == [("r@aphp.fr",), ("r@chu.fr",)]
