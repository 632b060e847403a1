import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.adapters.jwt_verifier import JwtVerifier
from chalicelib.domain.errors import Unauthenticated
from tests.fakes.identity import AUDIENCE, ISSUER, StaticKeys, id_token_claims, sign


def verifier():
    return JwtVerifier(StaticKeys(), ISSUER, AUDIENCE, leeway_seconds=0)


def test_a_token_signed_by_the_pool_names_its_user():
    assert verifier().verify(sign(id_token_claims("claire@chu.fr"))).email.value == "claire@chu.fr"


def test_a_token_signed_by_another_key_is_refused():
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated) as error:
        verifier().verify(sign(id_token_claims("claire@chu.fr"), key=forger))
    assert error.value.code == "ERR_TOKEN_INVALID"


def test_an_expired_token_is_refused_with_a_french_message():
    with pytest.raises(Unauthenticated, match="Session expirée"):
        verifier().verify(sign(id_token_claims("claire@chu.fr", lifetime=-10)))


def test_an_unsigned_alg_none_token_is_refused():
    unsigned = jwt.encode(id_token_claims("claire@chu.fr"), key=None, algorithm="none", headers={"kid": "fake"})
    with pytest.raises(Unauthenticated):
        verifier().verify(unsigned)


def test_a_token_for_another_audience_or_issuer_is_refused():
    with pytest.raises(Unauthenticated):
        verifier().verify(sign(id_token_claims("claire@chu.fr", aud="someone-else")))
    with pytest.raises(Unauthenticated):
        verifier().verify(sign(id_token_claims("claire@chu.fr", iss="https://evil.example")))


def test_an_access_token_is_not_an_identity_token():
    with pytest.raises(Unauthenticated, match="jeton d'identité"):
        verifier().verify(sign(id_token_claims("claire@chu.fr", token_use="access")))


def test_garbage_is_refused_not_crashing():
    with pytest.raises(Unauthenticated):
        verifier().verify("not.a.token")


def test_a_user_who_rewrote_their_email_attribute_is_still_themselves():
    """The stack lets nobody write ``email``; were it written, the token still names the username."""
    forged = {**id_token_claims("eve@ch.fr"), "email": "admin@consores.fr", "email_verified": False}
    assert verifier().verify(sign(forged)).email.value == "eve@ch.fr"


def test_a_token_without_a_username_names_nobody():
    claims = id_token_claims("eve@ch.fr")
    del claims["cognito:username"]
    with pytest.raises(Unauthenticated):
        verifier().verify(sign(claims))
