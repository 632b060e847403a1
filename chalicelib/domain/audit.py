"""Audit trail entries: who changed what, when, with the state before and after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    at: str  # ISO-8601 UTC timestamp
    actor: str  # e-mail of the person, or "system"
    action: str  # e.g. "establishment.create"
    target: str  # e.g. "establishment:750712184"
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    entry_id: str = ""
