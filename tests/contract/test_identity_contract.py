"""The identity ports on the fake pool and on Cognito (emulator): sign-up,
confirmation, login, refresh, new password, and the app's own token check."""

from __future__ import annotations

import pytest

from chalicelib.adapters.jwt_verifier import JwtVerifier
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, Unauthenticated
from tests.fakes.identity import AUDIENCE, ISSUER, FakeIdentityProvider, FakeMailer, StaticKeys

CLAIRE = Email("claire@chu.fr")


@pytest.fixture(params=["fake", "cognito"])
def pool(request):
    if request.param == "fake":
        mailer = FakeMailer()
        return FakeIdentityProvider(), JwtVerifier(StaticKeys(), ISSUER, AUDIENCE), mailer, mailer
    world = request.getfixturevalue("aws")
    return world.adapters.identity, world.adapters.verifier, world.adapters.mailer, world.adapters.mailbox


def test_a_new_account_exists_unconfirmed_with_its_names(pool):
    identity, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    user = identity.get_user(CLAIRE)
    assert (user.first_name, user.last_name, user.confirmed) == ("Claire", "Martin", False)
    assert identity.get_user(Email("nobody@chu.fr")) is None


def test_the_same_address_signs_up_once(pool):
    identity, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    with pytest.raises(Conflict):
        identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")


def test_login_needs_confirmation_and_the_right_password(pool):
    identity, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    with pytest.raises(Unauthenticated):
        identity.login(CLAIRE, "Pass-word-2026")
    identity.confirm(CLAIRE)
    with pytest.raises(Unauthenticated):
        identity.login(CLAIRE, "Wrong-password-1")
    assert identity.login(CLAIRE, "Pass-word-2026").id_token


def test_the_id_token_is_verified_by_the_app_and_names_the_user(pool):
    identity, verifier, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    identity.confirm(CLAIRE)
    tokens = identity.login(CLAIRE, "Pass-word-2026")
    assert verifier.verify(tokens.id_token).email == CLAIRE
    refreshed = identity.refresh(tokens.refresh_token)
    assert verifier.verify(refreshed.id_token).email == CLAIRE


def test_a_new_password_replaces_the_old_one(pool):
    identity, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    identity.confirm(CLAIRE)
    identity.set_password(CLAIRE, "Nouveau-Secret-2026")
    assert identity.login(CLAIRE, "Nouveau-Secret-2026").id_token
    with pytest.raises(Unauthenticated):
        identity.login(CLAIRE, "Pass-word-2026")


def test_a_sent_letter_reaches_the_mailbox_with_its_accents(pool):
    from chalicelib.domain.letters import Letter

    *_, mailer, mailbox = pool
    mailer.send(Letter(("claire@chu.fr",), "Objet accentué é", "Corps à lire"))
    assert {"to": "claire@chu.fr", "subject": "Objet accentué é", "body": "Corps à lire"}.items() <= mailbox.messages()[
        -1
    ].items()


# --- The second factor (TOTP) -------------------------------------------------------------------


def _now_code(secret: str, ahead: int = 0) -> str:
    import time

    from chalicelib.domain import totp

    return totp.code_at(secret, totp.step_of(time.time()) + ahead)


def _enrolled(identity) -> tuple[str, str]:
    """Claire, confirmed, with TOTP set up; her secret and a code not used yet."""
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    identity.confirm(CLAIRE)
    tokens = identity.login(CLAIRE, "Pass-word-2026")
    secret = identity.start_totp(tokens.access_token)
    identity.confirm_totp(tokens.access_token, _now_code(secret))
    return secret, _now_code(secret, ahead=1)  # the next step's code: within the tolerance, and unused


def test_each_user_gets_a_secret_of_their_own(pool):
    identity, *_ = pool
    secrets = []
    for address in ("claire@chu.fr", "paul@chu.fr"):
        identity.sign_up(Email(address), "Pass-word-2026", "A", "B")
        identity.confirm(Email(address))
        secrets.append(identity.start_totp(identity.login(Email(address), "Pass-word-2026").access_token))
    assert secrets[0] != secrets[1] and all(len(s) >= 32 for s in secrets)


def test_a_wrong_code_does_not_enable_totp(pool):
    from chalicelib.domain.errors import InvalidInput

    identity, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    identity.confirm(CLAIRE)
    tokens = identity.login(CLAIRE, "Pass-word-2026")
    secret = identity.start_totp(tokens.access_token)
    wrong = "000000" if _now_code(secret) != "000000" else "111111"
    with pytest.raises(InvalidInput):
        identity.confirm_totp(tokens.access_token, wrong)
    assert identity.get_user(CLAIRE).totp is False
    assert identity.login(CLAIRE, "Pass-word-2026").id_token  # no challenge


def test_once_enrolled_a_login_asks_for_the_code_and_the_code_completes_it(pool):
    from chalicelib.services.ports import SecondFactorNeeded

    identity, verifier, *_ = pool
    _, code = _enrolled(identity)
    assert identity.get_user(CLAIRE).totp is True
    challenge = identity.login(CLAIRE, "Pass-word-2026")
    assert isinstance(challenge, SecondFactorNeeded)
    tokens = identity.answer_second_factor(CLAIRE, challenge.session, code)
    assert verifier.verify(tokens.id_token).email == CLAIRE


def test_a_wrong_or_replayed_code_is_refused(pool):
    from chalicelib.domain.errors import InvalidInput

    identity, *_ = pool
    _, code = _enrolled(identity)
    session = identity.login(CLAIRE, "Pass-word-2026").session
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidInput):
        identity.answer_second_factor(CLAIRE, session, wrong)
    identity.answer_second_factor(CLAIRE, session, code)  # the session survives a wrong code
    with pytest.raises(InvalidInput):
        identity.answer_second_factor(CLAIRE, identity.login(CLAIRE, "Pass-word-2026").session, code)


def test_a_session_answers_for_its_own_user_only_and_once(pool):
    identity, *_ = pool
    secret, code = _enrolled(identity)
    paul = Email("paul@chu.fr")
    identity.sign_up(paul, "Pass-word-2026", "Paul", "Durand")
    identity.confirm(paul)
    claire_session = identity.login(CLAIRE, "Pass-word-2026").session
    with pytest.raises(Unauthenticated):  # Claire's session named with Paul
        identity.answer_second_factor(paul, claire_session, code)
    identity.answer_second_factor(CLAIRE, claire_session, code)
    with pytest.raises(Unauthenticated):  # spent
        identity.answer_second_factor(CLAIRE, claire_session, _now_code(secret, ahead=2))


def test_an_access_token_names_its_user_and_signing_out_everywhere_revokes_the_refresh_tokens(pool):
    identity, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    identity.confirm(CLAIRE)
    tokens = identity.login(CLAIRE, "Pass-word-2026")
    assert identity.user_of(tokens.access_token) == CLAIRE
    with pytest.raises(Unauthenticated):
        identity.user_of("not-a-token")
    identity.sign_out_everywhere(tokens.access_token)
    with pytest.raises(Unauthenticated):
        identity.refresh(tokens.refresh_token)


def test_the_id_token_says_when_its_user_authenticated(pool):
    import time

    identity, verifier, *_ = pool
    identity.sign_up(CLAIRE, "Pass-word-2026", "Claire", "Martin")
    identity.confirm(CLAIRE)
    assert abs(verifier.verify(identity.login(CLAIRE, "Pass-word-2026").id_token).auth_time - time.time()) < 60
