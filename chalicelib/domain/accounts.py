"""Account rules: password policy and one-time codes."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.errors import InvalidInput

PASSWORD_MIN_LENGTH = 10
MAX_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class CodePurpose:
    name: str
    lifetime: timedelta


CONFIRM_ACCOUNT = CodePurpose("confirm", timedelta(hours=24))
RESET_PASSWORD = CodePurpose("reset", timedelta(hours=1))
#: A new code (or notice) for one address and purpose is sent at most this often.
RESEND_AFTER = timedelta(minutes=1)
#: One answer whatever the account: it never tells whether an address has an account.
INVALID_CODE = (
    "Code invalide, expiré ou trop souvent essayé : demandez-en un nouveau (si votre compte est déjà confirmé, connectez-vous)."
)
#: A refused login, whether the password is wrong or the account not confirmed yet (signing up then
#: logging in must not tell whether the address already had an account).
LOGIN_REFUSED = (
    "Adresse e-mail ou mot de passe incorrect, ou compte pas encore confirmé (saisissez le code reçu par e-mail "
    "ou demandez-en un nouveau)."
)


#: The pool's policy besides its length: what a password must contain, as said to users.
PASSWORD_REQUIREMENTS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("une minuscule", str.islower),
    ("une majuscule", str.isupper),
    ("un chiffre", str.isdigit),
)


def password_rule() -> dict[str, Any]:
    """The password rule as the server applies it, for the forms that ask for one (stated once, here)."""
    requirements = [text for text, _ in PASSWORD_REQUIREMENTS]
    return {
        "min_length": PASSWORD_MIN_LENGTH,
        "requires": requirements,
        "text": f"Au moins {PASSWORD_MIN_LENGTH} caractères, dont {', '.join(requirements[:-1])} et {requirements[-1]}.",
    }


def check_password(password: str) -> None:
    """The pool's policy, checked first so the message is in French."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"au moins {PASSWORD_MIN_LENGTH} caractères")
    problems.extend(text for text, holds in PASSWORD_REQUIREMENTS if not any(holds(c) for c in password))
    if problems:
        raise InvalidInput(
            "Mot de passe trop faible : il doit contenir " + ", ".join(problems) + ".",
            details=[{"field": "password"}],
        )


def hash_code(email: str, purpose: str, code: str) -> str:
    """Codes are stored hashed, never in clear."""
    return hashlib.sha256(f"{email}\x00{purpose}\x00{code.strip()}".encode()).hexdigest()


def code_matches(stored_hash: str, email: str, purpose: str, code: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_code(email, purpose, code))


def expires(now: datetime, purpose: CodePurpose) -> datetime:
    return now + purpose.lifetime


def issued_at(expires_at: datetime, purpose: CodePurpose) -> datetime:
    return expires_at - purpose.lifetime


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` counted attempts per window of ``window`` for one key (an account, a
    client); beyond, ``message`` (HTTP 429) until the window ends. A window starts with its first
    attempt and is never extended: refused attempts are not counted."""

    name: str
    attempts: int
    window: timedelta
    message: str


_FIFTEEN_MINUTES, _ONE_HOUR = timedelta(minutes=15), timedelta(hours=1)
#: Per account (counted for unknown addresses too: a 429 never tells which exist). A completed
#: password reset lifts the login limit: its owner can always get back in (docs/api-extensions.md).
LOGIN_PER_ACCOUNT = Limit("login_failures", 10, _FIFTEEN_MINUTES,
    "Trop de tentatives de connexion pour ce compte : réessayez dans 15 minutes, "
    "ou choisissez « Mot de passe oublié ».")  # fmt: skip
#: Codes have no lock per account (anyone could keep the owner out): a code dies after
#: MAX_CODE_ATTEMPTS wrong tries, and a new one is mailed at most once a minute.
#: Per client (its network address): generous, as a hospital's staff may share one address.
LOGIN_PER_CLIENT = Limit("client_login_failures", 50, _FIFTEEN_MINUTES,
    "Trop de tentatives de connexion depuis votre réseau : réessayez dans 15 minutes.")  # fmt: skip
CODES_PER_CLIENT = Limit("client_code_failures", 30, _FIFTEEN_MINUTES,
    "Trop de codes erronés depuis votre réseau : réessayez dans 15 minutes.")  # fmt: skip
#: Sign-ups, new confirmation codes and reset codes: every request counts (each may send an e-mail).
MAIL_PER_CLIENT = Limit("client_mail_requests", 30, _FIFTEEN_MINUTES,
    "Trop de demandes depuis votre réseau : réessayez dans 15 minutes.")  # fmt: skip


def client_key(address: str | None) -> str | None:
    """The counters' key of a client (None: unknown, not limited per client)."""
    return f"client:{address}" if address else None
