"""Ports of the system: time and identifiers."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """A new unique, URL-safe identifier."""
        ...
