"""Fakes of the identity ports: a user pool that signs real RS256 tokens with a
test key, a mailer that keeps letters, a settable clock and counting ids."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.domain import accounts
from chalicelib.domain.codes import Email
from chalicelib.domain.errors import Conflict, Unauthenticated
from chalicelib.domain.letters import Letter
from chalicelib.services.ports import Tokens, UserInfo

ISSUER = "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_fake"
AUDIENCE = "fake-client"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class _User:
    info: UserInfo
    password: str


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
        "exp": now + lifetime,
        "cognito:username": email,
        # What the real user pool puts in an ID token beside the username.
        "email": email,
        "email_verified": True,
        **extra,
    }


class FakeIdentityProvider:
    def __init__(self) -> None:
        self.users: dict[Email, _User] = {}
        self._refresh: dict[str, Email] = {}

    def sign_up(self, email: Email, password: str, first_name: str, last_name: str) -> None:
        if email in self.users:
            raise Conflict("Un compte existe déjà avec cette adresse e-mail.")
        self.users[email] = _User(UserInfo(email, first_name, last_name, False), password)

    def confirm(self, email: Email) -> None:
        user = self.users[email]
        user.info = UserInfo(email, user.info.first_name, user.info.last_name, True)

    def login(self, email: Email, password: str) -> Tokens:
        user = self.users.get(email)
        if user is None or user.password != password:
            raise Unauthenticated(accounts.LOGIN_REFUSED, code="ERR_BAD_CREDENTIALS")
        if not user.info.confirmed:
            raise Unauthenticated(accounts.LOGIN_REFUSED, code="ERR_BAD_CREDENTIALS")
        refresh = secrets.token_urlsafe(16)
        self._refresh[refresh] = email
        return self._tokens(email, refresh)

    def refresh(self, refresh_token: str) -> Tokens:
        email = self._refresh.get(refresh_token)
        if email is None:
            raise Unauthenticated("Session expirée : veuillez vous reconnecter.")
        return self._tokens(email, refresh_token)

    def set_password(self, email: Email, password: str) -> None:
        self.users[email].password = password

    def get_user(self, email: Email) -> UserInfo | None:
        user = self.users.get(email)
        return user.info if user else None

    def _tokens(self, email: Email, refresh: str) -> Tokens:
        token = sign(id_token_claims(email.value))
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
