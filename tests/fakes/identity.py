"""Fakes of the identity ports: a user pool that signs real RS256 tokens with a
test key, a mailer that keeps letters, a settable clock and counting ids."""

from __future__ import annotations

import base64
import itertools
import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.domain import accounts, second_factor, totp
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, InvalidInput, Unauthenticated
from chalicelib.domain.letters import Letter
from chalicelib.services.ports import SecondFactorNeeded, Tokens, UserInfo

ISSUER = "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_fake"
AUDIENCE = "fake-client"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class _User:
    info: UserInfo
    password: str
    totp: str | None = None
    pending_totp: str | None = None
    last_step: int = -1
    #: Refresh tokens issued before this (epoch seconds) are revoked.
    signed_out_at: float = 0.0


class StaticKeys:
    """Signing keys for JwtVerifier without any HTTP (the fake pool's key)."""

    def __init__(self, key: Any = None) -> None:
        self._public = (key or _KEY).public_key()

    def get_signing_key_from_jwt(self, token: str) -> Any:
        header = jwt.get_unverified_header(token)
        if header.get("kid") != "fake":
            raise jwt.PyJWKClientError("unknown kid")
        return jwt.PyJWK.from_dict(
            jwt.algorithms.RSAAlgorithm.to_jwk(self._public, as_dict=True) | {"kid": "fake", "alg": "RS256"}
        )


def sign(claims: dict[str, Any], key: Any = None, kid: str = "fake") -> str:
    return jwt.encode(claims, key or _KEY, algorithm="RS256", headers={"kid": kid})


def id_token_claims(email: str, lifetime: int = 3600, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": f"sub-{email}",
        "token_use": "id",
        "iat": now,
        "auth_time": now,
        "exp": now + lifetime,
        "cognito:username": email,
        # What the real user pool puts in an ID token beside the username.
        "email": email,
        "email_verified": True,
        **extra,
    }


#: A challenge's session lives as long as Cognito's (three minutes by default).
SESSION_SECONDS = 180


class FakeIdentityProvider:
    """The pool as Cognito behaves, TOTP included (the same rules as the emulator's, see
    infra/local/emulator_cognito.py). ``clock``: what tokens say of when the user authenticated."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.users: dict[Email, _User] = {}
        self._refresh: dict[str, tuple[Email, float, int]] = {}  # token -> (user, issued, auth_time)
        self._access: dict[str, Email] = {}
        self._sessions: dict[str, tuple[Email, float]] = {}
        self._clock = clock

    def sign_up(self, email: Email, password: str, first_name: str, last_name: str) -> None:
        if email in self.users:
            raise Conflict("Un compte existe déjà avec cette adresse e-mail.")
        self.users[email] = _User(UserInfo(email, first_name, last_name, False), password)

    def confirm(self, email: Email) -> None:
        user = self.users[email]
        user.info = UserInfo(email, user.info.first_name, user.info.last_name, True)

    def login(self, email: Email, password: str) -> Tokens | SecondFactorNeeded:
        user = self.users.get(email)
        if user is None or user.password != password:
            raise Unauthenticated(accounts.LOGIN_REFUSED, code="ERR_BAD_CREDENTIALS")
        if not user.info.confirmed:
            raise Unauthenticated(accounts.LOGIN_REFUSED, code="ERR_BAD_CREDENTIALS")
        if user.totp:
            session = secrets.token_urlsafe(24)
            self._sessions[session] = (email, time.time())
            return SecondFactorNeeded(session)
        return self._logged_in(email)

    def answer_second_factor(self, email: Email, session: str, code: str) -> Tokens:
        owner, born = self._sessions.get(session, (None, 0.0))
        if owner is None or owner != email or time.time() - born > SESSION_SECONDS:
            raise Unauthenticated(second_factor.SESSION_EXPIRED, code="ERR_MFA_SESSION")
        user = self.users[email]
        step = totp.matching_step(user.totp, code, time.time()) if user.totp else None
        if step is None or step <= user.last_step:
            raise InvalidInput(second_factor.WRONG_CODE, details=[{"field": "code"}], code="ERR_MFA_CODE")
        user.last_step = step
        del self._sessions[session]
        return self._logged_in(email)

    def user_of(self, access_token: str) -> Email:
        email = self._access.get(access_token)
        if email is None:
            raise Unauthenticated(second_factor.SESSION_EXPIRED, code="ERR_MFA_SESSION")
        return email

    def start_totp(self, access_token: str) -> str:
        user = self.users[self.user_of(access_token)]
        user.pending_totp = base64.b32encode(secrets.token_bytes(20)).decode()
        return user.pending_totp

    def confirm_totp(self, access_token: str, code: str) -> None:
        user = self.users[self.user_of(access_token)]
        step = totp.matching_step(user.pending_totp, code, time.time()) if user.pending_totp else None
        if step is None:
            raise InvalidInput(second_factor.WRONG_CODE, details=[{"field": "code"}], code="ERR_MFA_CODE")
        user.totp, user.pending_totp, user.last_step = user.pending_totp, None, step

    def sign_out_everywhere(self, access_token: str) -> None:
        email = self.user_of(access_token)
        self.users[email].signed_out_at = time.time()
        self._access = {token: owner for token, owner in self._access.items() if owner != email}

    def refresh(self, refresh_token: str) -> Tokens:
        email, issued, auth_time = self._refresh.get(refresh_token, (None, 0.0, 0))
        if email is None or issued < self.users[email].signed_out_at:
            raise Unauthenticated("Session expirée : veuillez vous reconnecter.")
        return self._tokens(email, refresh_token, auth_time)

    def _logged_in(self, email: Email) -> Tokens:
        refresh = secrets.token_urlsafe(16)
        auth_time = int(self._clock.now().timestamp()) if self._clock else int(time.time())
        self._refresh[refresh] = (email, time.time(), auth_time)
        return self._tokens(email, refresh, auth_time)

    def set_password(self, email: Email, password: str) -> None:
        self.users[email].password = password

    def get_user(self, email: Email) -> UserInfo | None:
        user = self.users.get(email)
        return replace(user.info, totp=bool(user.totp)) if user else None

    def _tokens(self, email: Email, refresh: str, auth_time: int) -> Tokens:
        token = sign(id_token_claims(email.value, auth_time=auth_time, jti=secrets.token_hex(8)))
        self._access[token] = email
        return Tokens(id_token=token, access_token=token, refresh_token=refresh, expires_in=3600)


@dataclass
class FakeMailer:
    sent: list[Letter] = field(default_factory=list)

    def send(self, letter: Letter) -> None:
        self.sent.append(letter)

    def last_to(self, address: str) -> Letter:
        return [letter for letter in self.sent if address in letter.to][-1]

    def messages(self) -> list[dict[str, str]]:
        return [{"to": ", ".join(m.to), "subject": m.subject, "body": m.body, "sent_at": ""} for m in self.sent]


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class CountingIds:
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        return f"id{next(self._counter):04d}"
