"""Cognito's TOTP in the emulator, checked as Cognito checks it.

moto 5.2.5 gives every user the same TOTP secret (a constant of its source) and, unless an
environment variable is set, accepts any code: at enrolment (VerifySoftwareToken) and at login
(RespondToAuthChallenge ``SOFTWARE_TOKEN_MFA``). It also answers a challenge for whichever
``USERNAME`` the caller names, whoever's session it is, and its sessions never expire. Here:
- AssociateSoftwareToken gives each user a secret of their own (160 random bits);
- VerifySoftwareToken checks the code against it (RFC 6238, one step of drift either way);
- a challenge's answer is checked against the user's secret, a code (or an earlier one) is
  never accepted twice, the session must be the named user's and younger than three minutes
  (Cognito's default), and is spent by its success.
And GlobalSignOut, which botocore sends unsigned, looks for the token in every region's pools
(moto looked only in the default region's, so it never found it).
What is kept lives on moto's own objects, so the embedded runtime's snapshots keep it too.
"""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any

from moto.cognitoidp.exceptions import CodeMismatchException, NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend, cognitoidp_backends

from chalicelib.domain import totp

SESSION_SECONDS = 180
_ORIGINAL: dict[str, Any] = {}


def check_totp_codes() -> None:
    """Replace moto's TOTP operations by the checked ones (idempotent)."""
    if _ORIGINAL:
        return
    for name in ("initiate_auth", "admin_initiate_auth", "respond_to_auth_challenge", "associate_software_token",
                 "verify_software_token", "global_sign_out"):  # fmt: skip
        _ORIGINAL[name] = getattr(CognitoIdpBackend, name)
    CognitoIdpBackend.initiate_auth = _stamped("initiate_auth")  # type: ignore[method-assign]
    CognitoIdpBackend.admin_initiate_auth = _stamped("admin_initiate_auth")  # type: ignore[method-assign]
    CognitoIdpBackend.respond_to_auth_challenge = _respond_to_auth_challenge  # type: ignore[method-assign]
    CognitoIdpBackend.associate_software_token = _associate_software_token  # type: ignore[method-assign]
    CognitoIdpBackend.verify_software_token = _verify_software_token  # type: ignore[method-assign]
    CognitoIdpBackend.global_sign_out = _global_sign_out  # type: ignore[method-assign]


def _births(backend: Any) -> dict[str, float]:
    if not hasattr(backend, "consores_session_births"):
        backend.consores_session_births = {}
    births: dict[str, float] = backend.consores_session_births
    return births


def _stamped(name: str) -> Any:
    def initiate(self: Any, *args: Any, **kwargs: Any) -> Any:
        answer = _ORIGINAL[name](self, *args, **kwargs)
        if isinstance(answer, dict) and answer.get("Session"):
            _births(self)[answer["Session"]] = time.time()
        return answer

    return initiate


def _user_of_token(backend: Any, access_token: str) -> Any:
    for pool in backend.user_pools.values():
        if access_token and access_token in pool.access_tokens:
            _, username = pool.access_tokens[access_token]
            return backend.admin_get_user(pool.id, username)
    raise NotAuthorizedError("Invalid Access Token")


def _associate_software_token(self: Any, access_token: str, session: str) -> dict[str, str]:
    if session:  # the MFA_SETUP challenge: the pool never asks it (MFA is optional)
        raise NotAuthorizedError("Invalid session for the user.")
    user = _user_of_token(self, access_token)
    user.consores_totp_pending = base64.b32encode(secrets.token_bytes(20)).decode()
    return {"SecretCode": user.consores_totp_pending}


def _verify_software_token(
    self: Any, access_token: str, session: str, user_code: str, friendly_device_name: str
) -> dict[str, str]:
    if session:
        raise NotAuthorizedError("Invalid session for the user.")
    user = _user_of_token(self, access_token)
    pending = getattr(user, "consores_totp_pending", None)
    step = totp.matching_step(pending, user_code or "", time.time()) if pending else None
    if step is None:
        raise CodeMismatchException("Invalid code received for user")
    user.consores_totp, user.consores_totp_last_step = pending, step
    user.consores_totp_pending = None
    user.token_verified = True
    return {"Status": "SUCCESS"}


def _respond_to_auth_challenge(
    self: Any, session: str, client_id: str, challenge_name: str, challenge_responses: dict[str, str]
) -> dict[str, Any]:
    if challenge_name != "SOFTWARE_TOKEN_MFA":
        if challenge_name == "MFA_SETUP":  # moto would log the user in without any factor
            raise NotAuthorizedError("Invalid session for the user.")
        answered: dict[str, Any] = _ORIGINAL["respond_to_auth_challenge"](
            self, session, client_id, challenge_name, challenge_responses
        )
        return answered
    born = _births(self).get(session)
    if session not in self.sessions or born is None or time.time() - born > SESSION_SECONDS:
        raise NotAuthorizedError("Invalid session for the user, session is expired.")
    owner, pool = self.sessions[session]
    if client_id not in pool.clients:
        raise NotAuthorizedError("Invalid client for the session.")
    user = pool._get_user(owner)
    named = pool._get_user(challenge_responses.get("USERNAME", ""))
    if user is None or named is None or named.username != user.username:
        raise NotAuthorizedError("Invalid session for the user.")
    secret = getattr(user, "consores_totp", None)
    step = totp.matching_step(secret, challenge_responses.get("SOFTWARE_TOKEN_MFA_CODE", ""), time.time()) if secret else None
    if step is None:
        raise CodeMismatchException("Invalid code received for user")
    if step <= getattr(user, "consores_totp_last_step", -1):
        raise CodeMismatchException("Your software token has already been used once.")
    user.consores_totp_last_step = step
    del self.sessions[session]
    _births(self).pop(session, None)
    answer: dict[str, Any] = self._log_user_in(pool, pool.clients[client_id], user.username)
    return answer


def _global_sign_out(self: Any, access_token: str) -> None:
    for regions in cognitoidp_backends.values():
        for region, backend in regions.items():
            if region == "global":
                continue
            for pool in backend.user_pools.values():
                if access_token and access_token in pool.access_tokens:
                    _, username = pool.access_tokens[access_token]
                    pool.sign_out(username)
                    return
    raise NotAuthorizedError("Invalid Access Token")
