"""Answers of access requests and members (handlers/access.py)."""

from __future__ import annotations

from typing import Literal

from chalicelib.domain.access import Status
from chalicelib.handlers.responses.accounts import AccessRequestView
from chalicelib.handlers.responses.base import Answer


class Granted(Answer):
    status: Literal["granted"]
    role: Literal["referent"]


class Pending(Answer):
    status: Literal["pending"]
    request_id: str


AccessRequestOutcome = Granted | Pending


class RequestWithRequester(AccessRequestView):
    #: Empty when the account is gone.
    first_name: str
    last_name: str


class MembershipView(Answer):
    finess: str
    email: str
    status: Status
    since: str


class Member(MembershipView):
    first_name: str
    last_name: str


class HandedOver(Answer):
    status: Literal["handed_over"]
    referent: str
