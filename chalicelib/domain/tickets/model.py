"""A ticket, its thread and its attachments, and the rules of what a user may write in them (DOMAIN.md §10.9).

Bodies and subjects are plain text: kept as typed (trimmed), shown as text, never interpreted as HTML.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from chalicelib.domain.accounts import Limit
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.periods import Period

MAX_SUBJECT = 200
MAX_BODY = 5_000
MAX_UCDS = 100
#: Messages a user may write in an hour, across tickets (the teams answering are not counted): each is e-mailed,
#: so a script flooding a thread is stopped.
MESSAGES_PER_HOUR = Limit(
    "ticket_messages", 60, timedelta(hours=1),
    "Trop de messages envoyés en une heure : réessayez un peu plus tard (ou écrivez un seul message plus complet).",
)  # fmt: skip
#: Who writes when the platform itself opens, answers or resolves a ticket (a catalogue ticket, for instance).
PLATFORM_AUTHOR = "plateforme"
_UCD = re.compile(r"^(\d{7}|\d{13})$")


class Category(enum.StrEnum):
    ACCESS = "acces"
    IMPORT = "import"
    CATALOGUE = "catalogue"
    LABORATORY = "laboratoire"
    REOPENING = "reouverture"
    INDICATORS = "indicateurs"
    OTHER = "autre"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: Mapping[Category, str] = {
    Category.ACCESS: "Accès",
    Category.IMPORT: "Import de fichiers",
    Category.CATALOGUE: "Catalogue des médicaments",
    Category.LABORATORY: "Laboratoire",
    Category.REOPENING: "Réouverture d'une période",
    Category.INDICATORS: "Indicateurs",
    Category.OTHER: "Autre",
}


class TicketStatus(enum.StrEnum):
    OPEN = "ouvert"
    IN_PROGRESS = "en_cours"
    WAITING_USER = "en_attente"
    RESOLVED = "resolu"
    CLOSED = "ferme"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: Mapping[TicketStatus, str] = {
    TicketStatus.OPEN: "Ouvert",
    TicketStatus.IN_PROGRESS: "En cours",
    TicketStatus.WAITING_USER: "En attente de l'utilisateur",
    TicketStatus.RESOLVED: "Résolu",
    TicketStatus.CLOSED: "Fermé",
}


@dataclass(frozen=True)
class Links:
    """What the ticket is about: an upload of its establishment, a period, UCDs (7 or 13 digits)."""

    upload_id: str | None = None
    period: str | None = None
    ucds: tuple[str, ...] = ()

    def document(self) -> dict[str, Any]:
        return {"upload_id": self.upload_id, "period": self.period, "ucds": list(self.ucds)}


@dataclass(frozen=True)
class Ticket:
    """The ticket's header; ``version`` grows by one with every change (the store's write condition)."""

    ticket_id: str
    category: Category
    subject: str
    status: TicketStatus
    team: str  # teams.NATIONAL or "region:<code>"
    finess: str | None
    author: str
    created_at: str
    updated_at: str
    links: Links = Links()
    version: int = 1
    messages: int = 1  # the thread's length: the next message is number ``messages + 1``
    attachments: int = 0

    def changed(self, at: str, **changes: Any) -> Ticket:
        """The next version of the ticket."""
        return replace(self, updated_at=at, version=self.version + 1, **changes)


@dataclass(frozen=True)
class Attachment:
    attachment_id: str
    message: int  # the number of the message that announced it
    filename: str  # safe: see attachments.attachment_filename
    size: int
    content_type: str
    by: str
    at: str


@dataclass(frozen=True)
class Message:
    number: int  # 1 is the opening message
    author: str
    body: str
    at: str


def category_of(raw: object) -> Category:
    try:
        return Category(str(raw))
    except ValueError:
        allowed = ", ".join(c.value for c in Category)
        raise InvalidInput(f"Catégorie inconnue : « {raw} » (attendu : {allowed}).", details=[{"field": "category"}]) from None


def status_of(raw: object) -> TicketStatus:
    try:
        return TicketStatus(str(raw))
    except ValueError:
        allowed = ", ".join(s.value for s in TicketStatus)
        raise InvalidInput(f"Statut inconnu : « {raw} » (attendu : {allowed}).", details=[{"field": "status"}]) from None


def subject_of(raw: object) -> str:
    return _text(raw, "subject", "L'objet", MAX_SUBJECT, one_line=True)


def body_of(raw: object) -> str:
    return _text(raw, "body", "Le message", MAX_BODY, one_line=False)


def _text(raw: object, field: str, name: str, limit: int, *, one_line: bool) -> str:
    text = str(raw if raw is not None else "").replace("\r\n", "\n").replace("\x00", "").strip()
    if one_line:
        text = " ".join(text.split())
    if not text:
        raise InvalidInput(f"{name} est vide : écrivez quelques mots.", details=[{"field": field}])
    if len(text) > limit:
        raise InvalidInput(
            f"{name} est trop long : {len(text)} caractères pour {limit:,} au plus.".replace(",", " "),
            details=[{"field": field, "length": len(text)}],
        )
    return text


def links_of(raw: Mapping[str, Any] | None) -> Links:
    """The links' shapes (the upload's owner is checked by the service). Raises InvalidInput naming the field."""
    if not raw:
        return Links()
    upload_id = raw.get("upload_id")
    if upload_id is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(upload_id)):
        raise InvalidInput("Identifiant de dépôt invalide.", details=[{"field": "links.upload_id"}])
    period = raw.get("period")
    if period is not None:
        try:
            period = str(Period.parse(period))
        except InvalidInput as exc:
            raise InvalidInput(exc.message, details=[{"field": "links.period"}]) from None
    ucds = tuple(dict.fromkeys(str(u).strip() for u in raw.get("ucds") or ()))
    if len(ucds) > MAX_UCDS:
        raise InvalidInput(f"Trop de codes UCD : {len(ucds)} pour {MAX_UCDS} au plus.", details=[{"field": "links.ucds"}])
    wrong = [u for u in ucds if not _UCD.match(u)]
    if wrong:
        raise InvalidInput(
            f"Code UCD invalide : « {wrong[0][:20]} » (7 ou 13 chiffres attendus).", details=[{"field": "links.ucds"}]
        )
    return Links(str(upload_id) if upload_id is not None else None, period, ucds)
