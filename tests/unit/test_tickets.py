"""Support tickets with fakes (DOMAIN.md §10.9, API.md "Tickets"): who sees them, the thread, the statuses,
the e-mails, the attachments and the reopening the national team accepts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.access import Membership, Profile, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge, TooManyRequests
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.tickets.model import Category, Links, TicketStatus
from chalicelib.domain.uploads import Upload
from tests.fakes.wiring import fake_world

CHU, FAR = Finess("440000990"), Finess("750000010")
ADMIN = Principal(Email("a@b.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGIONAL = Principal(Email("ars@sante.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
OTHER_REGION = Principal(Email("ars@idf.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("11"))}))
REFERENT = Principal(Email("r@chu.fr"), memberships={CHU: Status.REFERENT})
AUTHOR = Principal(Email("c@chu.fr"), memberships={CHU: Status.CONTRIBUTEUR})
MEMBER = Principal(Email("o@chu.fr"), memberships={CHU: Status.OBSERVATEUR})
ELSEWHERE = Principal(Email("r@aphp.fr"), memberships={FAR: Status.REFERENT})


@pytest.fixture
def world():
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU.value, "CHU de Nantes", "CHU", "52")
    world.services.tenants.create_establishment(ADMIN, FAR.value, "AP-HP", "CHU", "11")
    world.access.add_first_referent(Membership(CHU, REFERENT.email, Status.REFERENT, "t"))
    world.access.put_membership(Membership(CHU, AUTHOR.email, Status.CONTRIBUTEUR, "t"))
    world.access.put_membership(Membership(CHU, MEMBER.email, Status.OBSERVATEUR, "t"))
    world.access.add_first_referent(Membership(FAR, ELSEWHERE.email, Status.REFERENT, "t"))
    for who, kind, region in ((REGIONAL, ProfileType.REGIONAL, RegionCode("52")),
                              (OTHER_REGION, ProfileType.REGIONAL, RegionCode("11")),
                              (NATIONAL, ProfileType.NATIONAL, None), (ADMIN, ProfileType.ADMIN, None)):  # fmt: skip
        world.access.put_profile(who.email, Profile(kind, region))
    return world


def opened(world, who=AUTHOR, **values) -> str:
    body = {"category": "import", "subject": "Fichier refusé", "body": "Bonjour, <b>mon</b> fichier est refusé.",
            "finess": CHU.value, **values}  # fmt: skip
    return world.services.tickets.open(who, body)["ticket_id"]


def mails(world, subject_part: str):
    return [letter for letter in world.mailer.sent if subject_part in letter.subject]


@pytest.mark.parametrize(
    ("caller", "sees"),
    [(AUTHOR, True), (REFERENT, True), (MEMBER, False), (REGIONAL, True), (OTHER_REGION, False), (NATIONAL, True),
     (ADMIN, True), (ELSEWHERE, False)],
    ids=["author", "referent", "another member", "regional of its region", "regional of another region", "national",
         "admin", "another establishment"],
)  # fmt: skip
def test_a_ticket_is_seen_by_its_author_referent_team_and_the_national_team_and_is_404_for_anyone_else(world, caller, sees):
    ticket_id = opened(world)
    listed = [t["ticket_id"] for t in world.services.tickets.listing(caller, None, None, None)]
    if sees:
        assert world.services.tickets.get(caller, ticket_id)["subject"] == "Fichier refusé"
        assert listed == [ticket_id]
    else:
        with pytest.raises(NotFound, match="Demande introuvable"):
            world.services.tickets.get(caller, ticket_id)
        with pytest.raises(NotFound):
            world.services.tickets.reply(caller, ticket_id, "Je m'invite")
        assert listed == []


def test_an_unknown_ticket_id_is_404(world):
    with pytest.raises(NotFound):
        world.services.tickets.get(NATIONAL, "absent")


def test_opening_answers_the_ticket_its_status_and_team_and_e_mails_the_regional_team_with_a_link(world):
    answer = world.services.tickets.open(AUTHOR, {"category": "import", "subject": "Fichier refusé", "body": "Bonjour",
                                                  "finess": CHU.value})  # fmt: skip
    assert answer == {"ticket_id": answer["ticket_id"], "status": "ouvert", "team": "region:52"}
    [letter] = mails(world, "nouvelle demande")
    assert letter.to == ("ars@sante.fr",)
    assert f"/#/support/{answer['ticket_id']}" in letter.body
    assert [e.action for e in world.audit.entries if e.action.startswith("ticket.")] == ["ticket.open"]
    [listed] = world.services.tickets.listing(REGIONAL, None, None, None)
    assert (listed["establishment"], listed["team_label"], listed["status_label"], listed["category_label"]) == (
        "CHU de Nantes", "Équipe régionale Pays de la Loire", "Ouvert", "Import de fichiers")  # fmt: skip


def test_a_catalogue_ticket_goes_to_the_national_team(world):
    answer = world.services.tickets.open(AUTHOR, {"category": "catalogue", "subject": "UCD inconnus", "body": "Ajoutez-les",
                                                  "finess": CHU.value, "links": {"ucds": ["9402419"]}})  # fmt: skip
    assert answer["team"] == "national"
    assert mails(world, "nouvelle demande")[0].to == ("nat@sante.fr",)
    assert world.services.tickets.listing(REGIONAL, None, None, None) == []


def test_a_ticket_can_only_be_opened_on_an_establishment_the_caller_sees(world):
    with pytest.raises(NotFound):
        opened(world, who=ELSEWHERE)
    without = world.services.tickets.open(ELSEWHERE, {"category": "acces", "subject": "Accès", "body": "Je n'ai pas accès"})
    assert without["team"] == "national"


def test_a_linked_upload_must_belong_to_the_tickets_establishment(world):
    world.uploads.create(Upload("u-far", FAR, FileType.CONSUMPTION, Period.parse("2025-T1"), "c.xlsx", 10,
                                UploadStatus.FAILED, ELSEWHERE.email, "t", "t", "raw/x"))  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        opened(world, links={"upload_id": "u-far"})
    assert error.value.details == [{"field": "links.upload_id"}]
    world.uploads.create(Upload("u-chu", CHU, FileType.CONSUMPTION, Period.parse("2025-T1"), "c.xlsx", 10,
                                UploadStatus.FAILED, AUTHOR.email, "t", "t", "raw/x"))  # fmt: skip
    ticket_id = opened(world, links={"upload_id": "u-chu", "period": "2025-T1"})
    assert world.services.tickets.get(AUTHOR, ticket_id)["links"]["upload_id"] == "u-chu"


def test_a_reopening_request_names_its_establishment_and_period(world):
    with pytest.raises(InvalidInput) as error:
        opened(world, category="reouverture")
    assert error.value.details == [{"field": "links.period"}]


def test_the_teams_reply_takes_the_ticket_in_hand_and_is_e_mailed_to_the_author_and_the_answer_to_the_team(world):
    ticket_id = opened(world)
    world.services.tickets.reply(REGIONAL, ticket_id, "Pouvez-vous joindre le fichier ?")
    assert world.services.tickets.get(AUTHOR, ticket_id)["status"] == "en_cours"
    assert mails(world, "nouvelle réponse")[-1].to == ("c@chu.fr",)
    assert len([letter for letter in world.mailer.sent if "c@chu.fr" in letter.to]) == 1  # one e-mail, its move included
    world.services.tickets.reply(AUTHOR, ticket_id, "Le voici.")
    assert mails(world, "nouvelle réponse")[-1].to == ("ars@sante.fr",)
    thread = world.services.tickets.get(REFERENT, ticket_id)["messages"]
    assert [(m["number"], m["author"]) for m in thread] == [(1, "c@chu.fr"), (2, "ars@sante.fr"), (3, "c@chu.fr")]
    assert thread[0]["body"] == "Bonjour, <b>mon</b> fichier est refusé."  # as typed: the client shows it as text


def test_two_replies_at_once_are_both_kept_numbered_one_after_the_other(world):
    ticket_id = opened(world)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda n: world.services.tickets.reply(REGIONAL, ticket_id, f"réponse {n}"), range(6)))
    thread = world.services.tickets.get(AUTHOR, ticket_id)["messages"]
    assert [m["number"] for m in thread] == list(range(1, 8))
    assert sorted(m["body"] for m in thread[1:]) == [f"réponse {n}" for n in range(6)]


def test_a_reply_made_while_another_change_lands_first_is_decided_again_on_the_new_version(world):
    ticket_id = opened(world)
    store = world.services.adapters.tickets
    save, raced = store.save, []

    def racing(ticket, message=None, attachment=None):
        if not raced:  # another process writes between this reply's read and its write
            raced.append(True)
            world.services.tickets.set_status(REGIONAL, ticket_id, "en_attente")
        return save(ticket, message, attachment)

    store.save = racing
    answer = world.services.tickets.reply(AUTHOR, ticket_id, "Voici le fichier")
    assert (answer["number"], answer["status"]) == (2, "en_cours")  # the user's answer to a ticket waiting for them
    after = world.services.tickets.get(AUTHOR, ticket_id)
    assert [m["body"] for m in after["messages"]][-1] == "Voici le fichier"


def test_the_team_changes_the_status_the_author_is_e_mailed_and_the_change_audited(world):
    ticket_id = opened(world)
    answer = world.services.tickets.set_status(REGIONAL, ticket_id, "en_attente")
    assert answer["status"] == "en_attente"
    assert mails(world, "en attente de l'utilisateur")[0].to == ("c@chu.fr",)
    [entry] = [e for e in world.audit.entries if e.action == "ticket.status"]
    assert (entry.before["status"], entry.after["status"], entry.actor) == ("ouvert", "en_attente", "ars@sante.fr")


def test_the_author_may_close_a_ticket_but_not_resolve_it_and_a_closed_ticket_takes_no_reply(world):
    ticket_id = opened(world)
    with pytest.raises(Forbidden):
        world.services.tickets.set_status(AUTHOR, ticket_id, "resolu")
    with pytest.raises(Forbidden):
        world.services.tickets.set_status(REFERENT, ticket_id, "en_cours")
    world.services.tickets.set_status(AUTHOR, ticket_id, "ferme")
    with pytest.raises(Conflict, match="fermée"):
        world.services.tickets.reply(REGIONAL, ticket_id, "Trop tard")
    with pytest.raises(Conflict):
        world.services.tickets.set_status(REGIONAL, ticket_id, "en_cours")


def test_what_the_caller_may_do_is_told_with_the_ticket(world):
    ticket_id = opened(world)
    assert world.services.tickets.get(AUTHOR, ticket_id)["allowed"] == {"reply": True, "statuses": ["ferme"],
                                                                       "accept_reopening": False}  # fmt: skip
    assert world.services.tickets.get(REGIONAL, ticket_id)["allowed"]["statuses"] == ["en_cours", "en_attente", "resolu",
                                                                                     "ferme"]  # fmt: skip


def test_the_inbox_is_filtered_by_status_establishment_and_team_and_counted_by_status(world):
    first = opened(world)
    opened(world, subject="Autre")
    world.services.tickets.set_status(REGIONAL, first, "en_cours")
    assert [t["ticket_id"] for t in world.services.tickets.listing(REGIONAL, "en_cours", None, None)] == [first]
    assert world.services.tickets.counts(REGIONAL, None, "region:52") == {
        "ouvert": 1, "en_cours": 1, "en_attente": 0, "resolu": 0, "ferme": 0}  # fmt: skip
    assert world.services.tickets.listing(NATIONAL, None, None, "national") == []
    assert len(world.services.tickets.listing(NATIONAL, None, CHU.value, None)) == 2
    with pytest.raises(InvalidInput):
        world.services.tickets.listing(NATIONAL, "inconnu", None, None)


def test_a_reopening_accepted_by_the_national_team_reopens_the_period_with_the_ticket_as_its_reason(world):
    world.periods.closed.add((CHU, "2025-T1"))
    ticket_id = opened(world, category="reouverture", subject="Erreur de lits", links={"period": "2025-T1"})
    with pytest.raises(NotFound):  # a national team's ticket: the regional team does not see it
        world.services.tickets.set_status(REGIONAL, ticket_id, "resolu", accept_reopening=True)
    with pytest.raises(Forbidden):
        world.services.tickets.set_status(AUTHOR, ticket_id, "resolu", accept_reopening=True)
    assert world.services.tickets.get(NATIONAL, ticket_id)["allowed"]["accept_reopening"] is True
    answer = world.services.tickets.set_status(NATIONAL, ticket_id, "resolu", accept_reopening=True)
    assert answer["status"] == "resolu"
    state = world.periods.status[(CHU, "2025-T1")]
    assert (state.status, state.reason) == ("open", f"Demande n° {ticket_id} : Erreur de lits")
    assert "rouverte" in world.services.tickets.get(AUTHOR, ticket_id)["messages"][-1]["body"]
    assert "rouverte" in mails(world, "résolu")[0].body


def test_a_reopening_that_fails_leaves_the_ticket_as_it_was(world):
    ticket_id = opened(world, category="reouverture", subject="Rouvrir", links={"period": "2025-T2"})  # never closed
    with pytest.raises(Conflict):
        world.services.tickets.set_status(NATIONAL, ticket_id, "resolu", accept_reopening=True)
    after = world.services.tickets.get(AUTHOR, ticket_id)
    assert (after["status"], len(after["messages"])) == ("ouvert", 1)


def test_only_a_reopening_request_can_be_accepted_as_one(world):
    ticket_id = opened(world)
    with pytest.raises(InvalidInput) as error:
        world.services.tickets.set_status(NATIONAL, ticket_id, "resolu", accept_reopening=True)
    assert error.value.details == [{"field": "accept_reopening"}]


def test_an_attachment_is_posted_presigned_with_its_type_and_size_and_listed_on_the_callers_last_message_once_sent(world):
    ticket_id = opened(world)
    world.services.tickets.reply(REGIONAL, ticket_id, "Envoyez une capture")
    world.services.tickets.reply(AUTHOR, ticket_id, "La voici")
    answer = world.services.tickets.attach(AUTHOR, ticket_id, "Capture d'écran.png", 2048)
    assert answer["message"] == 3 and answer["filename"] == "Capture_d_ecran.png"
    post = world.objects.posts[-1]
    assert (post["fields"]["Content-Type"], post["max_bytes"]) == ("image/png", 10 * 1_048_576)
    assert world.services.tickets.get(REGIONAL, ticket_id)["messages"][2]["attachments"] == []  # not sent yet
    world.objects.put("consores-exports", post["fields"]["key"], b"png", "image/png")
    [listed] = world.services.tickets.get(REGIONAL, ticket_id)["messages"][2]["attachments"]
    assert listed["filename"] == "Capture_d_ecran.png"
    url = world.services.tickets.download(REGIONAL, ticket_id, listed["attachment_id"]).url
    assert "Capture_d_ecran.png" in url
    with pytest.raises(NotFound):
        world.services.tickets.download(OTHER_REGION, ticket_id, listed["attachment_id"])


def test_attachments_are_refused_too_large_of_another_type_beyond_ten_or_before_any_message(world):
    ticket_id = opened(world)
    with pytest.raises(TooLarge):
        world.services.tickets.attach(AUTHOR, ticket_id, "gros.pdf", 10 * 1_048_576 + 1)
    with pytest.raises(InvalidInput):
        world.services.tickets.attach(AUTHOR, ticket_id, "page.html", 10)
    with pytest.raises(Conflict, match="Écrivez d'abord"):
        world.services.tickets.attach(REGIONAL, ticket_id, "a.pdf", 10)
    for n in range(10):
        world.services.tickets.attach(AUTHOR, ticket_id, f"f{n}.pdf", 10)
    with pytest.raises(Conflict, match="au plus 10"):
        world.services.tickets.attach(AUTHOR, ticket_id, "f10.pdf", 10)


def test_the_platform_opens_a_ticket_the_referent_and_the_national_team_follow_and_resolves_it(world):
    ticket = world.services.tickets.open_by_platform(Category.CATALOGUE, CHU.value, "UCD inconnus du catalogue",
                                                     "2 UCD inconnus", Links(ucds=("9402419",)))  # fmt: skip
    assert ticket.team == "national"
    assert [t["ticket_id"] for t in world.services.tickets.listing(REFERENT, None, None, None)] == [ticket.ticket_id]
    world.services.tickets.reply(NATIONAL, ticket.ticket_id, "Nous les ajoutons.")
    assert mails(world, "nouvelle réponse")[-1].to == ("r@chu.fr",)
    world.services.tickets.resolve_by_platform(ticket.ticket_id, "Le catalogue connaît désormais ces UCD.")
    assert world.services.tickets.get(REFERENT, ticket.ticket_id)["status"] == TicketStatus.RESOLVED.value


def test_the_platform_opening_the_same_ticket_again_finds_it_open_and_e_mails_nobody_twice(world):
    def open_again():
        links = Links(upload_id="u1", ucds=("9402419",))
        return world.services.tickets.open_by_platform(
            Category.CATALOGUE, CHU.value, "UCD inconnus", "1 UCD inconnu", links, ticket_id="catalogue-u1"
        )

    first, second = open_again(), open_again()
    assert first == second and first.ticket_id == "catalogue-u1"
    assert len(mails(world, "nouvelle demande")) == 1
    assert [t.ticket_id for t in world.services.tickets.platform_tickets(Category.CATALOGUE)] == ["catalogue-u1"]
    world.services.tickets.resolve_by_platform("catalogue-u1", "Les UCD sont au catalogue.")
    assert world.services.tickets.platform_tickets(Category.CATALOGUE) == []


def test_asking_for_the_status_a_ticket_already_has_changes_nothing_and_only_its_team_or_author_may_ask(world):
    ticket_id = opened(world)
    sent, audited = len(world.mailer.sent), len(world.audit.entries)
    with pytest.raises(Forbidden):
        world.services.tickets.set_status(REFERENT, ticket_id, "ouvert")  # sees it, does not move it
    assert world.services.tickets.set_status(REGIONAL, ticket_id, "ouvert")["status"] == "ouvert"
    assert (len(world.mailer.sent), len(world.audit.entries)) == (sent, audited)  # nothing written, nobody e-mailed


def test_one_person_cannot_keep_more_than_ten_tickets_waiting_at_once(world):
    first = [opened(world, subject=f"Question {n}") for n in range(10)]
    with pytest.raises(TooManyRequests, match="10 demandes en cours"):
        opened(world, subject="Une de trop")
    world.services.tickets.set_status(AUTHOR, first[0], "ferme")
    assert opened(world, subject="Une fois une demande fermée")


def test_an_acceptance_that_stopped_after_the_reopening_is_finished_when_the_team_accepts_again(world, monkeypatch):
    world.periods.closed.add((CHU, "2025-T1"))
    ticket_id = opened(world, category="reouverture", subject="Erreur de lits", links={"period": "2025-T1"})
    tickets = world.services.tickets
    monkeypatch.setattr(tickets, "_write", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("power cut")))
    with pytest.raises(RuntimeError):
        tickets.set_status(NATIONAL, ticket_id, "resolu", accept_reopening=True)
    monkeypatch.undo()
    assert world.periods.status[(CHU, "2025-T1")].status == "open"  # the first step was done, the ticket not
    assert tickets.set_status(NATIONAL, ticket_id, "resolu", accept_reopening=True)["status"] == "resolu"
    with pytest.raises(Conflict):  # another reason never reopens an open period
        world.services.closure.reopen(NATIONAL, CHU.value, "2025-T1", "Autre motif")


def test_a_person_writing_more_than_sixty_messages_in_an_hour_is_stopped_until_the_hour_ends(world):
    ticket_id = opened(world)
    for n in range(60):
        world.services.tickets.reply(AUTHOR, ticket_id, f"Relance {n}")
    sent = len(world.mailer.sent)
    with pytest.raises(TooManyRequests) as refused:
        world.services.tickets.reply(AUTHOR, ticket_id, "Encore une")
    assert "en une heure" in refused.value.message and len(world.mailer.sent) == sent  # nothing written, nobody e-mailed
    world.clock.advance(hours=1, minutes=1)
    assert world.services.tickets.reply(AUTHOR, ticket_id, "Une heure plus tard")["number"] == 62
