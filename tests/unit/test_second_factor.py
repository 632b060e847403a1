"""The second factor required of national and admin profiles: login, enrolment, tokens, brute force."""

from __future__ import annotations

import time

import pytest

from chalicelib.domain import second_factor, totp
from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput, TooManyRequests, Unauthenticated
from chalicelib.services.ports import Tokens
from chalicelib.services.second_factor import Challenge
from tests.fakes.wiring import fake_world

PASSWORD = "Correct-Horse-42"
MARC = "marc@sante.fr"


def _code(secret: str, ahead: int = 0) -> str:
    return totp.code_at(secret, totp.step_of(time.time()) + ahead)


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.fixture
def world():
    w = fake_world(mfa_required="national,admin")
    w.identity.sign_up(Email(MARC), PASSWORD, "Marc", "Lefèvre")
    w.identity.confirm(Email(MARC))
    w.services.profiles.grant_system(Email(MARC), Profile(ProfileType.NATIONAL))
    return w


def _enrol(world) -> str:
    """Marc's first login leads to the enrolment; his secret."""
    step = world.services.accounts.login(MARC, PASSWORD)
    assert isinstance(step, Challenge) and step.kind is second_factor.Challenge.ENROL
    secret = world.services.second_factor.start(step.session).secret
    world.services.second_factor.confirm(step.session, _code(secret))
    world.clock.advance(seconds=5)
    return secret


def _principal(world, tokens: Tokens):
    return world.services.authenticator.principal(f"Bearer {tokens.id_token}")


def test_the_setting_names_the_profiles_and_fails_closed_in_the_cloud():
    assert second_factor.required_profiles(None, embedded=False) == {ProfileType.NATIONAL, ProfileType.ADMIN}
    assert second_factor.required_profiles(None, embedded=True) == frozenset()
    assert second_factor.required_profiles("", embedded=False) == frozenset()
    assert second_factor.required_profiles(" Admin ", embedded=True) == {ProfileType.ADMIN}
    with pytest.raises(ValueError):
        second_factor.required_profiles("nationale", embedded=False)


def test_a_totp_code_is_rfc_6238s():
    # RFC 6238 appendix B, SHA-1, at 59 s: 94287082 (8 digits); ours keep the last 6.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp.code_at(secret, totp.step_of(59)) == "287082"
    assert totp.code_at(secret, totp.step_of(1111111109)) == "081804"
    assert totp.matching_step(secret, "287 082", 59 + 30) == 1  # one step of drift
    assert totp.matching_step(secret, "287082", 59 + 90) is None


def test_the_otpauth_uri_names_the_platform_the_account_and_the_secret():
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXP", "marc@sante.fr")
    assert uri.startswith("otpauth://totp/ConsoRes:marc@sante.fr?secret=JBSWY3DPEHPK3PXP&issuer=ConsoRes")
    assert totp.grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"


def test_a_national_user_without_totp_is_led_to_enrol_and_gets_no_id_token(world):
    step = world.services.accounts.login(MARC, PASSWORD)
    assert isinstance(step, Challenge) and step.kind is second_factor.Challenge.ENROL
    assert step.session  # the access token, for the enrolment only


def test_a_user_of_no_required_profile_logs_in_with_the_password(world):
    world.identity.sign_up(Email("claire@chu.fr"), PASSWORD, "Claire", "Martin")
    world.identity.confirm(Email("claire@chu.fr"))
    tokens = world.services.accounts.login("claire@chu.fr", PASSWORD)
    assert isinstance(tokens, Tokens)
    assert _principal(world, tokens).email == Email("claire@chu.fr")


def test_enrolment_is_audited_and_then_logins_ask_for_the_code(world):
    secret = _enrol(world)
    assert [e.action for e in world.audit.entries if e.actor == MARC] == ["mfa.enrol"]
    step = world.services.accounts.login(MARC, PASSWORD)
    assert isinstance(step, Challenge) and step.kind is second_factor.Challenge.CODE
    tokens = world.services.second_factor.answer(MARC, step.session, _code(secret, ahead=1))
    assert _principal(world, tokens).has_profile(ProfileType.NATIONAL)
    assert world.services.accounts.me(Email(MARC)).totp is True


