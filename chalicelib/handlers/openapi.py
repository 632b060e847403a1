"""The OpenAPI document, generated from the declared routes: their query parameters, their
pydantic bodies and the pydantic models of their answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter

from chalicelib.handlers.contract import Binary
from chalicelib.handlers.http import ROUTES, RouteSpec

_ERROR = {
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "array", "items": {}}},
}
_ERRORS = {
    "400": "Requête invalide (champs inconnus refusés)",
    "401": "Authentification requise ou jeton invalide",
    "403": "Droits insuffisants",
    "404": "Introuvable, ou appartenant à un établissement que vous ne voyez pas",
    "409": "Conflit avec l'état actuel",
}


_REF = "#/components/schemas/{model}"
_SUCCESS = {200: "Succès", 201: "Créé", 202: "Accepté : en cours", 303: "Voir le fichier (Location)"}


def _keep(schemas: dict[str, Any], found: dict[str, Any]) -> None:
    """Adds schemas by name; two different models of one name would make one silently wrong."""
    for name, schema in found.items():
        if schemas.setdefault(name, schema) != schema:
            raise ValueError(f"two different schemas are named {name}")


def _content(answer: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """The ``content`` of an answer; its models' schemas go to ``schemas``."""
    if isinstance(answer, Binary):
        return {answer.media_type: {"schema": {"type": "string", "format": "binary"}}}
    if answer is None:
        return {"application/json": {}}
    schema = TypeAdapter(answer).json_schema(ref_template=_REF, mode="validation")
    _keep(schemas, schema.pop("$defs", {}))
    if "$ref" not in schema and schema.get("type") == "object" and "title" in schema:
        _keep(schemas, {schema["title"]: schema})
        schema = {"$ref": _REF.format(model=schema["title"])}
    return {"application/json": {"schema": schema}}


def _response(status: int, answer: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    description = answer.description if isinstance(answer, Binary) else _SUCCESS.get(status, "Succès")
    return {"description": description, "content": _content(answer, schemas)}


def document(version: str, routes: Sequence[RouteSpec] | None = None) -> dict[str, Any]:
    """The document of ``routes`` (every route declared so far by default)."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Error": _ERROR}
    for route in ROUTES if routes is None else routes:
        operation: dict[str, Any] = {
            "summary": route.summary,
            "tags": [route.tag],
            "operationId": f"{route.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', route.path.lower()).strip('_')}",
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in re.findall(r"{(\w+)}", route.path)
            ]
            + [
                {"name": p.name, "in": "query", "required": p.required, "description": p.description, "schema": p.schema()}
                for p in route.query
            ],
            "responses": {
                str(status): _response(status, answer, schemas)
                for status, answer in sorted({route.status: route.response, **route.answers}.items())
            },
        }
        if route.body is not None:
            schema = route.body.model_json_schema(ref_template="#/components/schemas/{model}")
            _keep(schemas, schema.pop("$defs", {}))
            _keep(schemas, {route.body.__name__: schema})
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{route.body.__name__}"}}},
            }
        if route.authenticated:
            operation["security"] = [{"bearer": []}]
        for status, description in _ERRORS.items():
            operation["responses"].setdefault(
                status,
                {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            )
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "ConsoRes API", "version": version, "description": "API de la plateforme ConsoRes."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }
