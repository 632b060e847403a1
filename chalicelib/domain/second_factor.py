"""The second factor (TOTP, an authenticator app): who must use one, and what users are told.

Cognito cannot require MFA per group: the pool makes it optional, and the platform requires it
of the profiles a setting names (``CONSORES_MFA_REQUIRED_PROFILES``), at login and on every
token (services/authentication.py).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from chalicelib.domain.access import ProfileType

#: How the authenticator is named in the user pool.
DEVICE_NAME = "ConsoRes"
#: Required when the setting is absent in the cloud (a stack that forgets it fails closed).
STRICT: frozenset[ProfileType] = frozenset({ProfileType.NATIONAL, ProfileType.ADMIN})


class Challenge(enum.StrEnum):
    """What a login with the right password still asks for."""

    #: A code from the user's authenticator app.
    CODE = "SOFTWARE_TOKEN_MFA"
    #: The user's profile requires a second factor and none is set up yet: enrolment first.
    ENROL = "MFA_SETUP"


CHALLENGE_MESSAGES = {
    Challenge.CODE: "Saisissez le code à 6 chiffres affiché par votre application d'authentification.",
    Challenge.ENROL: (
        "Votre profil exige la double authentification : configurez une application d'authentification "
        "(par exemple FreeOTP, Google Authenticator ou Microsoft Authenticator) pour continuer."
    ),
}
WRONG_CODE = "Code incorrect ou déjà utilisé : saisissez le code affiché à l'instant par votre application."
SESSION_EXPIRED = "Session de connexion expirée : saisissez à nouveau votre adresse e-mail et votre mot de passe."
REQUIRED = (
    "Double authentification requise pour votre profil : reconnectez-vous avec le code de votre "
    "application d'authentification (ou configurez-la)."
)
ENABLED = "Double authentification activée : reconnectez-vous avec votre mot de passe puis le code de votre application."


def required_profiles(setting: str | None, embedded: bool) -> frozenset[ProfileType]:
    """The profiles that must use a second factor, from the setting (comma-separated profile types).

    Absent: ``STRICT`` in the cloud, none in the embedded runtime (its demo accounts log in with a
    password). Raises ValueError on an unknown profile: a typo must not silently lift the rule."""
    if setting is None:
        return frozenset() if embedded else STRICT
    names = [name.strip().lower() for name in setting.split(",") if name.strip()]
    try:
        return frozenset(ProfileType(name) for name in names)
    except ValueError as error:
        raise ValueError(f"CONSORES_MFA_REQUIRED_PROFILES: unknown profile in {setting!r}") from error


def is_required(required: frozenset[ProfileType], held: Iterable[ProfileType]) -> bool:
    return any(kind in required for kind in held)


def setting_of(profiles: Iterable[ProfileType]) -> str:
    """The setting's text for ``profiles`` (what the cloud stack writes)."""
    return ",".join(sorted(p.value for p in profiles))
