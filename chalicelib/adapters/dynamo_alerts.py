"""AlertStore on DynamoDB: one item per alert (key ``alert_id``), its ``version`` checked by every change.

Attributes: finess, region, year, kind, phenotype, species, species_name, specimen, specimen_date,
upload_id, created_at, status, comment?, updated_at?, updated_by?, version, mailed_at? (set once, by the
sender of its e-mail). No patient identifier. The indexes ``by_finess`` and ``by_region`` (sorted by
``created_at``) project every attribute.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from chalicelib.adapters.dynamo import all_pages, conditional
from chalicelib.domain.alerts import Alert, AlertKind, AlertStatus

_OPTIONAL = ("comment", "updated_at", "updated_by")


class DynamoAlertStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def add(self, alert: Alert) -> bool:
        return conditional(self._table.put_item, Item=_item(alert), ConditionExpression="attribute_not_exists(alert_id)")

    def save(self, alert: Alert) -> bool:
        names = {"#status": "status", "#version": "version"}
        values: dict[str, Any] = {":status": alert.status.value, ":version": alert.version, ":before": alert.version - 1}
        sets = ["#status = :status", "#version = :version"]
        removes = []
        for name in _OPTIONAL:
            value = getattr(alert, name)
            names[f"#{name}"] = name  # "comment" is a reserved word
            if value is None:
                removes.append(f"#{name}")
            else:
                sets.append(f"#{name} = :{name}")
                values[f":{name}"] = value
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        return conditional(
            self._table.update_item, Key={"alert_id": alert.alert_id}, UpdateExpression=expression,
            ConditionExpression="attribute_exists(alert_id) AND #version = :before",
            ExpressionAttributeNames=names, ExpressionAttributeValues=values,
        )  # fmt: skip

    def get(self, alert_id: str) -> Alert | None:
        item = self._table.get_item(Key={"alert_id": alert_id}, ConsistentRead=True).get("Item")
        return _alert(item) if item else None

    def claim_mail(self, alert_id: str, at: str) -> bool:
        return conditional(
            self._table.update_item, Key={"alert_id": alert_id}, UpdateExpression="SET mailed_at = :at",
            ConditionExpression="attribute_exists(alert_id) AND attribute_not_exists(mailed_at)",
            ExpressionAttributeValues={":at": at},
        )  # fmt: skip

    def of_establishment(self, finess: str) -> list[Alert]:
        return self._indexed("by_finess", "finess", finess)

    def of_region(self, region: str) -> list[Alert]:
        return self._indexed("by_region", "region", region)

    def all(self) -> list[Alert]:
        return _latest_first(_alert(i) for i in all_pages(self._table.scan, {"ConsistentRead": True}))

    def _indexed(self, index: str, attribute: str, value: str) -> list[Alert]:
        # Listings read the index (eventually consistent: a change may show a moment later there).
        items = all_pages(self._table.query, {"IndexName": index, "KeyConditionExpression": Key(attribute).eq(value)})
        return _latest_first(_alert(i) for i in items)


def _latest_first(alerts: Any) -> list[Alert]:
    return sorted(alerts, key=lambda a: (a.created_at, a.alert_id), reverse=True)


def _item(alert: Alert) -> dict[str, Any]:
    item: dict[str, Any] = {
        "alert_id": alert.alert_id, "finess": alert.finess, "region": alert.region, "year": alert.year,
        "kind": alert.kind.value, "phenotype": alert.phenotype, "species": alert.species,
        "species_name": alert.species_name, "specimen": alert.specimen, "specimen_date": alert.specimen_date,
        "upload_id": alert.upload_id, "created_at": alert.created_at, "status": alert.status.value,
        "version": alert.version,
    }  # fmt: skip
    item.update({name: getattr(alert, name) for name in _OPTIONAL if getattr(alert, name) is not None})
    return item


def _alert(item: dict[str, Any]) -> Alert:
    return Alert(
        item["alert_id"], item["finess"], item["region"], int(item["year"]), AlertKind(item["kind"]), item["phenotype"],
        item["species"], item["species_name"], item["specimen"], item["specimen_date"], item["upload_id"],
        item["created_at"], AlertStatus(item["status"]), item.get("comment"), item.get("updated_at"),
        item.get("updated_by"), int(item["version"]),
    )  # fmt: skip
