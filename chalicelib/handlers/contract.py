"""What a route declares beyond its body: the query parameters it reads and the answers it gives.

``http.endpoint`` records them on the route; ``openapi.document`` publishes them; ``http.query``
refuses to read a parameter its route does not declare, so the declaration cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QueryParam:
    """One query parameter: its name, its meaning in French, and the values it takes."""

    name: str
    description: str
    required: bool = False
    #: The closed list of values, when there is one (derived from the domain's own list).
    enum: tuple[str, ...] = ()
    #: A regular expression the value follows, when it has a fixed form.
    pattern: str | None = None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema


@dataclass(frozen=True)
class Binary:
    """An answer that is a file, not JSON."""

    media_type: str
    description: str


def values(members: Iterable[Any]) -> tuple[str, ...]:
    """The values of a domain list (an enum or a tuple of strings), for an ``enum``."""
    return tuple(str(getattr(member, "value", member)) for member in members)
