import pytest

from chalicelib.domain.access import (
    AccessRequest,
    CharterAcceptance,
    Decision,
    Membership,
    Profile,
    RequestState,
    Status,
    decide_request,
    ensure_hand_over_allowed,
    ensure_not_member,
    ensure_role_change_allowed,
)
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, InvalidInput

CHU = Finess("440000990")
CLAIRE = Email("claire@chu.fr")
HUGO = Email("hugo@chu.fr")


def pending():
    return AccessRequest("r1", CHU, HUGO, RequestState.PENDING, "2026-01-01T00:00:00")


def test_the_first_referent_must_accept_the_charter():
    with pytest.raises(InvalidInput) as error:
        CharterAcceptance.create(False, "direction@chu.fr", None)
    assert error.value.code == "ERR_CHARTER_REQUIRED"


def test_the_first_referent_must_give_the_management_email():
    with pytest.raises(InvalidInput, match="direction"):
        CharterAcceptance.create(True, "", None)


def test_the_dpo_email_is_optional():
    assert CharterAcceptance.create(True, "direction@chu.fr", None).dpo_email is None


def test_accepting_a_request_requires_contributeur_or_observateur():
    with pytest.raises(InvalidInput):
        decide_request(pending(), Decision.ACCEPT, None, CLAIRE, "now")
    with pytest.raises(InvalidInput):
        decide_request(pending(), Decision.ACCEPT, Status.REFERENT, CLAIRE, "now")


def test_an_accepted_request_records_who_decided_and_the_role():
    decided = decide_request(pending(), Decision.ACCEPT, Status.OBSERVATEUR, CLAIRE, "now")
    assert (decided.state, decided.role, decided.decided_by) == (RequestState.ACCEPTED, Status.OBSERVATEUR, CLAIRE)


def test_a_request_is_decided_only_once():
    refused = decide_request(pending(), Decision.REFUSE, None, CLAIRE, "now")
    with pytest.raises(Conflict):
        decide_request(refused, Decision.ACCEPT, Status.CONTRIBUTEUR, CLAIRE, "later")


def test_a_member_cannot_ask_again_for_access():
    member = Membership(CHU, HUGO, Status.CONTRIBUTEUR, "now")
    with pytest.raises(Conflict, match="déjà contributeur"):
        ensure_not_member(member, None)
    with pytest.raises(Conflict, match="en attente"):
        ensure_not_member(None, pending())


def test_nobody_becomes_referent_by_a_role_change():
    with pytest.raises(InvalidInput, match="passation"):
        ensure_role_change_allowed(Membership(CHU, HUGO, Status.CONTRIBUTEUR, "now"), Status.REFERENT)


def test_the_referent_keeps_the_role_until_handing_it_over():
    with pytest.raises(Conflict):
        ensure_role_change_allowed(Membership(CHU, CLAIRE, Status.REFERENT, "now"), Status.OBSERVATEUR)


def test_the_referent_role_goes_only_to_a_member():
    with pytest.raises(InvalidInput, match="déjà être membre"):
        ensure_hand_over_allowed(CLAIRE, None)


def test_a_regional_profile_names_its_region_and_only_it_does():
    with pytest.raises(InvalidInput):
        Profile.create("regional", None)
    with pytest.raises(InvalidInput):
        Profile.create("national", RegionCode("52"))
    with pytest.raises(InvalidInput, match="Profil inconnu"):
        Profile.create("superuser", None)
