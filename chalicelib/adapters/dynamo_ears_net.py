"""ExportStore and PatientCounters on DynamoDB: table ``ears_net`` (keys ``pk``, ``sk``).

===========================  ==================  ==========================================
pk                           sk                  item
===========================  ==================  ==========================================
``export``                   export id           one export (year, status, details JSON)
``settings``                 ``current``         the national team's export settings (JSON)
``counter#<laboratory>``     pseudonym           ``counter``: the patient's PatientCounter
``counter#<laboratory>``     ``#n#<counter>``    the number is taken (never given twice)
===========================  ==================  ==========================================

A new counter is written with its ``#n#`` claim in one transaction, both
conditional: two exports numbering patients at the same time cannot give one
number twice nor number one patient twice; the loser reads again and retries.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.tessy.plan import next_patient_counters
from chalicelib.services.ports import ExportRecord

EXPORT = "export"
SETTINGS = ("settings", "current")
CLAIM = "#n#"
_PER_TRANSACTION = 50  # two items per counter, 100 items per transaction at most
_RETRIES = 5


class DynamoExportStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put_export(self, record: ExportRecord) -> None:
        self._table.put_item(
            Item={
                "pk": EXPORT,
                "sk": record.export_id,
                "year": record.year,
                "status": record.status,
                "created_at": record.created_at,
                "created_by": record.created_by,
                "trigger": record.trigger,
                "details_json": record.details_json,
            }
        )

    def get_export(self, export_id: str) -> ExportRecord | None:
        item = self._table.get_item(Key={"pk": EXPORT, "sk": export_id}, ConsistentRead=True).get("Item")
        return _export(item) if item else None

    def list_exports(self) -> list[ExportRecord]:
        items = all_pages(self._table.query, {"KeyConditionExpression": Key("pk").eq(EXPORT), "ConsistentRead": True})
        return sorted((_export(item) for item in items), key=lambda r: (r.created_at, r.export_id), reverse=True)

    def export_settings(self) -> dict[str, Any] | None:
        item = self._table.get_item(Key={"pk": SETTINGS[0], "sk": SETTINGS[1]}, ConsistentRead=True).get("Item")
        if not item:
            return None
        document: dict[str, Any] = json.loads(item["document"])
        return document

    def put_export_settings(self, values: dict[str, Any]) -> None:
        self._table.put_item(Item={"pk": SETTINGS[0], "sk": SETTINGS[1], "document": json.dumps(values, ensure_ascii=False)})


class DynamoPatientCounters:
    def __init__(self, table: Any) -> None:
        self._table = table
        self._client = table.meta.client

    def counters(self, laboratory: str, pseudonyms: Sequence[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(pseudonyms))
        for _ in range(_RETRIES):
            existing = self._read(laboratory)
            fresh = next_patient_counters({(laboratory, p): n for p, n in existing.items()}, [(laboratory, p) for p in wanted])
            try:
                self._claim(laboratory, [(key[1], number) for key, number in fresh.items()])
            except ClientError as error:
                if not condition_failed(error):
                    raise
                continue  # another export numbered patients meanwhile: read again
            existing.update({key[1]: number for key, number in fresh.items()})
            return {p: existing[p] for p in wanted}
        raise RuntimeError(f"patient counters of {laboratory}: too many concurrent writers")

    def _read(self, laboratory: str) -> dict[str, int]:
        items = all_pages(
            self._table.query, {"KeyConditionExpression": Key("pk").eq(_partition(laboratory)), "ConsistentRead": True}
        )
        return {item["sk"]: int(item["counter"]) for item in items if not str(item["sk"]).startswith(CLAIM)}

    def _claim(self, laboratory: str, numbered: list[tuple[str, int]]) -> None:
        """Write the new counters, one transaction per chunk (a retried chunk finds its own writes and moves on)."""
        name, partition = self._table.name, _partition(laboratory)
        for start in range(0, len(numbered), _PER_TRANSACTION):
            items: list[dict[str, Any]] = []
            for pseudonym, number in numbered[start : start + _PER_TRANSACTION]:
                condition = "attribute_not_exists(pk)"
                items.append({"Put": {"TableName": name, "Item": {"pk": partition, "sk": pseudonym, "counter": number},
                                      "ConditionExpression": condition}})  # fmt: skip
                items.append({"Put": {"TableName": name, "Item": {"pk": partition, "sk": f"{CLAIM}{number:010d}"},
                                      "ConditionExpression": condition}})  # fmt: skip
            self._client.transact_write_items(TransactItems=items)


def _partition(laboratory: str) -> str:
    return f"counter#{laboratory}"


def _export(item: dict[str, Any]) -> ExportRecord:
    return ExportRecord(
        export_id=str(item["sk"]),
        year=int(item["year"]),
        status=str(item["status"]),
        created_at=str(item["created_at"]),
        created_by=str(item["created_by"]),
        trigger=str(item.get("trigger", "api")),
        details_json=str(item.get("details_json", "{}")),
    )
