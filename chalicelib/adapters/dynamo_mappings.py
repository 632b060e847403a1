"""MappingStore on DynamoDB: table ``mappings`` (lab_id, "<kind>#<label key>").

The laboratory's version counter is one more item of the same partition,
``mapping_key = "#version"`` (no ``kind``: never listed as a mapping).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.resistance.labels import label_key
from chalicelib.services.ports import LabelMapping

VERSION_KEY = "#version"


class DynamoMappingStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get_many(self, lab_id: str, kind: str, labels: Sequence[str]) -> dict[str, LabelMapping]:
        known = {label_key(m.label): m for m in self.list_mappings(lab_id, kind)}
        return {label: known[label_key(label)] for label in labels if label_key(label) in known}

    def put_many(self, mappings: Sequence[LabelMapping]) -> None:
        with self._table.batch_writer(overwrite_by_pkeys=["lab_id", "mapping_key"]) as batch:
            for m in mappings:
                batch.put_item(Item=_item(m))

    def put_new(self, mappings: Sequence[LabelMapping]) -> None:
        for m in mappings:
            try:
                self._table.put_item(Item=_item(m), ConditionExpression="attribute_not_exists(mapping_key)")
            except ClientError as error:
                if not condition_failed(error):
                    raise

    def list_mappings(self, lab_id: str, kind: str | None = None, state: str | None = None) -> list[LabelMapping]:
        condition = Key("lab_id").eq(lab_id)
        if kind:
            condition = condition & Key("mapping_key").begins_with(f"{kind}#")
        items = all_pages(self._table.query, {"KeyConditionExpression": condition, "ConsistentRead": True})
        found = [
            LabelMapping(
                lab_id=i["lab_id"],
                kind=i["kind"],
                label=i["label"],
                state=i["state"],
                code=i.get("code"),
                proposed_code=i.get("proposed_code"),
                hints=tuple(i.get("hints", [])),
                updated_at=i.get("updated_at", ""),
                updated_by=i.get("updated_by", ""),
                version=int(i.get("version", 0)),
                previous_code=i.get("previous_code"),
            )
            for i in items
            if "kind" in i
        ]
        return sorted((m for m in found if state is None or m.state == state), key=lambda m: (m.kind, m.label.casefold()))

    def version(self, lab_id: str) -> int:
        item = self._table.get_item(Key={"lab_id": lab_id, "mapping_key": VERSION_KEY}, ConsistentRead=True).get("Item")
        return int(item["version"]) if item else 0

    def next_version(self, lab_id: str) -> int:
        answer = self._table.update_item(
            Key={"lab_id": lab_id, "mapping_key": VERSION_KEY},
            UpdateExpression="ADD version :one",
            ExpressionAttributeValues={":one": 1},
            ReturnValues="UPDATED_NEW",
        )
        return int(answer["Attributes"]["version"])


def _item(m: LabelMapping) -> dict[str, Any]:
    item: dict[str, Any] = {
        "lab_id": m.lab_id,
        "mapping_key": f"{m.kind}#{label_key(m.label)}",
        "kind": m.kind,
        "label": m.label,
        "state": m.state,
        "updated_at": m.updated_at,
        "updated_by": m.updated_by,
        "version": m.version,
    }
    if m.previous_code:
        item["previous_code"] = m.previous_code
    if m.code:
        item["code"] = m.code
    if m.proposed_code:
        item["proposed_code"] = m.proposed_code
    if m.hints:
        item["hints"] = list(m.hints)
    return item
