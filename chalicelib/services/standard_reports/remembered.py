"""The answers a report asks twice, asked once: a ``QueryEngine`` that remembers the rows of each query
over the same objects, for the reports' indicator service only (the API's always asks the engine).

A report asks the same query more than once (the year's value and the trend's last year, the
broad-spectrum share and the benchmark of the consumption by molecule…), and every establishment
report of a batch asks the same national rows for its benchmarks (each establishment of the
year, its category's peers picked afterwards): in a warm Lambda of the generation's Map state,
the national queries run once for the reports it makes, not once per report.

An answer is known by its query, its parameters and the objects behind the tables the query reads:
other objects (a period closed or reopened since, another upload made current) are another query.
Bounded: answers older than ``max_age`` seconds are asked again (an object rewritten under its key,
such as a year's deduplication decisions, is read again within that time), and the rows kept are at
most ``max_rows``, the least recently used forgotten first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from chalicelib.services.ports import QueryEngine, TableSource

#: Rows kept at most (a national per-establishment answer is some 10,000 rows; a row is a few hundred bytes).
MAX_ROWS = 200_000
#: Seconds an answer is kept: a batch's reports share it; an object rewritten under its key is read again.
MAX_AGE = 600.0

Key = tuple[Any, ...]
Rows = list[dict[str, Any]]


class RememberedAnswers:
    """``QueryEngine`` over another; thread-safe: a query asked by several threads at once runs once."""

    def __init__(
        self,
        engine: QueryEngine,
        max_rows: int = MAX_ROWS,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._max_rows = max_rows
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._answers: OrderedDict[Key, tuple[float, Rows]] = OrderedDict()
        self._rows = 0
        self._asking: dict[Key, threading.Lock] = {}

    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> Rows:
        key: Key = (query, tuple(parameters), tuple(sorted(tables.items())))
        found = self._known(key)
        if found is None:
            with self._lock:
                asking = self._asking.setdefault(key, threading.Lock())
            try:
                with asking:  # another thread asking the same query: wait for its answer
                    found = self._known(key)
                    if found is None:
                        found = self._engine.run(query, parameters, tables)
                        self._keep(key, found)
            finally:
                with self._lock:
                    self._asking.pop(key, None)
        return [dict(row) for row in found]  # the caller's own rows: shaping them never alters the answer kept

    def forget(self) -> None:
        """Every answer forgotten (a benchmark timing a report whose answers are not known yet)."""
        with self._lock:
            self._answers.clear()
            self._rows = 0

    def _known(self, key: Key) -> Rows | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                return None
            if self._clock() - found[0] > self._max_age:
                self._drop(key)
                return None
            self._answers.move_to_end(key)
            return found[1]

    def _keep(self, key: Key, rows: Rows) -> None:
        if len(rows) > self._max_rows:
            return
        with self._lock:
            if key in self._answers:
                self._drop(key)
            self._answers[key] = (self._clock(), rows)
            self._rows += len(rows)
            while self._rows > self._max_rows:
                self._drop(next(iter(self._answers)))

    def _drop(self, key: Key) -> None:
        _, rows = self._answers.pop(key)
        self._rows -= len(rows)
