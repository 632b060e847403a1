"""The lists of the administration screens: profiles, establishments overview,
laboratories with their links, and requesters' names on access requests."""

import pytest

from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.tenants import ears_net_laboratory_code
from tests.fakes.wiring import fake_world

CHU, CH, RENNES = "440000990", "490000999", "350000998"
ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("nat@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))


@pytest.fixture
def world():
    world = fake_world()
    tenants = world.services.tenants
    tenants.create_establishment(ADMIN, CHU, "CHU Loire-Atlantique", "CHU", "52")
    tenants.create_establishment(ADMIN, CH, "CH de l'Anjou", "CH", "52")
    tenants.create_establishment(ADMIN, RENNES, "CHU de Rennes", "CHU", "53")
    for email, first in (("claire@chu.fr", "Claire"), ("hugo@chu.fr", "Hugo"), ("reg@ars.fr", "Rémi")):
        world.identity.sign_up(Email(email), "Pass-word-2026", first, "Test")
        world.identity.confirm(Email(email))
    return world


def me(world, email):
    address = Email(email)
    return Principal(
        address,
        memberships={m.finess: m.status for m in world.access.memberships_of(address)},
        profiles=frozenset((p.type, p.region) for p in world.access.profiles_of(address)),
    )


def test_profiles_list_every_holder_with_names_and_region(world):
    world.services.profiles.grant(ADMIN, "reg@ars.fr", "regional", "52")
    world.services.profiles.grant(ADMIN, "nobody@sante.fr", "national", None)
    holders = world.services.administration.profiles(ADMIN)
    assert [(h.email.value, h.profile, h.first_name) for h in holders] == [
        ("nobody@sante.fr", Profile(ProfileType.NATIONAL), ""),  # no account yet: no name
        ("reg@ars.fr", Profile(ProfileType.REGIONAL, RegionCode("52")), "Rémi"),
    ]
    with pytest.raises(Forbidden):
        world.services.administration.profiles(NATIONAL)


def test_establishments_overview_tells_referent_members_requests_and_period_statuses(world):
    access = world.services.access
    access.request_access(me(world, "claire@chu.fr"), CHU, True, "direction@chu.fr", None)
    access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None)
    world.periods.closed.add((Finess(CHU), "2025-T1"))
    overview = {o.establishment.finess.value: o for o in world.services.administration.establishments(ADMIN, "52", "2025")}
    assert set(overview) == {CHU, CH}
    chu, ch = overview[CHU], overview[CH]
    assert (chu.has_referent, chu.members["referent"], chu.pending_requests) == (True, 1, 1)
    assert chu.periods == [("2025-T1", "closed")]
    assert (ch.has_referent, sum(ch.members.values()), ch.pending_requests, ch.periods) == (False, 0, 0, [])
    assert len(world.services.administration.establishments(ADMIN, None, None)) == 3
    with pytest.raises(InvalidInput):
        world.services.administration.establishments(ADMIN, None, "deux-mille")
    with pytest.raises(Forbidden):
        world.services.administration.establishments(NATIONAL, None, None)


def test_laboratories_come_with_the_establishments_they_serve(world):
    tenants = world.services.tenants
    lab = tenants.create_laboratory(ADMIN, "Biologie Ouest", "FR021")
    tenants.create_laboratory(ADMIN, "Autre labo", None)
    tenants.link_laboratory(ADMIN, CHU, lab.lab_id)
    tenants.link_laboratory(ADMIN, CH, lab.lab_id)
    links = world.services.administration.laboratories(ADMIN)
    assert [(x.laboratory.name, [e.name for e in x.establishments]) for x in links] == [
        ("Autre labo", []),
        ("Biologie Ouest", ["CH de l'Anjou", "CHU Loire-Atlantique"]),
    ]


def test_pending_requests_carry_the_requesters_names(world):
    access = world.services.access
    access.request_access(me(world, "claire@chu.fr"), CHU, True, "direction@chu.fr", None)
    access.request_access(me(world, "hugo@chu.fr"), CHU, None, None, None)
    found = access.requests_with_requesters(me(world, "claire@chu.fr"), CHU, "pending")
    assert [(r.email.value, u.first_name if u else None) for r, u in found] == [("hugo@chu.fr", "Hugo")]


@pytest.mark.parametrize("given, kept", [("FR001", "FR001"), ("fr583", "FR583"), ("FRn0001", "FRn0001"), ("  ", None)])
def test_a_laboratory_keeps_the_ears_net_code_the_ecdc_assigned(given, kept):
    assert ears_net_laboratory_code(given) == kept


@pytest.mark.parametrize("given", ["FR-LAB-1", "FR1", "FR0001", "DE001", "FRN00011"])
def test_a_laboratory_code_the_ecdc_would_reject_is_refused_in_french(given):
    with pytest.raises(InvalidInput, match="Code EARS-Net du laboratoire invalide"):
        ears_net_laboratory_code(given)
