"""The import function's queue in memory: each request recorded, then handed at once to ``runner`` (the import
function's half, ``UploadService.process_again``, wired by the fake world), unless a test makes the requests fail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FakeImportRequests:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self.runner: Callable[[str], Any] | None = None
        #: Set: every request raises it (the invocation could not be made).
        self.failure: Exception | None = None

    def process_again(self, key: str) -> None:
        if self.failure is not None:
            raise self.failure
        self.asked.append(key)
        if self.runner is not None:
            self.runner(key)
