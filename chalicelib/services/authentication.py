"""From a bearer token to the principal the authorization table decides on (the second factor
checked where a profile requires one)."""

from __future__ import annotations

from chalicelib.domain.authorization import Principal
from chalicelib.domain.errors import Unauthenticated
from chalicelib.services.ports import AccessStore, TokenVerifier
from chalicelib.services.second_factor import SecondFactorRule


class Authenticator:
    def __init__(self, verifier: TokenVerifier, access: AccessStore, second_factor: SecondFactorRule) -> None:
        self._verifier = verifier
        self._access = access
        self._second_factor = second_factor

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
        # A token is the password's alone until shown otherwise: where a second factor is required, it
        # must come from an authentication after its enrolment (Cognito then always asks for the code).
        self._second_factor.check(email, (kind for kind, _ in profiles), verified.auth_time)
        return Principal(email=email, memberships=memberships, profiles=profiles)
