"""From a bearer token to the principal the authorization table decides on."""

from __future__ import annotations

from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import Unauthenticated
from chalicelib.services.ports import AccessStore, TokenVerifier


class Authenticator:
    def __init__(self, verifier: TokenVerifier, access: AccessStore) -> None:
        self._verifier = verifier
        self._access = access

    def principal(self, authorization_header: str | None) -> Principal:
        """Raises Unauthenticated when the header is missing or the token untrusted."""
        if not authorization_header:
            raise Unauthenticated()
        scheme, _, token = authorization_header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("En-tête d'autorisation invalide : « Bearer <jeton> » attendu.")
        verified = self._verifier.verify(token.strip())
        email = verified.email
        memberships = {m.finess: m.status for m in self._access.memberships_of(email)}
        profiles = frozenset((p.type, p.region) for p in self._access.profiles_of(email))
        return Principal(email=email, memberships=memberships, profiles=profiles)
