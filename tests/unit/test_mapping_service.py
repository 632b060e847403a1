"""A laboratory's labels, seen and confirmed through the establishments it serves."""

import pytest

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound
from chalicelib.domain.resistance.model import MappingKind
from tests.fakes.wiring import fake_world

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
CHU = "440000990"


@pytest.fixture
def world():
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU, "CHU", "CHU", "52")
    lab = world.services.tenants.create_laboratory(ADMIN, "Labo", None)
    world.services.tenants.link_laboratory(ADMIN, CHU, lab.lab_id)
    world.lab = lab.lab_id
    return world


def member(status: Status) -> Principal:
    return Principal(Email(f"{status.value}@chu.fr"), memberships={Finess(CHU): status})


def test_a_new_label_is_proposed_when_unambiguous_and_waits_otherwise(world):
    resolved = world.services.mappings.resolve(world.lab, MappingKind.SPECIES, ["E. coli BLSE", "S."])
    assert (resolved["E. coli BLSE"].state, resolved["E. coli BLSE"].proposed_code, resolved["E. coli BLSE"].hints) == (
        "proposed",
        "ESCCOL",
        ("esbl",),
    )
    assert (resolved["S."].state, resolved["S."].proposed_code) == ("unmapped", None)


def test_a_contributeur_confirms_and_the_change_is_audited(world):
    world.services.mappings.resolve(world.lab, MappingKind.SPECIES, ["E. coli BLSE"])
    [confirmed] = world.services.mappings.confirm(member(Status.CONTRIBUTEUR), world.lab, "species", [("e. coli blse", "ESCCOL")])
    assert (confirmed.state, confirmed.code, confirmed.hints) == ("confirmed", "ESCCOL", ("esbl",))
    entry = world.audit.entries[-1]
    assert entry.action == "mapping.confirm" and entry.before == {"state": "proposed", "code": None, "proposed_code": "ESCCOL"}


def test_an_unknown_reference_code_is_refused_in_french(world):
    with pytest.raises(InvalidInput) as error:
        world.services.mappings.confirm(member(Status.REFERENT), world.lab, "antibiotic", [("Amoxicilline", "AMOXI")])
    assert "Code inconnu" in error.value.details[0]["message"]


def test_an_observateur_sees_but_does_not_confirm(world):
    assert world.services.mappings.list_labels(member(Status.OBSERVATEUR), world.lab, None, None) == []
    with pytest.raises(Forbidden):
        world.services.mappings.confirm(member(Status.OBSERVATEUR), world.lab, "species", [("E. coli", "ESCCOL")])


def test_a_laboratory_serving_none_of_my_establishments_does_not_exist_for_me(world):
    stranger = Principal(Email("x@ch.fr"), memberships={Finess("490000999"): Status.REFERENT})
    with pytest.raises(NotFound):
        world.services.mappings.list_labels(stranger, world.lab, None, None)
    other_region = Principal(Email("r@ars.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("53"))}))
    with pytest.raises(NotFound):
        world.services.mappings.list_labels(other_region, world.lab, None, None)


def test_the_national_team_sees_every_laboratory(world):
    national = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
    assert world.services.mappings.list_labels(national, world.lab, "species", None) == []
