"""DOMAIN.md §10.3: a laboratory serving several establishments has one set of mappings,
versioned and audited; changing a confirmed one is for a référent or the national team,
and the référents of the other establishments served are told."""

import pytest

from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.resistance.model import MappingKind
from tests.fakes.wiring import fake_world

ADMIN = Principal(Email("admin@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
NATIONAL = Principal(Email("n@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
CHU, CH = "440000990", "350000998"


@pytest.fixture
def world():
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU, "CHU de Nantes", "CHU", "52")
    world.services.tenants.create_establishment(ADMIN, CH, "CH de Cholet", "CH", "52")
    lab = world.services.tenants.create_laboratory(ADMIN, "Biolab Ouest", None)
    for finess in (CHU, CH):
        world.services.tenants.link_laboratory(ADMIN, finess, lab.lab_id)
        world.access.add_first_referent(Membership(Finess(finess), Email(f"referent@{finess}.fr"), Status.REFERENT, "t"))
    world.lab = lab.lab_id
    world.services.mappings.resolve(world.lab, MappingKind.SPECIES, ["E. coli", "S. aureus"])
    world.services.mappings.confirm(referent(CHU), world.lab, "species", [("E. coli", "ESCCOL"), ("S. aureus", "STAAUR")])
    world.mailer.sent.clear()
    return world


def referent(finess: str) -> Principal:
    return Principal(Email(f"referent@{finess}.fr"), memberships={Finess(finess): Status.REFERENT})


def contributeur(finess: str) -> Principal:
    return Principal(Email(f"contrib@{finess}.fr"), memberships={Finess(finess): Status.CONTRIBUTEUR})


def test_each_confirmation_that_changes_something_takes_the_laboratorys_next_version(world):
    assert world.services.mappings.version(world.lab) == 1
    world.services.mappings.resolve(world.lab, MappingKind.SPECIES, ["K. pneumoniae"])
    [mapping] = world.services.mappings.confirm(contributeur(CH), world.lab, "species", [("K. pneumoniae", "KLEPNE")])
    assert (mapping.version, mapping.updated_by, mapping.previous_code) == (2, "contrib@350000998.fr", None)
    assert world.services.mappings.version(world.lab) == 2


def test_confirming_a_mapping_as_it_already_is_changes_nothing_and_takes_no_version(world):
    [same] = world.services.mappings.confirm(contributeur(CH), world.lab, "species", [("e. coli", "ESCCOL")])
    assert (same.version, same.updated_by) == (1, "referent@440000990.fr")
    assert world.services.mappings.version(world.lab) == 1 and world.mailer.sent == []


def test_a_contributeur_cannot_change_a_confirmed_mapping_others_rely_on(world):
    with pytest.raises(Forbidden) as refused:
        world.services.mappings.confirm(contributeur(CHU), world.lab, "species", [("E. coli", "STAAUR")])
    assert "référent" in refused.value.message and refused.value.details == [{"label": "E. coli", "code": "STAAUR"}]
    [kept] = world.mappings.list_mappings(world.lab, "species", "confirmed")[:1]
    assert (kept.label, kept.code, world.services.mappings.version(world.lab)) == ("E. coli", "ESCCOL", 1)


def test_a_referent_changes_it_with_the_old_code_kept_audited_and_versioned(world):
    [changed] = world.services.mappings.confirm(referent(CHU), world.lab, "species", [("E. coli", "STAAUR")])
    assert (changed.code, changed.previous_code, changed.version) == ("STAAUR", "ESCCOL", 2)
    entry = world.audit.entries[-1]
    assert entry.action == "mapping.change" and entry.before["code"] == "ESCCOL" and entry.after["version"] == 2


def test_the_referents_of_the_other_establishments_served_are_emailed_in_french(world):
    world.services.mappings.confirm(referent(CHU), world.lab, "species", [("E. coli", "STAAUR")])
    [letter] = world.mailer.sent
    assert letter.to == ("referent@350000998.fr",)
    assert "Biolab Ouest" in letter.subject and "CH de Cholet" in letter.body
    assert "espèce « E. coli » : ESCCOL → STAAUR" in letter.body and "version 2" in letter.body
    assert "referent@440000990.fr" in letter.body and "renvoyez son fichier" in letter.body


def test_the_national_team_may_change_it_and_every_referent_served_is_told(world):
    world.services.mappings.confirm(NATIONAL, world.lab, "species", [("S. aureus", "ESCCOL")])
    assert sorted(letter.to[0] for letter in world.mailer.sent) == ["referent@350000998.fr", "referent@440000990.fr"]


def test_a_failed_letter_does_not_undo_the_change(world, monkeypatch):
    def broken(letter):
        raise RuntimeError("SES down")

    monkeypatch.setattr(world.mailer, "send", broken)
    [changed] = world.services.mappings.confirm(referent(CH), world.lab, "species", [("E. coli", "STAAUR")])
    assert world.mappings.get_many(world.lab, "species", ["E. coli"])["E. coli"].code == changed.code == "STAAUR"


def test_the_changes_list_the_latest_first_with_who_and_the_code_replaced(world):
    world.services.mappings.confirm(referent(CH), world.lab, "species", [("E. coli", "STAAUR")])
    version, listed = world.services.mappings.changes(contributeur(CHU), world.lab)
    assert version == 2
    assert [(m.label, m.version, m.previous_code, m.updated_by) for m in listed] == [
        ("E. coli", 2, "ESCCOL", "referent@350000998.fr"),
        ("S. aureus", 1, None, "referent@440000990.fr"),
    ]


def test_a_label_sent_twice_in_two_spellings_is_refused_so_no_one_slips_a_change_past_the_rule(world):
    with pytest.raises(InvalidInput, match="plusieurs fois"):
        world.services.mappings.confirm(contributeur(CHU), world.lab, "species", [("E. coli", "STAAUR"), ("e. coli", "ESCCOL")])
    assert world.mappings.get_many(world.lab, "species", ["E. coli"])["E. coli"].code == "ESCCOL"


def test_a_confirmed_mapping_written_in_another_spelling_is_still_a_change_for_a_referent_only(world):
    with pytest.raises(Forbidden):
        world.services.mappings.confirm(contributeur(CHU), world.lab, "species", [("e.  COLI", "STAAUR")])
    [changed] = world.services.mappings.confirm(referent(CH), world.lab, "species", [("e.  COLI", "STAAUR")])
    assert (changed.previous_code, changed.version) == ("ESCCOL", 2)


def test_the_referent_of_an_establishment_where_the_author_is_only_a_contributeur_is_told(world):
    author = Principal(
        Email("referent@440000990.fr"), memberships={Finess(CHU): Status.REFERENT, Finess(CH): Status.CONTRIBUTEUR}
    )
    world.services.mappings.confirm(author, world.lab, "species", [("E. coli", "STAAUR")])
    assert [letter.to for letter in world.mailer.sent] == [("referent@350000998.fr",)]
