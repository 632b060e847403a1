"""TenantStore on DynamoDB: tables ``establishments`` and ``laboratories``."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.codes import Finess, RegionCode
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.tenants import Establishment, Laboratory


class DynamoTenantStore:
    def __init__(self, establishments_table: Any, laboratories_table: Any) -> None:
        self._es = establishments_table
        self._labs = laboratories_table

    def create_establishment(self, establishment: Establishment) -> None:
        try:
            self._es.put_item(Item=_es_item(establishment), ConditionExpression="attribute_not_exists(finess)")
        except ClientError as error:
            if condition_failed(error):
                raise Conflict(f"L'établissement {establishment.finess} existe déjà.") from error
            raise

    def replace_establishment(self, establishment: Establishment) -> None:
        try:
            self._es.put_item(Item=_es_item(establishment), ConditionExpression="attribute_exists(finess)")
        except ClientError as error:
            if condition_failed(error):
                raise NotFound("Établissement introuvable.") from error
            raise

    def get_establishment(self, finess: Finess) -> Establishment | None:
        item = self._es.get_item(Key={"finess": finess.value}, ConsistentRead=True).get("Item")
        return _es_from(item) if item else None

    def list_establishments(self, region: RegionCode | None = None) -> list[Establishment]:
        if region is None:
            items = all_pages(self._es.scan, {})
        else:
            items = all_pages(
                self._es.query, {"IndexName": "by_region", "KeyConditionExpression": Key("region").eq(region.value)}
            )
        return sorted((_es_from(i) for i in items), key=lambda e: e.finess.value)

    def create_laboratory(self, laboratory: Laboratory) -> None:
        item: dict[str, Any] = {"lab_id": laboratory.lab_id, "name": laboratory.name}
        if laboratory.ears_net_code:
            item["ears_net_code"] = laboratory.ears_net_code
        self._labs.put_item(Item=item, ConditionExpression="attribute_not_exists(lab_id)")

    def get_laboratory(self, lab_id: str) -> Laboratory | None:
        item = self._labs.get_item(Key={"lab_id": lab_id}, ConsistentRead=True).get("Item")
        return _lab_from(item) if item else None

    def list_laboratories(self) -> list[Laboratory]:
        return sorted((_lab_from(i) for i in all_pages(self._labs.scan, {})), key=lambda lab: (lab.name, lab.lab_id))


def _es_item(es: Establishment) -> dict[str, Any]:
    item: dict[str, Any] = {"finess": es.finess.value, "name": es.name, "category": es.category, "region": es.region.value}
    if es.laboratories:
        item["laboratories"] = set(es.laboratories)
    return item


def _es_from(item: dict[str, Any]) -> Establishment:
    return Establishment(
        finess=Finess(item["finess"]),
        name=item["name"],
        category=item["category"],
        region=RegionCode(item["region"]),
        laboratories=frozenset(item.get("laboratories", set())),
    )


def _lab_from(item: dict[str, Any]) -> Laboratory:
    return Laboratory(item["lab_id"], item["name"], item.get("ears_net_code"))
