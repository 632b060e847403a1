"""CodeStore on DynamoDB: one item per (e-mail, purpose), with a TTL attribute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
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


class DynamoAttemptCounters:
    """AttemptCounters in the codes table: one item per (key, name), in the ``email`` and ``purpose``
    attributes, with the window's end as expiry (purged with the codes, and by the TTL).

    Counting is one conditional update inside a running window; when none runs, a conditional put
    starts one, and if another request started it meanwhile the update is tried again: no attempt
    is ever lost, the first ones of a window included."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def count(self, key: str, name: str, now: datetime, window: timedelta) -> int:
        moment = _epoch(now)
        for _ in range(5):  # each turn is one lost race to another request: a few are plenty
            try:
                answer = self._table.update_item(
                    Key={"email": key, "purpose": name},
                    UpdateExpression="ADD attempts :one",
                    ConditionExpression="attribute_exists(email) AND expires_at_epoch > :now",
                    ExpressionAttributeValues={":one": 1, ":now": moment},
                    ReturnValues="UPDATED_NEW",
                )
                return int(answer["Attributes"]["attempts"])
            except ClientError as error:  # by code: client.exceptions is built lazily, racing threads get two sets
                if not condition_failed(error):
                    raise
                # no running window: start one
            ends = now + window
            try:
                self._table.put_item(
                    Item={"email": key, "purpose": name, "code_hash": "", "expires_at": ends.isoformat(),
                          "expires_at_epoch": _epoch(ends), "attempts": 1},
                    ConditionExpression="attribute_not_exists(email) OR expires_at_epoch <= :now",
                    ExpressionAttributeValues={":now": moment},
                )  # fmt: skip
                return 1
            except ClientError as error:
                if not condition_failed(error):
                    raise
                continue  # another request started the window first: count in it
        raise RuntimeError(f"attempt counter {name} kept changing under it")

    def attempts(self, key: str, name: str, now: datetime) -> int:
        item = self._table.get_item(Key={"email": key, "purpose": name}, ConsistentRead=True).get("Item")
        if not item or int(item["expires_at_epoch"]) <= _epoch(now):
            return 0
        return int(item["attempts"])

    def clear(self, key: str, name: str) -> None:
        self._table.delete_item(Key={"email": key, "purpose": name})


def _epoch(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())
