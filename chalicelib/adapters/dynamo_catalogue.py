"""DrugCatalogue on DynamoDB: table ``catalogue``, partition key ``ucd`` (string).

One item per UCD under its 7-digit value, with the entry's fields, its
``source`` and ``resolved_at`` (ISO 8601). Strengths are DynamoDB numbers
written from ``Decimal``: stored and read back exactly. One more item,
``ucd = "~meta"``, holds the sync state; it is never an entry ("~" cannot
start a UCD) and is left out of counts.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr

from chalicelib.domain.drugs import AtcCode, CatalogueEntry, Route, Ucd, Unit
from chalicelib.services.ports.catalogue import CatalogueRecord, SyncState

META_KEY = "~meta"
_BATCH_GET = 100  # DynamoDB's limit of keys per BatchGetItem


class DynamoDrugCatalogue:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, ucd: Ucd) -> CatalogueEntry | None:
        found = self.record(ucd)
        return found.entry if found else None

    def record(self, ucd: Ucd) -> CatalogueRecord | None:
        item = self._table.get_item(Key={"ucd": ucd.value}, ConsistentRead=True).get("Item")
        return _record_from(item) if item else None

    def get_many(self, ucds: Iterable[Ucd]) -> dict[Ucd, CatalogueEntry]:
        wanted = sorted({ucd.value for ucd in ucds})  # BatchGetItem refuses repeated keys
        # The client of a boto3 *resource* converts Python values both ways, as the Table does.
        client, name = self._table.meta.client, self._table.name
        found: dict[Ucd, CatalogueEntry] = {}
        for start in range(0, len(wanted), _BATCH_GET):
            request: dict[str, Any] = {
                name: {"Keys": [{"ucd": value} for value in wanted[start : start + _BATCH_GET]], "ConsistentRead": True}
            }
            attempt = 0
            while request:
                answer = client.batch_get_item(RequestItems=request)
                for raw in answer.get("Responses", {}).get(name, []):
                    entry = _record_from(raw).entry
                    found[entry.ucd] = entry
                request = answer.get("UnprocessedKeys") or {}
                if request:  # throttled: retry what was left, with backoff
                    attempt += 1
                    time.sleep(min(0.05 * 2**attempt, 2.0))
        return found

    def put_many(self, entries: Sequence[CatalogueEntry], source: str, resolved_at: datetime) -> int:
        at = resolved_at.isoformat(timespec="seconds")
        written: set[Ucd] = set()
        # overwrite_by_pkeys: a UCD repeated within one buffered batch keeps the last one
        # (BatchWriteItem refuses two writes of one key); batch_writer retries unprocessed items.
        with self._table.batch_writer(overwrite_by_pkeys=["ucd"]) as batch:
            for entry in entries:
                batch.put_item(Item=_item(entry, source, at))
                written.add(entry.ucd)
        return len(written)

    def count(self) -> int:
        total, kwargs = 0, {"Select": "COUNT", "FilterExpression": Attr("ucd").ne(META_KEY)}
        while True:
            page = self._table.scan(**kwargs)
            total += int(page["Count"])
            if "LastEvaluatedKey" not in page:
                return total
            kwargs = {**kwargs, "ExclusiveStartKey": page["LastEvaluatedKey"]}

    def sync_state(self) -> SyncState:
        item = self._table.get_item(Key={"ucd": META_KEY}, ConsistentRead=True).get("Item")
        if not item:
            return SyncState()
        return SyncState(
            last_success_at=_moment(item.get("last_success_at")),
            last_attempt_at=_moment(item.get("last_attempt_at")),
            last_error=item.get("last_error") or None,
            last_received=int(item.get("last_received", 0)),
        )

    def save_sync_state(self, state: SyncState) -> None:
        item: dict[str, Any] = {"ucd": META_KEY, "last_received": state.last_received}
        for key, moment in (("last_success_at", state.last_success_at), ("last_attempt_at", state.last_attempt_at)):
            if moment is not None:
                item[key] = moment.isoformat()
        if state.last_error:
            item["last_error"] = state.last_error
        self._table.put_item(Item=item)


def _item(entry: CatalogueEntry, source: str, resolved_at: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ucd": entry.ucd.value,
        "label": entry.label,
        "substance": entry.substance,
        "atc": entry.atc.value,
        "route": entry.route.value,
        "strength": entry.strength,  # Decimal: a DynamoDB number, exact
        "strength_unit": entry.strength_unit.value,
        "source": source,
        "resolved_at": resolved_at,
    }
    if entry.form:
        item["form"] = entry.form
    return item


def _record_from(item: dict[str, Any]) -> CatalogueRecord:
    entry = CatalogueEntry(
        ucd=Ucd(item["ucd"]),
        label=item["label"],
        substance=item["substance"],
        atc=AtcCode(item["atc"]),
        route=Route(item["route"]),
        strength=item["strength"],
        strength_unit=Unit(item["strength_unit"]),
        form=item.get("form", ""),
    )
    return CatalogueRecord(entry, item["source"], datetime.fromisoformat(item["resolved_at"]))


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
