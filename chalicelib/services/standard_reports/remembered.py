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
most ``max_rows``, the least recently used forgotten first. Rows are kept as tuples (a tenth of a
dictionary's memory): the national consumption by establishment and molecule, which the broad-spectrum
share of every report asks, is some 250,000 rows (about 50 MB kept).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from chalicelib.services.ports import QueryEngine, TableSource

#: Rows kept at most (a national answer by establishment and molecule is some 250,000 rows of ~200 bytes).
MAX_ROWS = 600_000
#: Seconds an answer is kept: a batch's reports share it; an object rewritten under its key is read again.
MAX_AGE = 600.0

Key = tuple[Any, ...]
Rows = list[dict[str, Any]]


class _Kept:
    """An answer kept compactly: its column names once, each row a tuple."""

    def __init__(self, rows: Rows) -> None:
        self.names: tuple[str, ...] = tuple(rows[0]) if rows else ()
        self.rows = [tuple(row[name] for name in self.names) for row in rows]

    def __len__(self) -> int:
        return len(self.rows)

    def answer(self) -> Rows:
        """The caller's own rows: shaping them never alters the answer kept."""
        return [dict(zip(self.names, row, strict=True)) for row in self.rows]


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
        self._answers: OrderedDict[Key, tuple[float, _Kept]] = OrderedDict()
        self._rows = 0
        self._asking: dict[Key, threading.Lock] = {}

    def run(self, query: str, parameters: Sequence[Any], tables: Mapping[str, TableSource]) -> Rows:
        key: Key = (query, tuple(parameters), tuple(sorted(tables.items())))
        found = self._known(key)
        if found is not None:
            return found.answer()
        with self._lock:
            asking = self._asking.setdefault(key, threading.Lock())
        try:
            with asking:  # another thread asking the same query: wait for its answer
                found = self._known(key)
                if found is not None:
                    return found.answer()
                rows = self._engine.run(query, parameters, tables)
                self._keep(key, rows)
                return rows
        finally:
            with self._lock:
                self._asking.pop(key, None)

    def _known(self, key: Key) -> _Kept | None:
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
        kept = _Kept(rows)  # copied: the caller's rows are its own
        with self._lock:
            if key in self._answers:
                self._drop(key)
            self._answers[key] = (self._clock(), kept)
            self._rows += len(rows)
            while self._rows > self._max_rows:
                self._drop(next(iter(self._answers)))

    def _drop(self, key: Key) -> None:
        _, kept = self._answers.pop(key)
        self._rows -= len(kept)
