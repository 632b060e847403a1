"""Answers of sign-up, login and ``/api/me`` (handlers/accounts.py, views.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.domain.access import ProfileType, RequestState, Status
from chalicelib.domain.second_factor import Challenge
from chalicelib.handlers.responses.base import Answer


class SignedUp(Answer):
    email: str
    status: Literal["confirmation_pending"]


class Confirmed(Answer):
    status: Literal["confirmed"]


class CodeResent(Answer):
    status: Literal["sent_if_pending"]


class ResetSent(Answer):
    status: Literal["sent_if_account_exists"]


class PasswordChanged(Answer):
    status: Literal["password_changed"]


class PasswordRule(Answer):
    min_length: int
    requires: list[str]
    text: str


class Tokens(Answer):
    id_token: str
    access_token: str
    refresh_token: str
    expires_in: int


class ProfileView(Answer):
    type: ProfileType
    region: str | None = None


class MyMembership(Answer):
    finess: str
    name: str
    status: Status


class AccessRequestView(Answer):
    request_id: str
    finess: str
    email: str
    status: RequestState
    created_at: str
    #: The establishment's name (in ``/api/me``).
    name: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    role: Status | None = None


class SecondFactorChallenge(Answer):
    """A login whose password was right and which still asks for a code, or for an enrolment first."""

    challenge: Challenge
    session: str
    message: str


class TotpEnrolment(Answer):
    secret: str
    secret_grouped: str
    otpauth_uri: str


class TotpEnabled(Answer):
    status: Literal["totp_enabled"]
    message: str


class SecondFactorState(Answer):
    totp: bool
    required: bool


class Me(Answer):
    email: str
    first_name: str
    last_name: str
    memberships: list[MyMembership]
    profiles: list[ProfileView]
    pending_requests: list[AccessRequestView]
    mfa: SecondFactorState
