"""The drug catalogue's use cases (DOMAIN.md §4.4), on the fakes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.drugs import AtcCode, CatalogueEntry, Route, Ucd, Unit, demo_catalogue
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound, TooLarge
from chalicelib.services.catalogue import SYNC_OVERLAP, CatalogueService
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports.catalogue import (
    SOURCE_DEMO,
    SOURCE_MANUAL,
    SOURCE_REFERENCE,
    CatalogueUnavailable,
    SyncState,
)
from tests.fakes.catalogue import FakeCatalogueSource, FakeDrugCatalogue
from tests.fakes.identity import CountingIds, FakeClock, FakeMailer
from tests.fakes.stores import FakeAuditLog, FakeTenantStore

NATIONAL_TEAM = ("equipe-nationale@consores.fr",)
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
REGIONAL = Principal(Email("ars@ars52.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
REFERENT = Principal(Email("claire@chu.fr"), memberships={Finess("440000990"): Status.REFERENT})


class BrokenMailer:
    def send(self, letter):
        raise RuntimeError("SES down")


@dataclass
class World:
    service: CatalogueService
    catalogue: FakeDrugCatalogue
    source: FakeCatalogueSource
    mailer: FakeMailer
    audit: FakeAuditLog
    clock: FakeClock


def make_world(with_source: bool = True) -> World:
    catalogue, source, mailer, audit, clock = (
        FakeDrugCatalogue(),
        FakeCatalogueSource(),
        FakeMailer(),
        FakeAuditLog(),
        FakeClock(),
    )
    context = Context(clock, CountingIds(), audit)
    service = CatalogueService(
        catalogue=catalogue,
        source=source if with_source else None,
        mailer=mailer,
        guard=Guard(FakeTenantStore()),
        context=context,
        alert_to=NATIONAL_TEAM,
    )
    return World(service, catalogue, source, mailer, audit, clock)


@pytest.fixture
def world() -> World:
    return make_world()


def body(ucd: str = "9000001", **changes: object) -> dict[str, object]:
    return {
        "ucd": ucd,
        "label": "Amoxicilline 1 g, comprimé",
        "atc": "J01CA04",
        "route": "O",
        "strength": 1,
        "strength_unit": "g",
        "form": "comprimé",
        **changes,
    }


def entry(ucd: str, strength: str = "1") -> CatalogueEntry:
    return CatalogueEntry(
        Ucd(ucd), f"Produit {ucd}", "amoxicillin", AtcCode("J01CA04"), Route.ORAL, Decimal(strength), Unit.G, ""
    )


# --------------------------------------------------------------------------- lookups


def test_both_ucd_forms_resolve_to_one_entry(world):
    world.service.put_entries(NATIONAL, [body("9000001")])
    seven = world.service.lookup("9000001")
    thirteen = world.service.lookup(Ucd("9000001").ucd13)
    assert seven == thirteen
    assert seven.entry.ucd == Ucd("9000001") and world.catalogue.count() == 1


def test_an_entry_sent_in_13_digit_form_is_stored_under_its_7_digits(world):
    world.service.put_entries(NATIONAL, [body(Ucd("9000002").ucd13)])
    assert world.catalogue.get(Ucd("9000002")) is not None


def test_an_unknown_ucd_is_not_found_in_french(world):
    with pytest.raises(NotFound) as error:
        world.service.lookup("9999999")
    assert "inconnu du catalogue" in error.value.message and error.value.code == "ERR_UCD_UNKNOWN"


def test_a_malformed_ucd_is_invalid(world):
    with pytest.raises(InvalidInput):
        world.service.lookup("12345")


def test_resolve_returns_the_known_entries_only(world):
    world.catalogue.put_many([entry("9000001")], SOURCE_REFERENCE, world.clock.now())
    assert set(world.service.resolve([Ucd("9000001"), Ucd("9999999")])) == {Ucd("9000001")}


# --------------------------------------------------------------------------- edits


def test_only_the_national_team_or_an_admin_edits_the_catalogue(world):
    for caller in (REFERENT, REGIONAL):
        with pytest.raises(Forbidden):
            world.service.put_entries(caller, [body()])
    assert world.catalogue.count() == 0
    world.service.put_entries(NATIONAL, [body("9000001")])
    world.service.put_entries(ADMIN, [body("9000002")])
    assert world.catalogue.count() == 2


def test_more_than_1000_entries_in_one_call_are_refused(world):
    entries = [body(f"{9100000 + i:07d}") for i in range(1001)]
    with pytest.raises(TooLarge) as error:
        world.service.put_entries(NATIONAL, entries)
    assert "1000 au plus" in error.value.message
    assert world.catalogue.count() == 0
    assert world.service.put_entries(NATIONAL, entries[:1000]).created == 1000


def test_every_problem_is_reported_with_its_index_and_nothing_is_written(world):
    entries = [
        body("9000001"),
        body("12345", atc="J01"),
        body("9000003", route="XX", strength=0, strength_unit="kg"),
        body("9000004", label="  "),
        body("9000005", strength="abc"),
        body("9000006", strength=True),
    ]
    with pytest.raises(InvalidInput) as error:
        world.service.put_entries(NATIONAL, entries)
    problems = [(d["index"], d["field"]) for d in error.value.details]
    assert problems == [
        (1, "ucd"),
        (1, "atc"),
        (2, "route"),
        (2, "strength"),
        (2, "strength_unit"),
        (3, "label"),
        (4, "strength"),
        (5, "strength"),
    ]
    assert error.value.details[1]["message"].startswith("Entrée n° 2 : Code ATC invalide")
    assert "8 problème(s)" in error.value.message
    assert world.catalogue.count() == 0 and world.audit.entries == []


def test_a_ucd_repeated_in_one_call_is_reported_even_in_its_other_form(world):
    with pytest.raises(InvalidInput) as error:
        world.service.put_entries(NATIONAL, [body("9000001"), body(Ucd("9000001").ucd13)])
    (problem,) = error.value.details
    assert problem["index"] == 1 and "déjà à l'entrée n° 1" in problem["message"]


def test_an_edit_is_audited_with_before_and_after_and_an_unchanged_entry_is_left_alone(world):
    world.service.put_entries(NATIONAL, [body("9000001", strength="0.5"), body("9000002")])
    world.clock.advance(days=1)
    outcome = world.service.put_entries(ADMIN, [body("9000001", strength="1,5"), body("9000002")])
    assert outcome.as_dict() == {"received": 2, "created": 0, "updated": 1, "unchanged": 1}
    last = world.audit.entries[-1]
    assert (last.actor, last.action, last.target) == ("admin@consores.fr", "catalogue.put", "ucd:9000001")
    assert (last.before["strength"], last.after["strength"]) == ("0.5", "1.5")
    assert len(world.audit.entries) == 3
    untouched = world.catalogue.record(Ucd("9000002"))
    assert untouched.resolved_at == world.clock.now() - timedelta(days=1)
    changed = world.catalogue.record(Ucd("9000001"))
    assert (changed.source, changed.resolved_at, changed.entry.strength) == (SOURCE_MANUAL, world.clock.now(), Decimal("1.5"))


def test_a_missing_substance_is_the_who_name_of_the_atc_code(world):
    world.service.put_entries(NATIONAL, [body("9000001"), body("9000002", atc="J02AA01", substance="amphotericin B (lipid)")])
    assert world.catalogue.get(Ucd("9000001")).substance == "amoxicillin"
    assert world.catalogue.get(Ucd("9000002")).substance == "amphotericin B (lipid)"


# --------------------------------------------------------------------------- sync


def test_the_first_sync_reads_the_whole_catalogue_and_records_the_resolution_date(world):
    world.source.publish(world.clock.now() - timedelta(days=30), entry("9000001"), entry("9000002"))
    outcome = world.service.sync()
    assert (outcome.status, outcome.received, outcome.total) == ("ok", 2, 2)
    assert world.source.calls == [None]
    record = world.catalogue.record(Ucd("9000001"))
    assert (record.source, record.resolved_at) == (SOURCE_REFERENCE, world.clock.now())
    assert world.catalogue.sync_state() == SyncState(world.clock.now(), world.clock.now(), None, 2)
    assert world.audit.entries[-1].action == "catalogue.sync"


def test_the_next_sync_asks_only_for_changes_since_the_last_success(world):
    first = world.clock.now()
    world.service.sync()
    world.clock.advance(days=1)
    world.source.publish(world.clock.now() - timedelta(hours=2), entry("9000001", "2"))
    outcome = world.service.sync()
    assert world.source.calls == [None, first - SYNC_OVERLAP]
    assert outcome.received == 1 and world.catalogue.get(Ucd("9000001")).strength == Decimal("2")


def test_a_failed_sync_keeps_the_last_good_copy_and_alerts_the_national_team(world):
    world.source.publish(world.clock.now() - timedelta(days=1), entry("9000001", "1"))
    good_sync = world.clock.now()
    world.service.sync()
    world.clock.advance(days=1)
    world.source.publish(world.clock.now(), entry("9000001", "9"))
    world.source.fail_with = CatalogueUnavailable(
        "Catalogue de référence injoignable : erreur HTTP 503 (page 1, 4 tentative(s)).", details=[{"page": 1}]
    )
    outcome = world.service.sync()
    assert outcome.status == "failed" and outcome.alert_sent
    assert world.catalogue.get(Ucd("9000001")).strength == Decimal("1")
    assert world.catalogue.record(Ucd("9000001")).resolved_at == good_sync
    state = world.catalogue.sync_state()
    assert (state.last_success_at, state.last_attempt_at) == (good_sync, world.clock.now())
    assert "HTTP 503" in state.last_error
    (letter,) = world.mailer.sent
    assert letter.to == NATIONAL_TEAM
    assert "échec de la synchronisation du catalogue" in letter.subject
    assert "HTTP 503" in letter.body and "02/03/2026 à 09:00 UTC" in letter.body and "reste utilisée" in letter.body
    # the next attempt still asks from the last success, and succeeds
    world.source.fail_with = None
    world.clock.advance(days=1)
    assert world.service.sync().status == "ok"
    assert world.source.calls[-1] == good_sync - SYNC_OVERLAP
    assert world.catalogue.get(Ucd("9000001")).strength == Decimal("9")
    assert world.catalogue.sync_state().last_error is None


def test_an_unexpected_error_during_the_sync_is_recorded_and_alerted(world):
    world.source.publish(world.clock.now(), entry("9000001"))
    world.catalogue.fail_puts = True
    outcome = world.service.sync()
    assert outcome.status == "failed" and "Erreur inattendue" in outcome.message
    assert world.catalogue.sync_state().last_success_at is None
    assert "Aucune synchronisation n'a encore réussi" in world.mailer.sent[-1].body


def test_a_mail_outage_does_not_hide_a_failed_sync(world):
    world.source.fail_with = CatalogueUnavailable("Catalogue de référence injoignable.")
    world.service = CatalogueService(
        catalogue=world.catalogue,
        source=world.source,
        mailer=BrokenMailer(),
        guard=Guard(FakeTenantStore()),
        context=Context(world.clock, CountingIds(), world.audit),
        alert_to=NATIONAL_TEAM,
    )
    outcome = world.service.sync()
    assert outcome.status == "failed" and not outcome.alert_sent
    assert world.catalogue.sync_state().last_error == "Catalogue de référence injoignable."


def test_without_a_reference_catalogue_the_sync_is_skipped_quietly():
    world = make_world(with_source=False)
    outcome = world.service.sync()
    assert outcome.status == "skipped" and world.mailer.sent == []
    assert world.catalogue.sync_state() == SyncState()


def test_the_sync_on_demand_is_for_the_national_team_or_an_admin(world):
    with pytest.raises(Forbidden):
        world.service.sync_now(REFERENT)
    assert world.source.calls == []
    assert world.service.sync_now(NATIONAL).status == "ok"
    assert world.audit.entries[-1].actor == "nat@sante.fr"


def test_the_daily_job_returns_a_json_ready_outcome(world):
    world.source.publish(world.clock.now(), entry("9000001"))
    result = world.service.sync_job()
    assert json.loads(json.dumps(result))["status"] == "ok"
    assert result["received"] == 1 and result["last_success_at"] == "2026-03-02T09:00:00+00:00"


# --------------------------------------------------------------------------- demo


def test_the_demo_catalogue_is_loaded_only_into_an_empty_catalogue(world):
    loaded = world.service.load_demo_if_empty()
    assert loaded == len(demo_catalogue()) == world.catalogue.count()
    some = demo_catalogue().entries[0]
    assert world.catalogue.record(some.ucd).source == SOURCE_DEMO
    assert world.service.load_demo_if_empty() == 0
