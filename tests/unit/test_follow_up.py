"""Completeness for a region and the nation, and the campaign's reminders (DOMAIN.md §10.9)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.uploads import Upload
from chalicelib.services.ports import CurrentDataset
from tests.fakes.wiring import fake_world

ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGIONAL = Principal(Email("ars@sante.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
CHU, CLINIQUE, FAR = Finess("440000990"), Finess("490000155"), Finess("750000010")
REFERENT = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})
QUARTERS = ("2025-T1", "2025-T2", "2025-T3", "2025-T4")


def a_world():
    world = fake_world()
    for finess, name, region in ((CHU, "CHU de Nantes", "52"), (CLINIQUE, "Clinique d'Angers", "52"), (FAR, "AP-HP", "11")):
        world.services.tenants.create_establishment(ADMIN, finess.value, name, "CHU", region)
    world.access.put_membership(Membership(CHU, Email("r@chu.fr"), Status.REFERENT, "t"))
    world.access.put_membership(Membership(CHU, Email("c@chu.fr"), Status.CONTRIBUTEUR, "t"))
    world.access.put_membership(Membership(FAR, Email("r@aphp.fr"), Status.REFERENT, "t"))
    return world


def imported(world, finess: Finess, file_type: str, period: str) -> None:
    world.uploads.replace_current(CurrentDataset(finess, file_type, period, f"u-{file_type}-{period}", (), 1), None)


def waiting(world, finess: Finess, file_type: FileType, period: str) -> None:
    world.uploads.create(
        Upload(f"w-{period}", finess, file_type, Period.parse(period), "ab.xlsx", 10, UploadStatus.NEEDS_MAPPING,
               Email("r@chu.fr"), "t", "t", "raw/x")
    )  # fmt: skip


def everything_closed(world, finess: Finess) -> None:
    for kind in FileType:
        for period in ("2025", *QUARTERS):
            imported(world, finess, kind.value, period)
    world.periods.closed.add((finess, "2025"))


def test_a_regions_table_lists_its_establishments_each_type_and_period_with_its_state():
    world = a_world()
    imported(world, CHU, "consumption", "2025-T1")
    world.periods.closed.add((CHU, "2025-T1"))
    imported(world, CHU, "consumption", "2025-T2")
    waiting(world, CHU, FileType.RESISTANCE, "2025-T2")
    rows = world.services.completeness.table(REGIONAL, "region:52", "2025")
    assert [r["name"] for r in rows] == ["CHU de Nantes", "Clinique d'Angers"]
    chu = rows[0]
    assert chu["finess"] == CHU.value and chu["region"] == "52"
    assert chu["datasets"]["consumption"] == {
        "2025-T1": "closed", "2025-T2": "imported", "2025-T3": "absent", "2025-T4": "absent"
    }  # fmt: skip
    assert chu["datasets"]["resistance"]["2025-T2"] == "waiting"
    assert set(rows[1]["datasets"]["consumption"].values()) == {"absent"}


def test_the_nation_is_the_national_teams_and_a_region_its_own_teams():
    world = a_world()
    assert {r["finess"] for r in world.services.completeness.table(NATIONAL, "national", "2025")} == {
        CHU.value, CLINIQUE.value, FAR.value
    }  # fmt: skip
    assert len(world.services.completeness.table(NATIONAL, "region:11", "2025")) == 1
    with pytest.raises(Forbidden):
        world.services.completeness.table(REGIONAL, "national", "2025")  # never another region's establishments
    with pytest.raises(NotFound):
        world.services.completeness.table(REGIONAL, "region:11", "2025")
    with pytest.raises(Forbidden):
        world.services.completeness.table(REFERENT, "region:52", "2025")


@pytest.mark.parametrize(("scope", "year"), [(None, "2025"), ("region", "2025"), ("region:52", None), ("region:52", "2025-T1")])
def test_a_malformed_scope_or_year_is_refused_in_french(scope, year):
    with pytest.raises(InvalidInput, match="invalide"):
        a_world().services.completeness.table(NATIONAL, scope, year)


def a_campaign(world, deadline="2026-03-31", days=(30, 7)):
    return world.services.campaign.put(NATIONAL, "2025", {"deadline": deadline, "reminder_days": list(days)})


def on(world, day: str) -> None:
    world.clock.current = datetime.fromisoformat(f"{day}T06:00:00").replace(tzinfo=UTC)


def test_the_national_team_sets_a_campaign_audited_and_nobody_else_may():
    world = a_world()
    assert world.services.campaign.get(NATIONAL, "2025")["deadline"] is None
    document = a_campaign(world)
    assert document["deadline"] == "2026-03-31" and document["reminder_days"] == [30, 7] and document["reminders"] == []
    [entry] = [e for e in world.audit.entries if e.action == "campaign.set"]
    assert entry.actor == "nat@sante.fr" and entry.target == "campaign:2025"
    for caller in (REGIONAL, REFERENT):
        with pytest.raises(Forbidden):
            world.services.campaign.put(caller, "2025", {"deadline": "2026-03-31", "reminder_days": [7]})
        with pytest.raises(Forbidden):
            world.services.campaign.get(caller, "2025")


def test_on_a_reminder_day_the_referents_of_incomplete_establishments_are_emailed_once():
    world = a_world()
    everything_closed(world, FAR)  # complete: never reminded
    imported(world, CHU, "consumption", "2025-T1")
    a_campaign(world)
    on(world, "2026-02-28")
    assert world.services.jobs["remind_deadlines"]() == {}
    on(world, "2026-03-01")
    result = world.services.jobs["remind_deadlines"]()
    assert result == {"2025": {"day": 30, "reminded": 1, "complete": 1, "already": 0, "no_referent": 1, "failed": 0}}
    [letter] = world.mailer.sent
    assert letter.to == ("r@chu.fr",)  # the référent, not the contributor
    assert "31/03/2026" in letter.subject and "dans 30 jours" in letter.body
    assert "2025-T1 à clôturer" in letter.body and "2025-T2, 2025-T3, 2025-T4 à envoyer" in letter.body
    assert f"/#/etablissements/{CHU.value}/periodes?annee=2025" in letter.body
    on(world, "2026-03-02")
    assert world.services.jobs["remind_deadlines"]()["2025"]["already"] == 1  # never twice
    assert len(world.mailer.sent) == 1
    on(world, "2026-03-24")
    assert world.services.jobs["remind_deadlines"]()["2025"]["reminded"] == 1
    assert len(world.mailer.sent) == 2
    reminders = world.services.campaign.get(NATIONAL, "2025")["reminders"]
    assert [(r["day"], r["name"], r["recipients"]) for r in reminders] == [(30, "CHU de Nantes", 1), (7, "CHU de Nantes", 1)]


def test_after_the_deadline_nobody_is_reminded_any_more():
    world = a_world()
    a_campaign(world)
    on(world, "2026-04-01")
    assert world.services.jobs["remind_deadlines"]() == {}
    assert world.mailer.sent == []


def test_a_reminder_whose_mail_fails_is_not_recorded_as_sent_and_goes_at_the_next_run():
    world = a_world()
    a_campaign(world)
    on(world, "2026-03-24")
    sent_before = world.mailer.send

    def broken(letter):
        raise RuntimeError("SES unavailable")

    world.mailer.send = broken
    assert world.services.jobs["remind_deadlines"]()["2025"]["failed"] == 2
    assert world.services.campaign.get(NATIONAL, "2025")["reminders"] == []
    world.mailer.send = sent_before
    assert world.services.jobs["remind_deadlines"]()["2025"]["reminded"] == 2
    assert len(world.mailer.sent) == 2


def test_a_late_reminder_says_how_many_days_are_really_left():
    world = a_world()
    a_campaign(world, days=(30, 7))
    on(world, "2026-03-28")  # the 7-day reminder, sent 3 days before the deadline
    world.services.jobs["remind_deadlines"]()
    assert all("dans 3 jours" in letter.body for letter in world.mailer.sent) and world.mailer.sent


def test_once_the_deadline_has_passed_the_years_reports_and_syntheses_are_made_again_once():
    world = a_world()
    a_campaign(world)
    on(world, "2026-03-31")
    assert world.services.jobs["generate_after_deadline"]() == {}  # the deadline's own day: not passed yet
    on(world, "2026-04-01")
    assert world.services.jobs["generate_after_deadline"]() == {"2025": True}
    on(world, "2026-04-02")
    assert world.services.jobs["generate_after_deadline"]() == {"2025": False}  # requested once, never twice
    started = world.workflows.report_generations
    assert started == [("reports-deadline-2025", {"job_id": "deadline-2025", "year": 2025, "scope": None})]
    [entry] = [e for e in world.audit.entries if e.action == "reports.generate"]
    assert entry.actor == "plateforme"
