"""A consumption file whose only blocking problems are UCDs unknown to the catalogue waits
(NEEDS_CATALOGUE), a catalogue ticket tells the national team, and once the UCDs exist the file
is validated again by itself, its ticket resolved and its people told (DOMAIN.md §10.4)."""

from __future__ import annotations

import pytest

from chalicelib.domain.access import Membership, Profile, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.domain.structure import Unit
from chalicelib.domain.tickets.model import Category
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support import files

ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
CHU = Finess("440000990")
REFERENT = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})
SENDER = Principal(Email("pharma@chu.fr"), memberships={CHU: Status.CONTRIBUTEUR})
UNKNOWN, OTHER = "9999991", "9999992"


def entry(ucd: str) -> dict[str, object]:
    return {"ucd": ucd, "label": "Amoxicilline 1 g, comprimé", "atc": "J01CA04", "route": "O", "strength": 1,
            "strength_unit": "g", "form": "comprimé"}  # fmt: skip


@pytest.fixture
def world() -> FakeWorld:
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU.value, "CHU de Nantes", "CHU", "52")
    world.services.catalogue.load_demo_if_empty()
    world.units.replace_units(
        CHU,
        [
            Unit.create("0412", "Médecine", "03", "38"),
            Unit.create("1204", "Chirurgie", "03", "137"),
            Unit.create("8001", "Pédiatrie", "03", "50"),
        ],
    )
    world.access.put_membership(Membership(CHU, Email("r@chu.fr"), Status.REFERENT, "t"))
    world.access.referents[CHU] = Email("r@chu.fr")
    world.access.put_membership(Membership(CHU, Email("pharma@chu.fr"), Status.CONTRIBUTEUR, "t"))
    world.access.put_profile(Email("nat@sante.fr"), Profile(ProfileType.NATIONAL, None))
    return world


