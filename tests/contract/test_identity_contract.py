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
