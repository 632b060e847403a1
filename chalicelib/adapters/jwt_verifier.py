"""TokenVerifier: checks Cognito ID tokens against the pool's public keys (JWKS).

The app verifies tokens itself in every mode (``chalice local`` does not), and
accepts RS256 only: ``alg: none`` and HMAC-with-the-public-key tricks fail. The
user is named by the immutable ``cognito:username`` (the verified e-mail the
platform registered), never by the ``email`` claim.
"""

from __future__ import annotations

from typing import Any, Protocol

import jwt

from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput, Unauthenticated
from chalicelib.services.ports import VerifiedToken


class SigningKeys(Protocol):
    def get_signing_key_from_jwt(self, token: str) -> Any: ...


def jwks_keys(jwks_url: str) -> SigningKeys:
    """Keys fetched from the pool's well-known URL, cached for an hour."""
    return jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600, timeout=10)


class JwtVerifier:
    def __init__(self, keys: SigningKeys, issuer: str, audience: str, leeway_seconds: int = 30) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds

    def verify(self, token: str) -> VerifiedToken:
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("Session expirée : veuillez vous reconnecter.", code="ERR_TOKEN_EXPIRED") from error
        except (jwt.PyJWTError, ValueError, KeyError) as error:
            raise Unauthenticated("Jeton d'authentification invalide.", code="ERR_TOKEN_INVALID") from error
        if claims.get("token_use") != "id":
            raise Unauthenticated(
                "Jeton d'authentification invalide : un jeton d'identité est attendu.", code="ERR_TOKEN_INVALID"
            )
        # Who the caller is comes from the username alone: the platform sets it to the e-mail
        # it verified at sign-up, and Cognito never lets it change. The ``email`` claim is an
        # attribute a user could rewrite with their own access token: it never names anyone.
        username = claims.get("cognito:username")
        try:
            email = Email.parse(username)
        except InvalidInput as error:
            raise Unauthenticated("Jeton d'authentification invalide.", code="ERR_TOKEN_INVALID") from error
        auth_time = claims.get("auth_time")
        return VerifiedToken(
            email=email, subject=str(claims["sub"]), auth_time=auth_time if isinstance(auth_time, int) else 0
        )