def test_the_user_is_told_by_email_when_an_authenticator_app_is_added_and_whom_to_contact_if_not_them(world):
    step = world.services.accounts.login(MARC, PASSWORD)
    secret = world.services.second_factor.start(step.session).secret
    assert not [m for m in world.mailer.sent if MARC in m.to], "nothing before the app is confirmed"
    world.services.second_factor.confirm(step.session, _code(secret))
    letter = world.mailer.last_to(MARC)
    assert letter.subject == "ConsoRes : double authentification activée sur votre compte"
    assert "application d'authentification a été associée à votre compte ConsoRes le 02/03/2026 à 09:00 UTC" in letter.body
    assert "Si ce n'est pas vous, quelqu'un connaît votre mot de passe" in letter.body
    assert "contactez l'équipe nationale ConsoRes (support@consores.fr)" in letter.body


def test_any_user_may_enable_totp_for_themselves(world):
    world.identity.sign_up(Email("claire@chu.fr"), PASSWORD, "Claire", "Martin")
    world.identity.confirm(Email("claire@chu.fr"))
    tokens = world.services.accounts.login("claire@chu.fr", PASSWORD)
    secret = world.services.second_factor.start(tokens.access_token).secret
    world.services.second_factor.confirm(tokens.access_token, _code(secret))
    step = world.services.accounts.login("claire@chu.fr", PASSWORD)
    assert isinstance(step, Challenge) and step.kind is second_factor.Challenge.CODE


def test_attack_a_national_users_password_only_token_is_refused(world):
    # What the pool gives anyone with the password, asked directly (not through the app).
    tokens = world.identity.login(Email(MARC), PASSWORD)
    with pytest.raises(Unauthenticated) as refused:
        _principal(world, tokens)
    assert refused.value.code == "ERR_MFA_REQUIRED"


def test_attack_a_token_from_before_the_enrolment_stays_refused_after_it(world):
    early = world.identity.login(Email(MARC), PASSWORD)  # password only, before the enrolment
    _enrol(world)
    with pytest.raises(Unauthenticated):
        _principal(world, early)
    with pytest.raises(Unauthenticated):  # its refresh token was revoked by the enrolment
        world.services.accounts.refresh(early.refresh_token)


def test_attack_an_authenticator_switched_off_at_the_pool_leaves_the_password_alone_refused(world):
    _enrol(world)
    # Its user (with an access token) or the national team turns the authenticator off at the pool: the pool
    # then gives tokens for the password alone, dated after the enrolment.
    world.identity.users[Email(MARC)].totp = None
    world.clock.advance(seconds=5)
    tokens = world.identity.login(Email(MARC), PASSWORD)
    with pytest.raises(Unauthenticated) as refused:
        _principal(world, tokens)
    assert refused.value.code == "ERR_MFA_REQUIRED"
    step = world.services.accounts.login(MARC, PASSWORD)  # through the app: enrolment again
    assert isinstance(step, Challenge) and step.kind is second_factor.Challenge.ENROL


def test_attack_a_replayed_or_wrong_code_is_refused_in_french(world):
    secret = _enrol(world)
    code = _code(secret, ahead=1)
    world.services.second_factor.answer(MARC, world.services.accounts.login(MARC, PASSWORD).session, code)
    for attempt in (code, _wrong(_code(secret, ahead=1))):
        session = world.services.accounts.login(MARC, PASSWORD).session
        with pytest.raises(InvalidInput, match="Code incorrect ou déjà utilisé"):
            world.services.second_factor.answer(MARC, session, attempt)


def test_attack_another_users_session_is_refused(world):
    secret = _enrol(world)
    world.identity.sign_up(Email("eve@chu.fr"), PASSWORD, "Eve", "Noir")
    world.identity.confirm(Email("eve@chu.fr"))
    marc_session = world.services.accounts.login(MARC, PASSWORD).session
    with pytest.raises(Unauthenticated, match="Session de connexion expirée"):
        world.services.second_factor.answer("eve@chu.fr", marc_session, _code(secret, ahead=1))


def test_attack_wrong_codes_count_as_wrong_passwords_and_a_right_password_does_not_clear_them(world):
    secret = _enrol(world)
    wrong = _wrong(_code(secret, ahead=1))
    for _ in range(10):
        session = world.services.accounts.login(MARC, PASSWORD).session  # the right password each time
        with pytest.raises(InvalidInput):
            world.services.second_factor.answer(MARC, session, wrong)
    with pytest.raises(TooManyRequests, match="Trop de tentatives"):
        world.services.accounts.login(MARC, PASSWORD)


def test_attack_wrong_enrolment_codes_are_counted_too(world):
    step = world.services.accounts.login(MARC, PASSWORD)
    secret = world.services.second_factor.start(step.session).secret
    for _ in range(10):
        with pytest.raises(InvalidInput):
            world.services.second_factor.confirm(step.session, _wrong(_code(secret)))
    with pytest.raises(TooManyRequests):
        world.services.second_factor.confirm(step.session, _code(secret))
