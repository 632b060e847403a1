"""Each establishment's rows of an indicator over closed data, kept between calls and containers, so that
the nation's rows by establishment are asked of the engine only for the establishments whose data changed.

Why: a benchmark places an establishment among its category's peers, so it needs every establishment's
value of the year (the nation's closed data by establishment). Asked of the engine, that is the nation's
closed files read again by every standard report's container and by every benchmark call: 20 s for the
five benchmarks of a report on the national-scale lake (1,700 establishments), the first report of each
Lambda container paying it.

Two facts make keeping them sound:

- an establishment's rows depend on its own files only: its consumption and patient-days, its isolates
  (pseudonymised with its own secret: a patient never spans two establishments), their deduplication;
  ``tests/unit/test_establishment_rows.py`` checks, for every indicator with an establishment dimension,
  that the nation's rows by establishment are the union of each establishment's rows computed alone;
- a closed object's key names its content (``domain/lake.py``: never rewritten in place), so the keys
  behind an establishment's rows say whether they still hold.

So one document per (indicator, year, ``by``, options) holds, for each establishment, the fingerprint of
the keys its rows came from and the rows. A call lists the keys as before (the tables), computes again, in
one query over their files only, the establishments whose fingerprint changed or that are new (the one
whose period just closed or reopened), and stores the document again if it did; the entries of
establishments not asked stay (a region's call and the nation's share the document; one whose data are
gone is never returned again, its keys being asked no more). Concurrent writers each store a complete,
correct document: the last one wins, and any call checks every fingerprint anyway. Only closed data is
kept (drafts change by the minute and are read one establishment at a time); the store's adapter keeps
the documents of each version of the code apart.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.domain.indicator_rows import Row
from chalicelib.domain.lake import CLOSED
from chalicelib.services.indicators.coverage import establishment_of
from chalicelib.services.ports import DerivedRowsStore, TableSource
from chalicelib.services.ports.indicators import Tables

Compute = Callable[[Tables], list[Row]]

#: Rows kept at most in one document: a question by establishment with a few rows each (a value, its sectors,
#: AWaRe's groups: some 10,000 rows nationally) is kept; one with hundreds of rows per establishment (% R of
#: every species and antibiotic) would make a document of hundreds of megabytes, written and read whole at each
#: call: it is computed as asked, as before.
MAX_KEPT_ROWS = 100_000
#: Fast compression: the documents are written often and read by the next call; size matters less than time.
COMPRESSION = 1


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class EstablishmentRows:
    def __init__(self, store: DerivedRowsStore) -> None:
        self._store = store

    def rows(self, identity: Mapping[str, Any], tables: Tables, compute: Compute) -> list[Row]:
        """The rows by establishment of ``tables`` (closed data), as ``compute`` gives them, each establishment's
        computed again only when its keys changed. ``identity`` names the question (indicator, year, by,
        options): the rows of two questions are never mixed. Tables not wholly closed are computed as asked."""
        fingerprints = _fingerprints(tables)
        if fingerprints is None:
            return compute(tables)
        name = _digest(identity)
        kept = self._read(name)
        stale = {es for es, fingerprint in fingerprints.items() if kept.get(es, {}).get("keys") != fingerprint}
        fresh: dict[str, list[Row]] = {es: [] for es in stale}
        if stale:
            for row in compute(_only(tables, stale)):
                establishment = row.get("establishment")
                if establishment not in fresh:  # a row of no establishment, or of one not asked: not ours to keep
                    return compute(tables)
                fresh[establishment].append(row)
            fresh = json.loads(json.dumps(fresh))  # as a later call reads them (a tuple is a list there)
            # The others' entries stay: a region's call and the nation's share the document.
            kept = {**kept, **{es: {"keys": fingerprints[es], "rows": fresh[es]} for es in stale}}
            if sum(len(entry["rows"]) for entry in kept.values()) > MAX_KEPT_ROWS:
                return [row for es in sorted(fingerprints) for row in kept[es]["rows"]]
            document = json.dumps({"identity": identity, "establishments": kept}).encode()
            self._store.write(name, gzip.compress(document, compresslevel=COMPRESSION))
        return [row for es in sorted(fingerprints) for row in kept[es]["rows"]]

    def _read(self, name: str) -> dict[str, Any]:
        body = self._store.read(name)
        if body is None:
            return {}
        found: dict[str, Any] = json.loads(gzip.decompress(body))["establishments"]
        return found


def _fingerprints(tables: Tables) -> dict[str, str] | None:
    """Each establishment's fingerprint: the keys behind its rows, table by table; None unless every key is
    closed (and there is one)."""
    keys: dict[str, dict[str, list[str]]] = {}
    for name, source in tables.items():
        for key in source.keys:
            if not key.startswith(f"{CLOSED}/"):
                return None
            keys.setdefault(establishment_of(key), {}).setdefault(name, []).append(key)
    if not keys:
        return None
    return {es: _digest({name: sorted(found) for name, found in by_table.items()}) for es, by_table in keys.items()}


def _only(tables: Tables, establishments: set[str]) -> dict[str, TableSource]:
    """The tables with the objects of ``establishments`` only."""
    return {
        name: TableSource(tuple(k for k in source.keys if establishment_of(k) in establishments), source.columns)
        for name, source in tables.items()
    }
