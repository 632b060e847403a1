"""The second factor (TOTP): who must have one, a login's code step, and enrolment.

The pool (Cognito) keeps each user's secret and checks the codes; once a user has TOTP, every
login of theirs asks for a code, whoever calls the pool. The platform adds what Cognito cannot:
the profiles named by the setting must have a second factor, and their tokens are accepted only
from an authentication made after its enrolment (``SecondFactorRule.check``). Wrong codes count
against the same limits as wrong passwords.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.domain import letters, second_factor, totp
from chalicelib.domain.access import ProfileType
from chalicelib.domain.accounts import LOGIN_PER_ACCOUNT, LOGIN_PER_CLIENT, client_key
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import InvalidInput, Unauthenticated
from chalicelib.services.context import Context
from chalicelib.services.ports import (
    AccessStore,
    AttemptCounters,
    IdentityProvider,
    Mailer,
    SecondFactorNeeded,
    SecondFactorStore,
    Tokens,
)
from chalicelib.services.throttle import Limited, Throttle


@dataclass(frozen=True)
class Challenge:
    """What a login with the right password still asks: a code, or an enrolment first."""

    kind: second_factor.Challenge
    #: Opaque: the pool's challenge session (a code), or the user's access token (an enrolment).
    session: str


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str


class SecondFactorRule:
    """Which users must have a second factor, and whether a token shows one."""

    def __init__(
        self, required: frozenset[ProfileType], store: SecondFactorStore, access: AccessStore, identity: IdentityProvider
    ) -> None:
        self.required = required
        self._store = store
        self._access = access
        self._identity = identity

    def applies_to(self, email: Email) -> bool:
        return second_factor.is_required(self.required, (p.type for p in self._access.profiles_of(email)))

    def check(self, email: Email, profiles: Iterable[ProfileType], auth_time: int) -> None:
        """Raises Unauthenticated (``ERR_MFA_REQUIRED``) for a user who must have a second factor and whose
        token comes from an authentication before its enrolment (or who has none), or whose logins no longer
        ask the pool for a code: an authenticator switched off at the pool (by its user with an access token,
        or removed by the national team) would let a login with the password alone get tokens straight from
        the pool, which the enrolment's date alone would take for tokens of a login with a code."""
        if not second_factor.is_required(self.required, profiles):
            return
        since = self._store.enrolled_at(email)
        # Strictly after the enrolment's second: a token of that very second may predate it.
        if since is None or auth_time <= math.floor(since.timestamp()):
            raise Unauthenticated(second_factor.REQUIRED, code="ERR_MFA_REQUIRED")
        user = self._identity.get_user(email)
        if user is None or not user.totp:
            raise Unauthenticated(second_factor.REQUIRED, code="ERR_MFA_REQUIRED")


class SecondFactorService:
    def __init__(
        self,
        *,
        identity: IdentityProvider,
        store: SecondFactorStore,
        rule: SecondFactorRule,
        counters: AttemptCounters,
        mailer: Mailer,
        support_contact: str,
        context: Context,
    ) -> None:
        self._identity = identity
        self._mailer = mailer
        self._support_contact = support_contact
        self._store = store
        self._rule = rule
        self._ctx = context
        self._throttle = Throttle(counters, context)

    def after_password(self, email: Email, result: Tokens | SecondFactorNeeded) -> Tokens | Challenge:
        """What a login with the right password answers: tokens, or the step still needed."""
        if isinstance(result, SecondFactorNeeded):
            return Challenge(second_factor.Challenge.CODE, result.session)
        if self._rule.applies_to(email):
            # No tokens for anything else: only the access token, for the enrolment's two calls.
            return Challenge(second_factor.Challenge.ENROL, result.access_token)
        return result

    def answer(self, email: str, session: str, code: str, client: str | None = None) -> Tokens:
        """Complete a login with the authenticator's code (wrong codes count as wrong passwords)."""
        address = Email.parse(email)
        limits = _limits(address, client)
        self._throttle.check(*limits)
        try:
            tokens = self._identity.answer_second_factor(address, session, code)
        except (InvalidInput, Unauthenticated):
            self._throttle.count(*limits)
            raise
        self._throttle.clear(limits[0])
        return tokens

    def start(self, session: str) -> Enrolment:
        """A new secret for the session's user (shown once; in force when a code of it is confirmed)."""
        email = self._identity.user_of(session)
        secret = self._identity.start_totp(session)
        return Enrolment(secret, totp.otpauth_uri(secret, email.value))

    def confirm(self, session: str, code: str, client: str | None = None) -> Email:
        """Make the new secret the user's second factor; every session opened before is closed, and the user is
        told by e-mail (whoever holds their password could have done it)."""
        email = self._identity.user_of(session)
        limits = _limits(email, client)
        self._throttle.check(*limits)
        try:
            self._identity.confirm_totp(session, code)
        except InvalidInput:
            self._throttle.count(*limits)
            raise
        now = self._ctx.clock.now()
        self._store.record(email, now)
        self._identity.sign_out_everywhere(session)
        self._throttle.clear(limits[0])
        self._ctx.audit(email.value, "mfa.enrol", f"user:{email}", None, {"method": "totp"})
        self._mailer.send(letters.authenticator_added(email.value, now, self._support_contact))
        return email

    def required_of(self, email: Email) -> bool:
        return self._rule.applies_to(email)


def _limits(email: Email, client: str | None) -> tuple[Limited, Limited]:
    return (LOGIN_PER_ACCOUNT, email.value), (LOGIN_PER_CLIENT, client_key(client))
