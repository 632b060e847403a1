"""Throttling: attempts counted per account and per client over fixed windows (``domain.accounts.Limit``)."""

from __future__ import annotations

from chalicelib.domain.accounts import Limit
from chalicelib.domain.errors import TooManyRequests
from chalicelib.services.context import Context
from chalicelib.services.ports import AttemptCounters

#: A limit and the key it counts for (None: nothing to count, e.g. a client without an address).
Limited = tuple[Limit, str | None]


class Throttle:
    def __init__(self, counters: AttemptCounters, context: Context) -> None:
        self._counters = counters
        self._ctx = context

    def check(self, *limits: Limited) -> None:
        """Raises TooManyRequests (French) when a window of one of ``limits`` is full."""
        now = self._ctx.clock.now()
        for limit, key in limits:
            if key is not None and self._counters.attempts(key, limit.name, now) >= limit.attempts:
                raise TooManyRequests(limit.message)

    def count(self, *limits: Limited) -> None:
        now = self._ctx.clock.now()
        for limit, key in limits:
            if key is not None:
                self._counters.count(key, limit.name, now, limit.window)

    def clear(self, *limits: Limited) -> None:
        for limit, key in limits:
            if key is not None:
                self._counters.clear(key, limit.name)
