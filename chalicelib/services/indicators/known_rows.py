"""An indicator's rows kept in memory, known by the question and the lake objects behind it, so that a
dashboard opened again (the same sections, the same questions) asks neither the engine nor the store of
kept answers again while its data have not changed.

Why it is sound: a lake object's key names its content (``domain/lake.py``: a new upload, a closure, a
reopening, new yearly decisions are new keys, never an object rewritten in place), and an indicator's rows
depend on nothing but the question (indicator, year, ``by``, options, per establishment or not) and the
objects its tables read — the antifungal statements, the deduplication setting and the caller's rights
have chosen those objects already (``coverage.py``, ``sources.py``, ``service.py``). So the same question
over the same keys has the same rows, whoever asks: an establishment's drafts are behind keys that only
its members' tables hold (``visibility.sees_drafts``), so nobody else ever asks that question; the rows a
caller may not read are filtered afterwards, as for any answer (``visibility.visible_rows``).

Bounded: at most ``max_rows`` rows, the least recently used forgotten first; an answer larger than
``max_answer_rows`` is not kept; an answer is kept ``max_age`` seconds at most (a safety margin only).
Kept as JSON text: each caller gets its own rows, which it may shape without altering the answer kept.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.domain.indicator_rows import Row
from chalicelib.services.ports.indicators import Tables

#: Rows kept at most (a dashboard's answers are a few thousand rows; a national one by establishment, more).
MAX_ROWS = 200_000
#: Rows of one answer kept at most: larger answers are asked again.
MAX_ANSWER_ROWS = 50_000
#: Seconds an answer is kept at most.
MAX_AGE = 900.0


def question(identity: Mapping[str, Any], tables: Tables) -> str:
    """The name of an answer: a digest of the question and, table by table, the objects behind it (a national
    question stands on some 20,000 keys: their text, a megabyte, is not kept as the name)."""
    keys = {name: sorted(source.keys) for name, source in tables.items()}
    text = json.dumps({"identity": identity, "keys": keys}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class KnownRows:
    """Thread-safe: the web server answers several requests at once."""

    def __init__(
        self,
        max_rows: int = MAX_ROWS,
        max_answer_rows: int = MAX_ANSWER_ROWS,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_rows = max_rows
        self._max_answer_rows = max_answer_rows
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._answers: OrderedDict[str, tuple[float, int, str]] = OrderedDict()
        self._rows = 0

    def rows(self, identity: Mapping[str, Any], tables: Tables, compute: Callable[[], list[Row]]) -> list[Row]:
        """``compute()``, or the rows it gave before for the same question over the same objects."""
        name = question(identity, tables)
        with self._lock:
            found = self._answers.get(name)
            if found is not None and self._clock() - found[0] > self._max_age:
                self._drop(name)
                found = None
            if found is not None:
                self._answers.move_to_end(name)
        if found is not None:
            known: list[Row] = json.loads(found[2])
            return known
        rows = compute()
        if len(rows) > self._max_answer_rows:
            return rows
        try:
            text = json.dumps(rows)
        except (TypeError, ValueError):  # a value JSON does not write: asked again next time
            return rows
        with self._lock:
            if name in self._answers:
                self._drop(name)
            self._answers[name] = (self._clock(), len(rows), text)
            self._rows += len(rows)
            while self._rows > self._max_rows:
                self._drop(next(iter(self._answers)))
        computed: list[Row] = json.loads(text)  # as a later call reads them (a tuple is a list there)
        return computed

    def _drop(self, name: str) -> None:
        _, count, _ = self._answers.pop(name)
        self._rows -= count
