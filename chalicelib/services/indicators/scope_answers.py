"""A region's or the nation's rows of an indicator over closed data, kept once computed, for as long as the
closed data behind them do not change.

Closed data change only when a period closes or reopens, a few dozen times a day at the campaign's peak and
never between campaigns, while every dashboard of the region or the nation asks the same answers again (the
cumulative antibiogram of the nation reads 11.7 million results: 4 s on the national-scale lake). A closed
object's key names its content (``domain/lake.py``), so the keys behind an answer, with the question
(indicator, year, ``by``, options), name the answer: it is kept under that name and read back by whoever
asks the same question of the same closed data, in any container. Another key (a period closed or reopened,
another antifungal statement, another deduplication setting) is another name, computed anew; the store's
adapter keeps each version of the code apart. Drafts are never kept.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.domain.indicator_rows import Row
from chalicelib.domain.lake import CLOSED
from chalicelib.services.indicators.establishment_rows import COMPRESSION, MAX_KEPT_ROWS
from chalicelib.services.ports import DerivedRowsStore
from chalicelib.services.ports.indicators import Tables


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class ScopeAnswers:
    def __init__(self, store: DerivedRowsStore) -> None:
        self._store = store

    def rows(self, identity: Mapping[str, Any], tables: Tables, compute: Callable[[Tables], list[Row]]) -> list[Row]:
        """``compute(tables)``, or the rows it gave before for the same question over the same closed keys."""
        keys = {name: sorted(source.keys) for name, source in tables.items()}
        every = [key for found in keys.values() for key in found]
        if not every or any(not key.startswith(f"{CLOSED}/") for key in every):
            return compute(tables)
        name = "scope-" + _digest({"identity": identity, "keys": keys})
        body = self._store.read(name)
        if body is not None:
            found: list[Row] = json.loads(gzip.decompress(body))["rows"]
            return found
        computed = compute(tables)
        if len(computed) > MAX_KEPT_ROWS:  # too large to be worth writing and reading whole
            return computed
        text = json.dumps({"identity": identity, "rows": computed})
        self._store.write(name, gzip.compress(text.encode(), compresslevel=COMPRESSION))
        rows: list[Row] = json.loads(text)["rows"]  # as a later call reads them (a tuple is a list there)
        return rows
