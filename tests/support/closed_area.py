"""A test's own copies into the lake's closed area, announced as the lake store announces its own: a new state
of the closed area (``domain/lake.CLOSED_CHANGES``), so that no listing made before is given again."""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.domain.lake import CLOSED_CHANGES


def copy_into_closed(objects: Any, bucket: str, source: str, target: str) -> None:
    objects.copy(bucket, source, target)
    objects.put(bucket, CLOSED_CHANGES, uuid.uuid4().hex.encode(), "text/plain")
