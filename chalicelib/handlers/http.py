"""The HTTP edge: one decorator declares a route, parses its body, authenticates
the caller and translates domain errors into the API's error shape.

Every route is recorded in ``ROUTES`` so that the OpenAPI document and the
authorization test walk exactly what exists.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action
from chalicelib.domain.client_address import client_address as address_of
from chalicelib.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    TooManyRequests,
    Unauthenticated,
    Unprocessable,
)
from chalicelib.handlers.contract import QueryParam
from chalicelib.handlers.french_validation import french_details
from chalicelib.services.ports import QueryFailed

logger = logging.getLogger("consores.http")

STATUS_OF: dict[type[DomainError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    TooManyRequests: 429,
    Unprocessable: 422,
    QueryFailed: 503,  # the query engine (Athena) failed or gave up: the request may succeed later
}

JSON_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    summary: str
    body: type[BaseModel] | None
    authenticated: bool
    status: int
    tag: str
    #: The action of the authorization table the service checks (None: any
    #: authenticated caller, or public). Read by the authorization matrix test.
    action: Action | None
    #: The query parameters the view reads (``query`` refuses any other).
    query: tuple[QueryParam, ...] = ()
    #: What the view answers with ``status``: a pydantic model, a type pydantic validates
    #: (``list[Model]``), or a ``contract.Binary``; None while not yet declared.
    response: Any = None
    #: Other successful answers the view gives, by status (202 while a file is prepared…).
    answers: Mapping[int, Any] = field(default_factory=dict)
    #: The module of the view (where the test of the contract looks for the parameters it reads).
    module: str = ""

    def declares(self, name: str) -> bool:
        return any(param.name == name for param in self.query)


ROUTES: list[RouteSpec] = []

#: The request this thread is handling, captured once when the view starts:
#: Chalice's ``current_request`` is shared by every thread of a local server.
_handling = threading.local()


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]
    return 400


def error_response(error: DomainError) -> Response:
    return json_response({"code": error.code, "message": error.message, "details": error.details}, status_of(error))


def json_response(body: Any, status: int = 200) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False, default=str), status_code=status, headers=dict(JSON_HEADERS))


def parse_body(raw: str | bytes | None, model: type[BaseModel]) -> BaseModel:
    """Raises InvalidInput with every problem, in French."""
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("Le corps de la requête n'est pas un JSON valide.") from exc
    if data is None:
        data = {}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("Certains champs sont invalides.", details=french_details(exc)) from exc


def endpoint(
    bp: Blueprint,
    path: str,
    method: str = "GET",
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    public: bool = False,
    status: int = 200,
    tag: str = "",
    action: Action | None = None,
    params: tuple[QueryParam, ...] = (),
    response: Any = None,
    answers: Mapping[int, Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a route. The view receives URL parameters, then ``body`` (the
    parsed model) if declared, then ``caller`` (the Principal) unless public.
    ``params`` are the query parameters it reads, ``response`` what it answers (contract.py)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        spec = RouteSpec(
            method, path, summary, body, not public, status, tag or path.split("/")[2], action,
            params, response, dict(answers or {}), view.__module__,
        )  # fmt: skip
        ROUTES.append(spec)

        @functools.wraps(view)
        def handle(**url_params: str) -> Response:
            params: dict[str, Any] = dict(url_params)
            request = bp.current_request
            _handling.request = request
            _handling.route = spec
            try:
                if not public:  # 401 comes before any other answer
                    header = request.headers.get("authorization")
                    params["caller"] = services().authenticator.principal(header)
                if body is not None:
                    params["body"] = parse_body(request.raw_body, body)
                result = view(**params)
            except DomainError as error:
                return error_response(error)
            except Exception:
                logger.exception("unhandled error on %s %s", method, path)
                return json_response(
                    {"code": "ERR_INTERNAL", "message": "Erreur interne du serveur : réessayez plus tard.", "details": []},
                    500,
                )
            if isinstance(result, Response):
                return result
            return json_response(result, status)

        bp.route(path, methods=[method])(handle)
        return handle

    return decorate


class UndeclaredQueryParameter(Exception):
    """A view read a query parameter its route does not declare: a programming error."""


def query(bp: Blueprint, name: str) -> str | None:
    route: RouteSpec | None = getattr(_handling, "route", None)
    if route is not None and not route.declares(name):
        raise UndeclaredQueryParameter(f"{route.method} {route.path} reads ?{name}= without declaring it")
    request = getattr(_handling, "request", None) or bp.current_request
    params: Any = request.query_params or {}
    value: str | None = params.get(name)
    return value if value else None


def client_address(bp: Blueprint) -> str | None:
    """The caller's network address: API Gateway's ``sourceIp`` (the TCP peer; the embedded runtime sets
    it from its connection), or the viewer's behind the stage's CloudFront (``domain.client_address``)."""
    request = getattr(_handling, "request", None) or bp.current_request
    identity: Any = (request.context or {}).get("identity") or {}
    return address_of(identity.get("sourceIp"), request.headers or {}, services().settings.origin_secret)


def header(bp: Blueprint, name: str) -> str:
    """A header of the request this thread handles (``""`` when absent)."""
    request = getattr(_handling, "request", None) or bp.current_request
    return str((request.headers or {}).get(name.lower(), ""))
