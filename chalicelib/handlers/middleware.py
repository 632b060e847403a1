"""HTTP middleware: Chalice's own refusals (unsupported media type, unknown
route, body too large…) answered in the API's error shape, in French."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.handlers.http import json_response

_FRENCH = {
    "UnsupportedMediaType": (
        "ERR_MEDIA_TYPE",
        "Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).",
    ),
    "BadRequestError": ("ERR_INVALID", "Requête invalide."),
    "NotFoundError": ("ERR_NOT_FOUND", "Ressource introuvable."),
    "MethodNotAllowedError": ("ERR_METHOD", "Méthode HTTP non autorisée pour cette adresse."),
    "RequestTooLargeError": ("ERR_TOO_LARGE", "La requête dépasse la taille autorisée."),
    "InternalServerError": ("ERR_INTERNAL", "Erreur interne du serveur : réessayez plus tard."),
}


def french_errors(event: Any, get_response: Callable[[Any], Response]) -> Response:
    response = get_response(event)
    if response.status_code < 400 or not isinstance(response.body, dict) or "Code" not in response.body:
        return response
    code, message = _FRENCH.get(str(response.body["Code"]), ("ERR_HTTP", "La demande n'a pas pu être traitée."))
    return json_response({"code": code, "message": message, "details": []}, response.status_code)
