"""The first administrator of a platform: an account for an address and the administrator profile.

The embedded runtime runs it at start with the configured password; a cloud stage runs it once from the
operator's machine (``python -m infra.cloud.first_admin``) without one: the account then gets a password
nobody knows, and its owner chooses one through "Mot de passe oublié" (a code e-mailed by the platform),
which proves they read the address.

Idempotent: an account that exists is kept, a profile already granted is not granted again. An account
that exists but was never confirmed was not necessarily made by the address's owner (anyone may sign up
with any address): its password is replaced before it is confirmed, so that nobody who chose it logs in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.accounts import check_password
from chalicelib.domain.codes import Email
from chalicelib.services.ports import AccessStore, IdentityProvider
from chalicelib.services.profiles import ProfileService

FIRST_NAME, LAST_NAME = "Administrateur", "ConsoRes"


@dataclass(frozen=True)
class FirstAdministrator:
    email: Email
    #: The account did not exist: created (and confirmed) now.
    account_created: bool
    #: The account existed unconfirmed: its password replaced, then confirmed.
    account_secured: bool
    #: The administrator profile was granted now (False: it already was).
    profile_granted: bool


def unguessable_password() -> str:
    """A password nobody will ever type: 64 random characters, and one of each class the policy asks."""
    password = secrets.token_urlsafe(48) + "Aa7"
    check_password(password)
    return password


class Installation:
    def __init__(self, identity: IdentityProvider, access: AccessStore, profiles: ProfileService) -> None:
        self._identity = identity
        self._access = access
        self._profiles = profiles

    def ensure_administrator(self, email: str, password: str | None = None, by: str = "system") -> FirstAdministrator:
        """Raises InvalidInput (French) for an address that is not one, before anything is written.

        :param password: the account's, when created or secured; None: one nobody knows.
        :param by: who the audit names for the grant (the operator in the cloud).
        """
        address = Email.parse(email)
        user = self._identity.get_user(address)
        created = secured = False
        if user is None:
            self._identity.sign_up(address, password or unguessable_password(), FIRST_NAME, LAST_NAME)
            self._identity.confirm(address)
            created = True
        elif not user.confirmed:
            self._identity.set_password(address, password or unguessable_password())
            self._identity.confirm(address)
            secured = True
        granted = not any(p.type is ProfileType.ADMIN for p in self._access.profiles_of(address))
        if granted:
            self._profiles.grant_system(address, Profile(ProfileType.ADMIN), by=by)
        return FirstAdministrator(address, created, secured, granted)
