"""CodeStore on DynamoDB: one item per (e-mail, purpose), with a TTL attribute."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.dynamo import all_pages
from chalicelib.domain.codes import Email
from chalicelib.services.ports import StoredCode


class DynamoCodeStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, code: StoredCode) -> None:
        self._table.put_item(
            Item={
                "email": code.email.value,
                "purpose": code.purpose,
                "code_hash": code.code_hash,
                "expires_at": code.expires_at.isoformat(),
                "expires_at_epoch": int(code.expires_at.timestamp()),
                "attempts": code.attempts,
            }
        )

    def get(self, email: Email, purpose: str) -> StoredCode | None:
        item = self._table.get_item(Key={"email": email.value, "purpose": purpose}, ConsistentRead=True).get("Item")
        if not item:
            return None
        return StoredCode(
            Email(item["email"]),
            item["purpose"],
            item["code_hash"],
            datetime.fromisoformat(item["expires_at"]),
            int(item["attempts"]),
        )

    def count_attempt(self, email: Email, purpose: str) -> None:
        self._table.update_item(
            Key={"email": email.value, "purpose": purpose},
            UpdateExpression="ADD attempts :one",
            ConditionExpression="attribute_exists(email)",
            ExpressionAttributeValues={":one": 1},
        )

    def delete(self, email: Email, purpose: str) -> None:
        self._table.delete_item(Key={"email": email.value, "purpose": purpose})

    def purge_expired(self, now: datetime) -> int:
        limit = int(now.astimezone(UTC).timestamp())
        expired = [i for i in all_pages(self._table.scan, {}) if int(i["expires_at_epoch"]) <= limit]
        for item in expired:
            self._table.delete_item(Key={"email": item["email"], "purpose": item["purpose"]})
        return len(expired)