def send(world: FakeWorld, rows: list[list[str]]) -> str:
    content = files.csv(rows)
    upload, _, _ = world.services.uploads.create(SENDER, CHU.value, "consumption", "2025-T1", "conso.csv", len(content), None)
    world.objects.put(world.services.settings.buckets["raw"], upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(world.services.settings.buckets["raw"], upload.raw_key, "v1")
    return upload.upload_id


def with_unknown(*ucds: str) -> list[list[str]]:
    return [*files.CONSUMPTION_T1, *[["0412", ucd, "PRODUIT NOUVEAU", "10", "2025-T1"] for ucd in ucds]]


def status(world: FakeWorld, upload_id: str) -> UploadStatus:
    found = world.uploads.get(CHU, upload_id)
    assert found is not None
    return found.status


def event(world: FakeWorld, upload_id: str, version: str) -> UploadStatus | None:
    """The "object created" event of the raw file copied onto itself (the fake store records the copy only)."""
    found = world.uploads.get(CHU, upload_id)
    assert found is not None and (world.services.settings.buckets["raw"], found.raw_key) in world.objects.touched
    return world.services.uploads.process_object(world.services.settings.buckets["raw"], found.raw_key, version)


def ticket(world: FakeWorld, upload_id: str) -> dict:
    return world.services.tickets.get(NATIONAL, f"catalogue-{upload_id}")


def test_a_file_whose_only_errors_are_unknown_ucds_waits_and_the_national_team_gets_one_ticket_listing_them(world):
    upload_id = send(world, with_unknown(UNKNOWN, OTHER))
    assert status(world, upload_id) is UploadStatus.NEEDS_CATALOGUE
    _, report = world.services.uploads.get(REFERENT, CHU.value, upload_id)
    assert report["summary"]["unknown_ucds"] == [UNKNOWN, OTHER]
    assert {e["code"] for e in report["errors"]} == {"ucd.unknown"}
    found = ticket(world, upload_id)
    assert (found["category"], found["team"], found["status"]) == ("catalogue", "national", "ouvert")
    assert found["links"]["ucds"] == [UNKNOWN, OTHER] and found["links"]["upload_id"] == upload_id
    assert UNKNOWN in world.mailer.last_to("nat@sante.fr").body
    assert world.uploads.current(CHU, "consumption", "2025-T1") is None  # nothing of it is current while it waits


def test_a_waiting_file_processed_again_opens_no_second_ticket(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    world.services.jobs["revalidate_waiting_uploads"]()
    world.clock.advance(days=6)
    assert world.services.jobs["revalidate_waiting_uploads"]() == {"refreshed": 1}
    assert event(world, upload_id, "v2") is UploadStatus.NEEDS_CATALOGUE
    assert [t.ticket_id for t in world.services.tickets.platform_tickets(Category.CATALOGUE)] == [ticket_id_of_id(upload_id)]


def test_a_file_with_other_errors_besides_unknown_ucds_is_refused_and_opens_no_ticket(world):
    upload_id = send(world, [*with_unknown(UNKNOWN), ["0412", "0900011", "AUGMENTIN", "", "2025-T1"]])
    assert status(world, upload_id) is UploadStatus.REJECTED
    assert world.services.tickets.platform_tickets(Category.CATALOGUE) == []


def test_once_the_national_team_adds_the_ucds_the_file_is_validated_by_itself_its_ticket_resolved_and_its_people_told(world):
    upload_id = send(world, with_unknown(UNKNOWN, OTHER))
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert status(world, upload_id) is UploadStatus.NEEDS_CATALOGUE  # one of two: it still waits
    world.services.catalogue.put_entries(NATIONAL, [entry(OTHER)])
    assert status(world, upload_id) is UploadStatus.PENDING
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED
    current = world.uploads.current(CHU, "consumption", "2025-T1")
    assert current is not None and current.upload_id == upload_id
    assert ticket(world, upload_id)["status"] == "resolu"
    letter = world.mailer.last_to("pharma@chu.fr")
    assert "validé" in letter.subject and set(letter.to) == {"pharma@chu.fr", "r@chu.fr"}
    assert f"#/etablissements/{CHU}/imports/{upload_id}" in letter.body
    assert world.services.jobs["revalidate_waiting_uploads"]() == {}  # nothing left to do, nobody told twice


def test_a_file_reopened_by_one_run_is_left_to_its_processing_by_the_next(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])  # the first run reopens it
    assert world.services.jobs["revalidate_waiting_uploads"]() == {}  # the second finds nothing waiting
    raw = world.services.settings.buckets["raw"]
    upload = world.uploads.get(CHU, upload_id)
    assert upload is not None and world.objects.touched.count((raw, upload.raw_key)) == 1


def test_the_daily_run_catches_up_when_the_catalogue_grew_while_the_follow_up_failed(world, monkeypatch):
    upload_id = send(world, with_unknown(UNKNOWN))
    monkeypatch.setattr(world.uploads, "waiting_on_catalogue", lambda: (_ for _ in ()).throw(RuntimeError("outage")))
    outcome = world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert outcome.created == 1  # the entries are written whatever happened after
    monkeypatch.undo()
    assert status(world, upload_id) is UploadStatus.NEEDS_CATALOGUE
    assert world.services.jobs["revalidate_waiting_uploads"]() == {"revalidated": 1}
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED


def test_a_file_whose_ticket_the_team_closed_without_adding_the_ucds_is_refused_with_the_reason(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    world.services.tickets.set_status(NATIONAL, ticket_id_of_id(upload_id), "ferme")
    assert world.services.jobs["revalidate_waiting_uploads"]() == {"refused": 1}
    assert status(world, upload_id) is UploadStatus.REJECTED
    _, report = world.services.uploads.get(REFERENT, CHU.value, upload_id)
    assert "clos la demande sans ajouter" in report["errors"][-1]["message"]
    assert "refusé" in world.mailer.last_to("pharma@chu.fr").subject


def test_a_waiting_file_whose_raw_copy_is_gone_is_refused_rather_left_waiting(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    upload = world.uploads.get(CHU, upload_id)
    assert upload is not None
    world.objects.delete_all_versions(world.services.settings.buckets["raw"], upload.raw_key)  # the bucket's 7 days
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert status(world, upload_id) is UploadStatus.REJECTED
    assert ticket(world, upload_id)["status"] == "resolu"
    assert "déposez-le à nouveau" in world.mailer.last_to("pharma@chu.fr").body


def ticket_id_of_id(upload_id: str) -> str:
    return f"catalogue-{upload_id}"


def test_a_period_whose_file_waits_on_the_catalogue_is_shown_waiting_and_cannot_be_closed(world):
    send(world, with_unknown(UNKNOWN))
    blocking = [c for c in world.services.controls.run(CHU, 2025) if c.blocking and c.id == "ucd_unresolved"]
    assert [c.period for c in blocking] == ["2025-T1"]
    [row] = world.services.completeness.table(NATIONAL, "national", "2025")
    assert row["datasets"]["consumption"]["2025-T1"] == "waiting"


def test_a_mailer_outage_while_the_ticket_opens_leaves_the_file_waiting_never_failed(world, monkeypatch):
    monkeypatch.setattr(world.mailer, "send", lambda letter: (_ for _ in ()).throw(RuntimeError("SES down")))
    upload_id = send(world, with_unknown(UNKNOWN))
    assert status(world, upload_id) is UploadStatus.NEEDS_CATALOGUE
    monkeypatch.undo()
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED


def test_a_run_working_from_an_old_list_never_touches_a_file_another_run_validated(world, monkeypatch):
    upload_id = send(world, with_unknown(UNKNOWN))
    stale = world.uploads.waiting_on_catalogue()  # read before the other run
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED  # its raw file is gone with it
    monkeypatch.setattr(world.uploads, "waiting_on_catalogue", lambda: stale)
    world.clock.advance(days=6)
    assert world.services.jobs["revalidate_waiting_uploads"]() == {"moved": 1}
    _, report = world.services.uploads.get(REFERENT, CHU.value, upload_id)
    assert status(world, upload_id) is UploadStatus.VALIDATED and not report["errors"]


def test_two_runs_settling_one_file_at_once_resolve_its_ticket_and_tell_its_people_once(world, monkeypatch):
    upload_id = send(world, with_unknown(UNKNOWN))
    tickets = world.services.tickets
    still_open = tickets.platform_ticket(f"catalogue-{upload_id}")  # what the other run read, a moment before
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED
    upload = world.uploads.get(CHU, upload_id)
    assert upload is not None
    monkeypatch.setattr(tickets, "platform_ticket", lambda ticket_id: still_open)
    world.services.uploads._catalogue_wait.settled(upload, UploadStatus.VALIDATED)  # the other run
    monkeypatch.undo()
    told = [m for m in world.mailer.sent if "pharma@chu.fr" in m.to and "validé" in m.subject]
    assert len(told) == 1
    assert [m["body"][:20] for m in ticket(world, upload_id)["messages"]].count("Les codes UCD sont a") == 1


def test_a_catalogue_write_hands_the_waiting_file_to_the_import_function_which_alone_reads_it(world):
    """The API may not read raw files (patient identifiers): it reopens the upload and asks; the import
    function checks the file is there and copies it onto itself."""
    upload_id = send(world, with_unknown(UNKNOWN))
    found = world.uploads.get(CHU, upload_id)
    assert found is not None
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert world.imports.asked == [found.raw_key]
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED


def test_a_waiting_file_past_the_raw_retention_is_refused_without_asking_the_import_function(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    world.clock.advance(days=8)
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert status(world, upload_id) is UploadStatus.REJECTED
    assert world.imports.asked == []
    _, report = world.services.uploads.get(REFERENT, CHU.value, upload_id)
    assert "n'est plus conservé" in report["errors"][-1]["message"]


def test_a_request_the_import_function_never_received_leaves_the_file_to_the_sweeper(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    world.imports.failure = RuntimeError("Lambda unreachable")
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert status(world, upload_id) is UploadStatus.PENDING  # reopened, its request lost
    world.imports.failure = None
    world.clock.advance(hours=3)
    assert world.services.sweeper.sweep() == 0  # its file is there: its event again
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED


def test_a_request_delivered_twice_is_acted_on_once(world):
    upload_id = send(world, with_unknown(UNKNOWN))
    found = world.uploads.get(CHU, upload_id)
    assert found is not None
    world.services.catalogue.put_entries(NATIONAL, [entry(UNKNOWN)])
    assert event(world, upload_id, "v2") is UploadStatus.VALIDATED
    touched = len(world.objects.touched)
    assert world.services.uploads.process_again(found.raw_key) is None  # Lambda's second delivery
    assert len(world.objects.touched) == touched and status(world, upload_id) is UploadStatus.VALIDATED


def test_a_request_naming_no_upload_is_ignored(world):
    assert world.services.uploads.process_again("uploads/../../work/x") is None
    assert world.services.uploads.process_again(f"uploads/{CHU.value}/consumption/2025-T1/nope/conso.csv") is None
    assert world.objects.touched == []
