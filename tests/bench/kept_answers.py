"""Issues 17 and 19: the national questions through the indicator service's kept rows
(``services/indicators/establishment_rows.py``, ``scope_answers.py``), over the national-scale lake of
``national_scale`` (1,700 establishments x 5 years, closed, cached under ``$CONSORES_BENCH_LAKE``).

For each question, in one process and one run: the engine alone (the baseline: what every call cost before
rows were kept, warm median), the first ask with a store (computes, then keeps), the same question asked
again of the same closed data (another container finds the kept rows: median), and, for the rows by
establishment, the question after one establishment's data changed (its period closed again: only its rows
are asked of the engine; median over several establishments). The store is in memory: in the cloud it is S3
(one GET of a gzipped document, some tens of milliseconds more, not measured here).
"""

from __future__ import annotations

import gzip
import json
import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any

from tests.bench.national_scale import LAKE, YEAR, closed_tables, generate

RUNS = 5


class MemoryStore:
    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}

    def read(self, name: str) -> bytes | None:
        return self.documents.get(name)

    def write(self, name: str, body: bytes) -> None:
        self.documents[name] = body

    def forget(self, finess: str) -> None:
        """Each document by establishment without ``finess``'s rows, as after its period closed again."""
        for name, body in self.documents.items():
            document = json.loads(gzip.decompress(body))
            if "establishments" in document:
                document["establishments"].pop(finess, None)
                self.documents[name] = gzip.compress(json.dumps(document).encode())


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    from chalicelib.adapters.duckdb_query_engine import DuckDbQueryEngine
    from chalicelib.domain.indicators import INDICATORS
    from chalicelib.services.indicators.computation import Computation
    from tests.fakes.stores import FakeSettingsStore

    generate(LAKE)

    class NoObjects:
        """The engine copies objects it does not find in its cache directory: the lake *is* the cache here."""

        def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
            raise FileNotFoundError(key)

    engine = DuckDbQueryEngine(NoObjects(), "lake", str(LAKE))  # type: ignore[arg-type]
    settings = FakeSettingsStore()
    tables = closed_tables(LAKE, [YEAR])
    establishments = sorted({k.split("/es=")[1].split("/")[0] for k in tables["patient_days"].keys})
    questions: list[tuple[str, str, str | None, Mapping[str, str], bool]] = [
        ("AWaRe Access share, nation", "aware_share", None, {}, False),
        ("AWaRe shares by group, nation", "aware_share", "aware", {}, False),
        ("AWaRe Access share by establishment", "aware_share", None, {}, True),
        ("Cumulative antibiogram, nation", "cumulative_antibiogram", None, {}, False),
        ("DDJ/1000 JH by family, nation", "ddj_1000jh", "family", {}, False),
        ("DDJ/1000 JH by sector and establishment", "ddj_1000jh", "sector", {}, True),
        ("% SARM by establishment", "pct_phenotype", None, {"phenotype": "sarm"}, True),
    ]
    print(f"lake: {LAKE}, {len(establishments)} establishments, {YEAR}; medians of {RUNS}")
    header = f"{'question':42} {'engine s':>9} {'first s':>8} {'kept s':>7} {'1 changed s':>11} | kept/engine"
    print(header)
    print("-" * len(header))
    for label, indicator_id, by, options, per_es in questions:
        figures = measure(INDICATORS[indicator_id], by, options, per_es, Computation(engine, settings),
                          lambda store: Computation(engine, settings, store), tables, establishments)  # fmt: skip
        print(f"{label:42} {figures}", flush=True)


def measure(
    indicator: Any, by: str | None, options: Mapping[str, str], per_es: bool, plain: Any, with_store: Callable[[Any], Any],
    tables: Mapping[str, Any], establishments: list[str],
) -> str:  # fmt: skip
    """One question's line: engine, first ask, kept, one establishment changed, ratio."""
    store = MemoryStore()
    kept = with_store(store)

    def ask(computation: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = computation.rows(indicator, YEAR, by, options, tables, per_es)
        return rows

    ask(plain)  # the engine warm, as the baseline's runs
    baseline = statistics.median(timed(lambda: ask(plain)) for _ in range(RUNS))
    first = timed(lambda: ask(kept))
    again = statistics.median(timed(lambda: ask(kept)) for _ in range(RUNS))
    changed = "-"
    if per_es:
        durations = []
        for finess in establishments[:: max(1, len(establishments) // RUNS)][:RUNS]:
            store.forget(finess)
            durations.append(timed(lambda: ask(kept)))
        changed = f"{statistics.median(durations):.3f}"
    assert canonical(ask(kept)) == canonical(ask(plain)), "the kept rows differ from the engine's"
    return f"{baseline:9.3f} {first:8.3f} {again:7.3f} {changed:>11} | {again / baseline:.3f}x"

if __name__ == "__main__":
    main()
