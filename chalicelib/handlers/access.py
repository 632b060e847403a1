"""Access to an establishment: requests, decisions, members, référent hand-over."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers import params as q
from chalicelib.handlers import schemas, views
from chalicelib.handlers.http import endpoint, query
from chalicelib.handlers.responses import access as r
from chalicelib.handlers.responses.accounts import AccessRequestView

bp = Blueprint(__name__)
ES = "/api/establishments/{finess}"


@endpoint(bp, f"{ES}/access-requests", "POST", summary="Demander l'accès à un établissement", body=schemas.AccessRequestBody,
          response=r.AccessRequestOutcome)  # fmt: skip
def request_access(finess: str, body: schemas.AccessRequestBody, caller: Principal) -> dict[str, Any]:
    outcome = services().access.request_access(caller, finess, body.charter_accepted, body.direction_email, body.dpo_email)
    if outcome.status == "granted" and outcome.role is not None:
        return {"status": "granted", "role": outcome.role.value}
    return {"status": "pending", "request_id": outcome.request_id}


@endpoint(bp, f"{ES}/access-requests", summary="Demandes d'accès (référent ; ?status=pending)", action=Action.MANAGE_ACCESS,
          params=(q.ACCESS_REQUEST_STATUS,), response=list[r.RequestWithRequester])  # fmt: skip
def list_requests(finess: str, caller: Principal) -> list[dict[str, Any]]:
    found = services().access.requests_with_requesters(caller, finess, query(bp, "status"))
    return [views.request_with_requester(r, user) for r, user in found]


@endpoint(
    bp,
    f"{ES}/access-requests/{{request_id}}/decision",
    "POST",
    summary="Accepter ou refuser une demande d'accès",
    body=schemas.DecisionBody,
    action=Action.MANAGE_ACCESS,
    response=AccessRequestView,
)
def decide(finess: str, request_id: str, body: schemas.DecisionBody, caller: Principal) -> dict[str, Any]:
    return views.request(services().access.decide(caller, finess, request_id, body.decision, body.role))


@endpoint(bp, f"{ES}/members", summary="Membres de l'établissement", action=Action.LIST_MEMBERS,
          response=list[r.Member])  # fmt: skip
def members(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return [views.member(m) for m in services().access.members(caller, finess)]


@endpoint(
    bp,
    f"{ES}/members/{{email}}",
    "PATCH",
    summary="Changer le statut d'un membre",
    body=schemas.RoleBody,
    action=Action.MANAGE_ACCESS,
    response=r.MembershipView,
)
def change_role(finess: str, email: str, body: schemas.RoleBody, caller: Principal) -> dict[str, Any]:
    return views.membership(services().access.change_role(caller, finess, unquote(email), body.role))


@endpoint(
    bp, f"{ES}/referent", "POST", summary="Passer le rôle de référent", body=schemas.ReferentBody, action=Action.MANAGE_ACCESS,
    response=r.HandedOver,
)
def hand_over(finess: str, body: schemas.ReferentBody, caller: Principal) -> dict[str, Any]:
    services().access.hand_over(caller, finess, body.email)
    return {"status": "handed_over", "referent": body.email.lower()}
