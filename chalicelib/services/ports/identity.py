"""Ports of identity and mail: accounts, tokens, codes, e-mails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.domain.codes import Email
from chalicelib.domain.letters import Letter


class Mailer(Protocol):
    def send(self, letter: Letter) -> None:
        """Send one e-mail (SES). Raises on delivery failure."""
        ...


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right; a code of the user's authenticator app completes the login.

    ``session`` is the pool's, opaque, bound to the user and short-lived."""

    session: str


@dataclass(frozen=True)
class UserInfo:
    email: Email
    first_name: str
    last_name: str
    confirmed: bool
    #: The user's logins ask for an authenticator's code.
    totp: bool = False


class IdentityProvider(Protocol):
    """The user pool (Cognito). Codes are the platform's, not the pool's."""

    def sign_up(self, email: Email, password: str, first_name: str, last_name: str) -> None:
        """Create an unconfirmed user. Raises Conflict (exists) or InvalidInput (weak password)."""
        ...

    def confirm(self, email: Email) -> None:
        """Mark the user's account and e-mail as confirmed."""
        ...

    def login(self, email: Email, password: str) -> Tokens | SecondFactorNeeded:
        """Tokens, or the second factor's challenge for a user who has one.

        Raises Unauthenticated on bad credentials or unconfirmed account."""
        ...

    def answer_second_factor(self, email: Email, session: str, code: str) -> Tokens:
        """Complete a login with the authenticator's code.

        Raises InvalidInput (``ERR_MFA_CODE``) on a wrong or used code, Unauthenticated
        (``ERR_MFA_SESSION``) on a session that is unknown, expired or another user's."""
        ...

    def user_of(self, access_token: str) -> Email:
        """Whose access token this is, as the pool says. Raises Unauthenticated."""
        ...

    def start_totp(self, access_token: str) -> str:
        """A new TOTP secret (base32) for the token's user, not in force until confirmed."""
        ...

    def confirm_totp(self, access_token: str, code: str) -> None:
        """Check a code of the new secret and make TOTP the user's second factor from now on.

        Raises InvalidInput (``ERR_MFA_CODE``) on a wrong code."""
        ...

    def sign_out_everywhere(self, access_token: str) -> None:
        """Revoke every refresh token of the token's user (sessions opened before a change)."""
        ...

    def refresh(self, refresh_token: str) -> Tokens: ...

    def set_password(self, email: Email, password: str) -> None: ...

    def get_user(self, email: Email) -> UserInfo | None: ...


@dataclass(frozen=True)
class VerifiedToken:
    email: Email
    subject: str
    #: When the user authenticated (epoch seconds; a refreshed token keeps it). 0: unknown.
    auth_time: int = 0


class TokenVerifier(Protocol):
    def verify(self, token: str) -> VerifiedToken:
        """Check signature (against the pool's keys), expiry, issuer and audience.

        Raises Unauthenticated for anything that cannot be trusted.
        """
        ...


@dataclass(frozen=True)
class StoredCode:
    email: Email
    purpose: str
    code_hash: str
    expires_at: datetime
    attempts: int


class CodeStore(Protocol):
    """One-time verification codes (account confirmation, password reset)."""

    def put(self, code: StoredCode) -> None:
        """Store or replace the code for (email, purpose)."""
        ...

    def get(self, email: Email, purpose: str) -> StoredCode | None: ...

    def count_attempt(self, email: Email, purpose: str) -> None: ...

    def delete(self, email: Email, purpose: str) -> None: ...

    def purge_expired(self, now: datetime) -> int:
        """Delete expired codes; returns how many (DynamoDB TTL is lazy, the emulator's never runs)."""
        ...


class SecondFactorStore(Protocol):
    """When each user set up their second factor: tokens from an authentication before it are refused
    where one is required (they may have come from the password alone)."""

    def enrolled_at(self, email: Email) -> datetime | None: ...

    def record(self, email: Email, at: datetime) -> None: ...


class AttemptCounters(Protocol):
    """Counters of attempts over fixed windows (throttling), by key (an account, a client) and name.

    A window starts with its first attempt and lasts ``window``; attempts after it start a new one.
    Counting is atomic: concurrent attempts are all counted, the first ones included."""

    def count(self, key: str, name: str, now: datetime, window: timedelta) -> int:
        """Add one attempt; returns the attempts of the running window, this one included."""
        ...

    def attempts(self, key: str, name: str, now: datetime) -> int:
        """The attempts of the running window (0 when none runs)."""
        ...

    def clear(self, key: str, name: str) -> None: ...


class Mailbox(Protocol):
    """Read what was sent (embedded runtime only)."""

    def messages(self) -> Sequence[dict[str, str]]: ...
