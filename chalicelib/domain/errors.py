"""The one hierarchy of domain errors, translated to HTTP once at the edge.

Every error carries a stable machine code (``ERR_…``) and a French message for
the person who will read it; ``details`` lists the individual problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """Base of every error the platform reports to a user."""

    code = "ERR_DOMAIN"
    default_message = "La demande n'a pas pu être traitée."

    def __init__(self, message: str | None = None, details: Sequence[Any] = (), code: str | None = None):
        self.message = message or self.default_message
        self.details = list(details)
        if code is not None:
            self.code = code
        super().__init__(self.message)


class InvalidInput(DomainError):
    """The request or value is malformed (HTTP 400)."""

    code = "ERR_INVALID"
    default_message = "Les données envoyées sont invalides."


class Unauthenticated(DomainError):
    """No identity, or an identity that cannot be trusted (HTTP 401)."""

    code = "ERR_UNAUTHENTICATED"
    default_message = "Authentification requise : veuillez vous connecter."


class Forbidden(DomainError):
    """The caller sees the resource but lacks the right for this action (HTTP 403)."""

    code = "ERR_FORBIDDEN"
    default_message = "Vous n'avez pas les droits nécessaires pour cette action."


class NotFound(DomainError):
    """Absent, or belonging to a tenant the caller cannot see (HTTP 404)."""

    code = "ERR_NOT_FOUND"
    default_message = "Ressource introuvable."


class Conflict(DomainError):
    """The action conflicts with the current state (HTTP 409)."""

    code = "ERR_CONFLICT"
    default_message = "Cette action est impossible dans l'état actuel."


class Superseded(Conflict):
    """A file sent later for the same establishment, file type and period is current: this one is not imported."""

    code = "ERR_SUPERSEDED"
    default_message = "Un dépôt plus récent du même fichier pour cette période a été importé : celui-ci n'est pas pris en compte."

    def __init__(self, newer_upload_id: str) -> None:
        super().__init__(self.default_message, details=[{"problem": "upload.superseded", "newer_upload_id": newer_upload_id}])
        self.newer_upload_id = newer_upload_id


class TooManyRequests(DomainError):
    """Too many attempts in a short time (HTTP 429)."""

    code = "ERR_TOO_MANY_REQUESTS"
    default_message = "Trop de tentatives : patientez quelques minutes avant de réessayer."


class TooLarge(DomainError):
    """The payload exceeds a limit (HTTP 413)."""

    code = "ERR_TOO_LARGE"
    default_message = "Le fichier ou la requête dépasse la taille autorisée."


class Unprocessable(DomainError):
    """Well-formed but cannot be processed (HTTP 422)."""

    code = "ERR_UNPROCESSABLE"
    default_message = "La demande est bien formée mais ne peut pas être traitée."


class PeriodClosed(Conflict):
    """The period is closing or closed: its data are frozen (HTTP 409)."""

    code = "ERR_PERIOD_CLOSED"
    default_message = "La période est clôturée (ou en cours de clôture) : aucun import ne peut la modifier."


def unknown_route_document() -> dict[str, object]:
    """The answer (404) to a path the API does not have, in the errors' French shape: given by the embedded
    runtime's server and, in the cloud, by API Gateway's response to a route it does not know (instead of
    its English 403 "Missing Authentication Token")."""
    return {
        "code": NotFound.code,
        "message": "Adresse inconnue de l'API : vérifiez le chemin (les routes sont décrites dans /api/openapi.json).",
        "details": [],
    }
