"""The TicketStore and TicketFiles contracts, on the in-memory fakes and on DynamoDB and S3 (against the emulator)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.adapters.s3_ticket_files import S3TicketFiles
from chalicelib.domain.tickets.model import Attachment, Category, Links, Message, Ticket, TicketStatus
from tests.fakes.stores import FakeObjectStore
from tests.fakes.tickets import FakeTicketStore


@pytest.fixture(params=["fake", "dynamodb"])
def tickets(request):
    if request.param == "fake":
        return FakeTicketStore()
    return request.getfixturevalue("aws").adapters.tickets


def a_ticket(ticket_id="t1", team="region:52", finess="440000990", author="r@chu.fr", at="2026-01-05T10:00:00.000+00:00"):
    return Ticket(ticket_id, Category.IMPORT, "Fichier refusé", TicketStatus.OPEN, team, finess, author, at, at,
                  Links("u1", "2025-T1", ("3400893826417",)))  # fmt: skip


def opened(tickets, **kwargs) -> Ticket:
    ticket = a_ticket(**kwargs)
    assert tickets.save(ticket, Message(1, ticket.author, "Bonjour,\nmon fichier <b>est</b> refusé.", ticket.created_at))
    return ticket


def test_a_ticket_comes_back_with_its_opening_message_as_written(tickets):
    ticket = opened(tickets)
    assert tickets.get("t1") == ticket
    messages, files = tickets.thread("t1")
    assert messages == [Message(1, "r@chu.fr", "Bonjour,\nmon fichier <b>est</b> refusé.", ticket.created_at)]
    assert files == []
    assert tickets.get("absent") is None
    assert tickets.thread("absent") == ([], [])


def test_a_ticket_id_is_opened_once(tickets):
    opened(tickets)
    assert tickets.save(a_ticket(author="autre@chu.fr"), Message(1, "autre@chu.fr", "x", "t")) is False
    assert tickets.get("t1").author == "r@chu.fr"


def test_a_change_is_written_only_over_the_version_it_was_made_from(tickets):
    ticket = opened(tickets)
    replied = ticket.changed("2026-01-06T10:00:00.000+00:00", messages=2, status=TicketStatus.IN_PROGRESS)
    assert tickets.save(replied, Message(2, "ars@sante.fr", "Nous regardons.", replied.updated_at))
    stale = ticket.changed("2026-01-06T11:00:00.000+00:00", status=TicketStatus.CLOSED)
    assert tickets.save(stale) is False
    assert tickets.get("t1") == replied
    assert [m.number for m in tickets.thread("t1")[0]] == [1, 2]


def test_of_two_replies_made_at_once_from_the_same_version_one_is_written_and_the_other_told(tickets):
    ticket = opened(tickets)

    def reply(n):
        return tickets.save(ticket.changed(f"2026-01-06T10:00:0{n}.000+00:00", messages=2),
                            Message(2, f"u{n}@chu.fr", f"réponse {n}", "t"))  # fmt: skip

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(reply, range(4)))
    assert outcomes.count(True) == 1
    assert len(tickets.thread("t1")[0]) == 2
    assert tickets.get("t1").version == 2


def test_an_attachment_is_written_with_the_ticket_it_counts_in(tickets):
    ticket = opened(tickets)
    attached = ticket.changed("2026-01-06T10:00:00.000+00:00", attachments=1)
    file = Attachment("a1", 1, "capture.png", 1234, "image/png", "r@chu.fr", attached.updated_at)
    assert tickets.save(attached, attachment=file)
    assert tickets.thread("t1") == (tickets.thread("t1")[0], [file])
    assert tickets.get("t1").attachments == 1


def test_tickets_are_listed_by_team_establishment_and_author_the_last_changed_first(tickets):
    first = opened(tickets, ticket_id="t1", at="2026-01-05T10:00:00.000+00:00")
    opened(tickets, ticket_id="t2", team="national", at="2026-01-06T10:00:00.000+00:00")
    opened(tickets, ticket_id="t3", finess=None, team="national", author="x@y.fr", at="2026-01-07T10:00:00.000+00:00")
    tickets.save(first.changed("2026-01-08T10:00:00.000+00:00", status=TicketStatus.IN_PROGRESS))
    assert [t.ticket_id for t in tickets.of_team("region:52")] == ["t1"]
    assert [t.ticket_id for t in tickets.of_team("national")] == ["t3", "t2"]
    assert [t.ticket_id for t in tickets.of_establishment("440000990")] == ["t1", "t2"]
    assert [t.ticket_id for t in tickets.of_author("r@chu.fr")] == ["t1", "t2"]
    assert [t.ticket_id for t in tickets.all()] == ["t1", "t3", "t2"]
    assert tickets.of_team("region:11") == []


@pytest.fixture(params=["memory", "s3"])
def files(request):
    if request.param == "memory":
        objects, bucket = FakeObjectStore(), "consores-exports"
    else:
        world = request.getfixturevalue("aws")
        objects, bucket = world.adapters.objects, world.settings.buckets["exports"]
    return S3TicketFiles(objects, bucket), objects, bucket


def test_an_attachments_file_is_posted_to_its_own_key_with_its_type_and_downloaded_under_its_name(files):
    store, objects, bucket = files
    file = Attachment("a1", 1, "capture.png", 10, "image/png", "r@chu.fr", "t")
    form = store.upload_form("t1", file, 10 * 1_048_576, 900)
    assert form["fields"]["key"] == "tickets/t1/a1/capture.png"
    assert form["fields"]["Content-Type"] == "image/png"
    assert store.arrived("t1") == set()
    objects.put(bucket, "tickets/t1/a1/capture.png", b"\x89PNG....", "image/png")
    assert store.arrived("t1") == {"a1"}
    assert store.arrived("t10") == set()
    assert "capture.png" in store.download_url("t1", file, 300)
