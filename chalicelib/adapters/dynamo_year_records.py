"""YearRecords on DynamoDB, from the tables that say something of a year (``datasets``, ``uploads``,
``periods``, ``settings``), filtered on the year and projected on the few attributes completeness needs.

One parallel scan of each table, whatever the scope (a region's establishments are kept after): a
national scan of ~15,000 pointers is a few MB, well under a second on DynamoDB. Queries by
establishment were measured slower on the emulator (``make bench``, completeness: 390 ms an
establishment for a region of 95, against 17 s for the whole nation by scans), whose reads walk the
whole table; on DynamoDB, 95 × 4 queries would cost more round trips than 4 scans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from boto3.dynamodb.conditions import Attr

from chalicelib.adapters.dynamo import all_pages
from chalicelib.adapters.dynamo_periods import CLOSED, PERIODICITIES
from chalicelib.domain.codes import Finess
from chalicelib.domain.completeness import WAITING_STATUSES, YearFacts

#: Segments of each parallel scan (DynamoDB reads them at once): 4 tables × 2 segments stay within the
#: client's 10 pooled connections (more threads only discard connections).
SEGMENTS = 2


class DynamoYearRecords:
    def __init__(self, datasets: Any, uploads: Any, periods: Any, settings: Any) -> None:
        self._datasets, self._uploads, self._periods, self._settings = datasets, uploads, periods, settings

    def of_year(self, year: int, establishments: Collection[Finess] | None = None) -> dict[str, YearFacts]:
        reads = self._reads(year)
        with ThreadPoolExecutor(max_workers=len(reads) * SEGMENTS, thread_name_prefix="year-records") as pool:
            found = dict(zip(reads, pool.map(lambda read: _scan(pool, *read), reads.values()), strict=True))
        if establishments is not None:
            wanted = {f.value for f in establishments}
            found = {name: [i for i in items if i["finess"] in wanted] for name, items in found.items()}
        return _facts(year, found)

    def _reads(self, year: int) -> dict[str, tuple[Any, dict[str, Any]]]:
        """Each table with its filter and projection."""
        prefix = str(year)
        in_year = Attr("period").begins_with(prefix)
        waiting = [status.value for status in WAITING_STATUSES]
        return {
            "imported": (self._datasets, _projected(in_year, "finess", "file_type", "period")),
            "waiting": (self._uploads, _projected(in_year & Attr("status").is_in(waiting), "finess", "file_type", "period")),
            "closed": (self._periods, _projected(in_year & Attr("status").eq(CLOSED), "finess", "period")),
            "settings": (self._settings, _projected(Attr("year").eq(prefix), "finess", *PERIODICITIES)),
        }


def _facts(year: int, found: dict[str, list[dict[str, Any]]]) -> dict[str, YearFacts]:
    """By FINESS, the year's facts from the items read."""
    imported: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    held: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    closed: defaultdict[str, set[str]] = defaultdict(set)
    for item in found["imported"]:
        imported[item["finess"]].add((item["file_type"], item["period"]))
    for item in found["waiting"]:
        held[item["finess"]].add((item["file_type"], item["period"]))
    for item in found["closed"]:
        closed[item["finess"]].add(item["period"])
    periodicities = {i["finess"]: {k: str(i[k]) for k in PERIODICITIES if k in i} for i in found["settings"]}
    everyone = set(imported) | set(held) | set(closed) | set(periodicities)
    return {
        f: YearFacts(year, periodicities.get(f, {}), frozenset(imported[f]), frozenset(held[f]), frozenset(closed[f]))
        for f in everyone
    }


def _projected(condition: Any, *names: str) -> dict[str, Any]:
    aliases = {f"#p{i}": name for i, name in enumerate(names)}
    return {"FilterExpression": condition, "ProjectionExpression": ", ".join(aliases), "ExpressionAttributeNames": aliases}


def _scan(pool: ThreadPoolExecutor, table: Any, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of ``table`` the filter keeps: its segments scanned apart (the calling thread scans the
    first: the pool's other threads may all be busy with the other tables)."""
    def segment(n: int) -> Callable[[], list[dict[str, Any]]]:
        return lambda: all_pages(table.scan, {**kwargs, "Segment": n, "TotalSegments": SEGMENTS, "ConsistentRead": True})

    others = [pool.submit(segment(n)) for n in range(1, SEGMENTS)]
    items = segment(0)()
    for future in others:
        items.extend(future.result())
    return items
