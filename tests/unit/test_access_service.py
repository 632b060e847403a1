"""The access flow of DOMAIN.md §2, through the services wired with fakes."""

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.fakes.wiring import fake_world

CHU, CH = "440000990", "490000999"
ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))


@pytest.fixture
def world():
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU, "CHU Loire-Atlantique", "CHU", "52")
    world.services.tenants.create_establishment(ADMIN, CH, "CH de l'Anjou", "CH", "52")
    for email, first in (("claire@chu.fr", "Claire"), ("hugo@chu.fr", "Hugo"), ("ines@chu.fr", "Inès")):
        world.identity.sign_up(Email(email), "Pass-word-2026", first, "Test")
        world.identity.confirm(Email(email))
    return world


def me(world, email):
    access = world.access
    address = Email(email)
    return Principal(
        address,
        memberships={m.finess: m.status for m in access.memberships_of(address)},
        profiles=frozenset((p.type, p.region) for p in access.profiles_of(address)),
    )


def become_referent(world, email="claire@chu.fr", finess=CHU):
    return world.services.access.request_access(me(world, email), finess, True, "direction@chu.fr", "dpo@chu.fr")


def test_the_first_person_becomes_referent_and_the_management_gets_the_letter(world):
    outcome = become_referent(world)
    assert (outcome.status, outcome.role) == ("granted", Status.REFERENT)
    letter = world.mailer.last_to("direction@chu.fr")
    assert letter.to == ("direction@chu.fr", "dpo@chu.fr")
    assert "CHU Loire-Atlantique" in letter.body and "Claire Test" in letter.body
    assert "pseudonyme" in letter.body


def test_the_first_person_without_the_charter_is_told_to_accept_it(world):
    with pytest.raises(InvalidInput) as error:
        world.services.access.request_access(me(world, "claire@chu.fr"), CHU, None, None, None)
    assert error.value.code == "ERR_CHARTER_REQUIRED"
    assert world.access.referent_of(Finess(CHU)) is None


def test_later_requests_wait_for_the_referent_who_is_told_by_email(world):
    become_referent(world)
    outcome = world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None)
    assert outcome.status == "pending" and outcome.request_id
    assert "Hugo Test" in world.mailer.last_to("claire@chu.fr").body
    assert world.access.get_membership(Finess(CHU), Email("hugo@chu.fr")) is None


def test_the_referent_accepts_a_request_as_contributeur_and_the_requester_is_told(world):
    become_referent(world)
    request_id = world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None).request_id
    world.services.access.decide(me(world, "claire@chu.fr"), CHU, request_id, "accept", "contributeur")
    assert world.access.get_membership(Finess(CHU), Email("hugo@chu.fr")).status is Status.CONTRIBUTEUR
    assert "acceptée" in world.mailer.last_to("hugo@chu.fr").body


def test_a_refused_requester_is_told_and_gets_no_access(world):
    become_referent(world)
    request_id = world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None).request_id
    world.services.access.decide(me(world, "claire@chu.fr"), CHU, request_id, "refuse", None)
    assert world.access.get_membership(Finess(CHU), Email("hugo@chu.fr")) is None
    assert "refusée" in world.mailer.last_to("hugo@chu.fr").body


def test_only_the_referent_decides_on_requests(world):
    become_referent(world)
    request_id = world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None).request_id
    world.services.access.decide(me(world, "claire@chu.fr"), CHU, request_id, "accept", "contributeur")
    other = world.services.access.request_access(me(world, "ines@chu.fr"), CHU, None, None, None).request_id
    with pytest.raises(Forbidden):
        world.services.access.decide(me(world, "hugo@chu.fr"), CHU, other, "accept", "contributeur")


def test_a_stranger_gets_not_found_on_the_members_of_an_establishment(world):
    become_referent(world)
    become_referent(world, "ines@chu.fr", CH)
    with pytest.raises(NotFound):
        world.services.access.members(me(world, "ines@chu.fr"), CHU)


def test_the_referent_hands_over_the_role_and_becomes_contributeur(world):
    become_referent(world)
    request_id = world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None).request_id
    world.services.access.decide(me(world, "claire@chu.fr"), CHU, request_id, "accept", "observateur")
    world.services.access.hand_over(me(world, "claire@chu.fr"), CHU, "hugo@chu.fr")
    assert world.access.referent_of(Finess(CHU)) == Email("hugo@chu.fr")
    assert world.access.get_membership(Finess(CHU), Email("claire@chu.fr")).status is Status.CONTRIBUTEUR
    assert world.access.get_membership(Finess(CHU), Email("hugo@chu.fr")).status is Status.REFERENT


def test_asking_twice_is_a_conflict(world):
    become_referent(world)
    world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None)
    with pytest.raises(Conflict, match="en attente"):
        world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None)


def test_every_change_is_audited_with_before_and_after(world):
    become_referent(world)
    request_id = world.services.access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None).request_id
    world.services.access.decide(me(world, "claire@chu.fr"), CHU, request_id, "accept", "contributeur")
    actions = [e.action for e in world.audit.entries]
    assert actions == [
        "establishment.create",
        "establishment.create",
        "membership.first_referent",
        "access_request.create",
        "access_request.accepted",
    ]
    accepted = world.audit.entries[-1]
    assert accepted.actor == "claire@chu.fr"
    assert (accepted.before, accepted.after["state"]) == ({"state": "pending"}, "accepted")
