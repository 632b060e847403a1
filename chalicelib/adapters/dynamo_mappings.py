"""MappingStore on DynamoDB: table ``mappings`` (lab_id, "<kind>#<label key>")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

from chalicelib.adapters.dynamo import all_pages
from chalicelib.domain.resistance.labels import label_key
from chalicelib.services.ports import LabelMapping


class DynamoMappingStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get_many(self, lab_id: str, kind: str, labels: Sequence[str]) -> dict[str, LabelMapping]:
        wanted = {label_key(label): label for label in labels}
        known = {label_key(m.label): m for m in self.list_mappings(lab_id, kind)}
        return {label: known[key] for key, label in wanted.items() if key in known}

    def put_many(self, mappings: Sequence[LabelMapping]) -> None:
        with self._table.batch_writer(overwrite_by_pkeys=["lab_id", "mapping_key"]) as batch:
            for m in mappings:
                item: dict[str, Any] = {
                    "lab_id": m.lab_id,
                    "mapping_key": f"{m.kind}#{label_key(m.label)}",
                    "kind": m.kind,
                    "label": m.label,
                    "state": m.state,
                    "updated_at": m.updated_at,
                    "updated_by": m.updated_by,
                }
                if m.code:
                    item["code"] = m.code
                if m.proposed_code:
                    item["proposed_code"] = m.proposed_code
                if m.hints:
                    item["hints"] = list(m.hints)
                batch.put_item(Item=item)

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
            )
            for i in items
        ]
        return sorted((m for m in found if state is None or m.state == state), key=lambda m: (m.kind, m.label.casefold()))
