"""Every JSON answer a test receives is checked against what its route declares (handlers/contract.py):
the contract of ``/api/openapi.json`` is then exercised by the whole handler and flow suites.

A success must be what the route's response model describes (unknown fields refused); an error, the
API's error shape."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from chalicelib.handlers.contract import Binary
from chalicelib.handlers.http import ROUTES, RouteSpec


class ErrorAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    details: list[Any]


class ContractBroken(AssertionError):
    pass


@cache
def _patterns() -> list[tuple[re.Pattern[str], RouteSpec]]:
    found = []
    for route in ROUTES:
        # A literal segment wins over a parameter (/api/tickets/counts before /api/tickets/{ticket_id}).
        pattern = re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(route.path)) + "$")
        found.append((pattern, route))
    found.sort(key=lambda item: item[1].path.count("{"))
    return found


def route_of(method: str, path: str) -> RouteSpec | None:
    bare = path.split("?", 1)[0]
    for pattern, route in _patterns():
        if route.method == method.upper() and pattern.match(bare):
            return route
    return None


@cache
def _adapter(answer: Any) -> TypeAdapter[Any]:
    return TypeAdapter(answer)


def check_answer(method: str, path: str, status: int, content_type: str, body: bytes | str) -> None:
    """Raises ContractBroken when the answer is not what the route declares."""
    route = route_of(method, path)
    if route is None or not body:
        return
    declared = {route.status: route.response, **route.answers}
    is_json = content_type.startswith("application/json")
    if status >= 400:
        if is_json:
            _validate(ErrorAnswer, body, route, status)
        return
    if status not in declared:
        raise ContractBroken(f"{route.method} {route.path} answered {status}, which it does not declare ({sorted(declared)})")
    answer = declared[status]
    if answer is None:  # not declared yet (tests/handlers/test_api_contract.py lists those routes)
        return
    if isinstance(answer, Binary):
        if not content_type.startswith(answer.media_type):
            raise ContractBroken(f"{route.method} {route.path} answered {content_type}, not {answer.media_type}")
        return
    if not is_json:
        raise ContractBroken(f"{route.method} {route.path} answered {content_type}, not JSON")
    _validate(answer, body, route, status)


def _validate(answer: Any, body: bytes | str, route: RouteSpec, status: int) -> None:
    try:
        _adapter(answer).validate_json(body, strict=True)
    except Exception as error:
        raise ContractBroken(f"{route.method} {route.path} ({status}) does not answer its declared model:\n{error}") from error
