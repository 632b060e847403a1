"""Time-based one-time passwords (RFC 6238 over RFC 4226): what authenticator apps compute.

HMAC-SHA1, 6 digits, 30-second steps, the secret in base32: Cognito's parameters, and every
authenticator app's defaults. The platform never keeps a user's secret (Cognito does); these
functions serve the emulator, which must check codes as Cognito does, and the enrolment screen.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
ISSUER = "ConsoRes"


def step_of(epoch_seconds: float) -> int:
    return int(epoch_seconds // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code of ``step`` for a base32 ``secret`` (RFC 4226's dynamic truncation)."""
    key = base64.b32decode(_padded(secret), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def matching_step(secret: str, code: str, epoch_seconds: float, tolerance: int = 1) -> int | None:
    """The step whose code ``code`` is, within ``tolerance`` steps of now (clocks drift); None if none."""
    typed = code.strip().replace(" ", "")
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    now = step_of(epoch_seconds)
    for step in range(now - tolerance, now + tolerance + 1):
        if hmac.compare_digest(code_at(secret, step), typed):
            return step
    return None


def otpauth_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` URI an authenticator app reads (as text, or as a QR code)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    parameters = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS,
                            "period": STEP_SECONDS})  # fmt: skip
    return f"otpauth://totp/{label}?{parameters}"


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    plain = secret.replace(" ", "").upper()
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def _padded(secret: str) -> str:
    plain = secret.replace(" ", "").upper()
    return plain + "=" * (-len(plain) % 8)
