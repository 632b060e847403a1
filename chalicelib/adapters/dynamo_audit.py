"""AuditLog on DynamoDB: one partition per month, entries sorted by time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from chalicelib.adapters.dynamo import all_pages
from chalicelib.domain.audit import AuditEntry


def _months(start: datetime, end: datetime) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class DynamoAuditLog:
    def __init__(self, table: Any) -> None:
        self._table = table

    def record(self, entry: AuditEntry) -> None:
        self._table.put_item(
            Item={
                "month": entry.at[:7],
                "entry_key": f"{entry.at}#{entry.entry_id}",
                "at": entry.at,
                "actor": entry.actor,
                "action": entry.action,
                "target": entry.target,
                # JSON text: before/after may hold floats and nulls DynamoDB would refuse.
                "before": json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
                "after": json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
            },
            ConditionExpression="attribute_not_exists(entry_key)",
        )

    def since(self, since: datetime, limit: int = 1000) -> list[AuditEntry]:
        start = since.astimezone(UTC)
        lower = start.isoformat(timespec="milliseconds")
        entries: list[AuditEntry] = []
        for month in _months(start, datetime.now(UTC)):
            items = all_pages(
                self._table.query,
                {"KeyConditionExpression": Key("month").eq(month) & Key("entry_key").gte(lower), "ConsistentRead": True},
            )
            entries.extend(_entry_from(i) for i in items)
            if len(entries) >= limit:
                break
        return entries[:limit]


def _entry_from(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        at=item["at"],
        actor=item["actor"],
        action=item["action"],
        target=item["target"],
        before=json.loads(item["before"]),
        after=json.loads(item["after"]),
        entry_id=item["entry_key"].split("#", 1)[1],
    )
