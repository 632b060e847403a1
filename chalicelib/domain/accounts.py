"""Account rules: password policy and one-time codes."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.errors import InvalidInput

PASSWORD_MIN_LENGTH = 10
MAX_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class CodePurpose:
    name: str
    lifetime: timedelta


CONFIRM_ACCOUNT = CodePurpose("confirm", timedelta(hours=24))
RESET_PASSWORD = CodePurpose("reset", timedelta(hours=1))
#: Failed logins of one account are counted over this window, kept like a code (CodeStore, TTL).
LOGIN_FAILURES = CodePurpose("login_failures", timedelta(minutes=15))
MAX_LOGIN_FAILURES = 10
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


def check_password(password: str) -> None:
    """The pool's policy, checked first so the message is in French."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"au moins {PASSWORD_MIN_LENGTH} caractères")
    if not any(c.islower() for c in password):
        problems.append("une minuscule")
    if not any(c.isupper() for c in password):
        problems.append("une majuscule")
    if not any(c.isdigit() for c in password):
        problems.append("un chiffre")
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
