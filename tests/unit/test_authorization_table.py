"""The authorization table read as sentences; the exhaustive route walk lives in
tests/handlers/test_authorization_matrix.py."""

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import RIGHTS, Action, Outcome, Principal, decide
from chalicelib.domain.codes import Email, Finess, RegionCode

CHU = (Finess("440000990"), RegionCode("52"))
OTHER_REGION = (Finess("350000998"), RegionCode("53"))


def member(status):
    return Principal(Email("x@chu.fr"), memberships={CHU[0]: status})


def profile(kind, region=None):
    return Principal(Email("p@ars.fr"), profiles=frozenset({(kind, RegionCode(region) if region else None)}))


def test_only_the_referent_edits_the_structure():
    assert decide(member(Status.REFERENT), Action.EDIT_STRUCTURE, CHU) is Outcome.ALLOW
    assert decide(member(Status.CONTRIBUTEUR), Action.EDIT_STRUCTURE, CHU) is Outcome.FORBIDDEN


def test_contributeurs_import_and_observateurs_only_analyse():
    assert decide(member(Status.CONTRIBUTEUR), Action.UPLOAD_DATA, CHU) is Outcome.ALLOW
    assert decide(member(Status.OBSERVATEUR), Action.UPLOAD_DATA, CHU) is Outcome.FORBIDDEN
    assert decide(member(Status.OBSERVATEUR), Action.ANALYSE, CHU) is Outcome.ALLOW


def test_an_establishment_of_someone_else_does_not_exist_for_them():
    assert decide(member(Status.REFERENT), Action.VIEW_ESTABLISHMENT, OTHER_REGION) is Outcome.NOT_FOUND


def test_a_regional_profile_sees_its_region_and_nothing_else():
    regional = profile(ProfileType.REGIONAL, "52")
    assert decide(regional, Action.ANALYSE, CHU) is Outcome.ALLOW
    assert decide(regional, Action.UPLOAD_DATA, CHU) is Outcome.FORBIDDEN
    assert decide(regional, Action.ANALYSE, OTHER_REGION) is Outcome.NOT_FOUND


def test_the_national_team_sees_everything_but_does_not_import():
    national = profile(ProfileType.NATIONAL)
    assert decide(national, Action.ANALYSE, OTHER_REGION) is Outcome.ALLOW
    assert decide(national, Action.UPLOAD_DATA, CHU) is Outcome.FORBIDDEN
    assert decide(national, Action.REOPEN_PERIOD, CHU) is Outcome.ALLOW


def test_administration_is_for_administrators_only():
    assert decide(profile(ProfileType.ADMIN), Action.ADMINISTER_TENANTS) is Outcome.ALLOW
    assert decide(profile(ProfileType.NATIONAL), Action.ADMINISTER_TENANTS) is Outcome.FORBIDDEN
    assert decide(member(Status.REFERENT), Action.READ_AUDIT) is Outcome.FORBIDDEN


def test_every_action_has_a_line_in_the_table():
    assert set(RIGHTS) == set(Action)
