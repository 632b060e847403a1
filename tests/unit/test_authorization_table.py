"""The authorization table read as sentences; the exhaustive route walk lives in
tests/handlers/test_authorization_matrix.py."""

from chalicelib.domain.access import ProfileType, Status
from chalicelib.domain.authorization import ESTABLISHMENT_ACTIONS, RIGHTS, Action, Outcome, Principal, decide
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


# The whole table, as one reads it: every action x every kind of caller, on establishment CHU (region 52).
OK = "ok"
CALLER_KINDS = {
    "referent": member(Status.REFERENT),
    "contributeur": member(Status.CONTRIBUTEUR),
    "observateur": member(Status.OBSERVATEUR),
    "member_of_another_region": Principal(Email("y@es35.fr"), memberships={OTHER_REGION[0]: Status.REFERENT}),
    "regional_of_its_region": profile(ProfileType.REGIONAL, "52"),
    "regional_of_another_region": profile(ProfileType.REGIONAL, "53"),
    "national": profile(ProfileType.NATIONAL),
    "admin": profile(ProfileType.ADMIN),
}
EXPECTED = {
    #                          referent contrib observ  other ES  regional  other reg. national admin
    Action.VIEW_ESTABLISHMENT: (OK,     OK,     OK,     404,      OK,       404,       OK,      OK),
    Action.LIST_MEMBERS:       (OK,     OK,     OK,     404,      OK,       404,       OK,      OK),
    Action.MANAGE_ACCESS:      (OK,     403,    403,    404,      403,      404,       403,     OK),
    Action.EDIT_STRUCTURE:     (OK,     403,    403,    404,      403,      404,       403,     403),
    Action.UPLOAD_DATA:        (OK,     OK,     403,    404,      403,      404,       403,     403),
    Action.REMOVE_DATA:        (OK,     403,    403,    404,      403,      404,       403,     403),
    Action.EDIT_SETTINGS:      (OK,     OK,     403,    404,      403,      404,       403,     403),
    Action.ANALYSE:            (OK,     OK,     OK,     404,      OK,       404,       OK,      OK),
    Action.VIEW_ALERTS:        (OK,     OK,     OK,     404,      OK,       404,       OK,      OK),
    Action.ACKNOWLEDGE_ALERT:  (OK,     OK,     403,    404,      403,      404,       403,     403),
    Action.CLOSE_PERIOD:       (OK,     OK,     403,    404,      403,      404,       403,     403),
    Action.REOPEN_PERIOD:      (403,    403,    403,    404,      403,      404,       OK,      OK),
    # Platform actions: nobody's establishment, so 403 and never 404.
    Action.ADMINISTER_TENANTS: (403,    403,    403,    403,      403,      403,       403,     OK),
    Action.ADMINISTER_PROFILES: (403,   403,    403,    403,      403,      403,       403,     OK),
    Action.READ_AUDIT:         (403,    403,    403,    403,      403,      403,       403,     OK),
    Action.ADMINISTER_CATALOGUE: (403,  403,    403,    403,      403,      403,       OK,      OK),
    Action.EXPORT_EARS_NET:    (403,    403,    403,    403,      403,      403,       OK,      OK),
    Action.GENERATE_REPORTS:   (403,    403,    403,    403,      403,      403,       OK,      OK),
    Action.SET_METHODS:        (403,    403,    403,    403,      403,      403,       OK,      OK),
    Action.ADMINISTER_CAMPAIGN: (403,   403,    403,    403,      403,      403,       OK,      OK),
    Action.OPERATE_LOCAL_PLATFORM: (403, 403,   403,    403,      403,      403,       403,     OK),
}  # fmt: skip
ANSWER = {Outcome.ALLOW: OK, Outcome.FORBIDDEN: 403, Outcome.NOT_FOUND: 404}


def test_every_kind_of_caller_gets_for_every_action_what_the_table_of_expectations_says():
    assert set(EXPECTED) == set(Action)
    for action, answers in EXPECTED.items():
        target = CHU if action in ESTABLISHMENT_ACTIONS else None
        got = tuple(ANSWER[decide(caller, action, target)] for caller in CALLER_KINDS.values())
        assert got == answers, f"{action}: {dict(zip(CALLER_KINDS, got, strict=True))}"
