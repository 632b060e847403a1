"""UnitStore on DynamoDB: the structure (table ``units``) and beds (table ``beds``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from boto3.dynamodb.conditions import Key

from chalicelib.adapters.dynamo import all_pages
from chalicelib.domain.codes import Finess
from chalicelib.domain.structure import Unit

_OPTIONAL = ("sector_override", "code_pole", "libelle_pole", "code_service", "libelle_service", "specialty")


class DynamoUnitStore:
    def __init__(self, units_table: Any, beds_table: Any) -> None:
        self._units = units_table
        self._beds = beds_table

    def units(self, finess: Finess) -> list[Unit]:
        items = all_pages(self._units.query, {"KeyConditionExpression": Key("finess").eq(finess.value), "ConsistentRead": True})
        return sorted((_unit(i) for i in items), key=lambda u: u.code_uf)

    def put_unit(self, finess: Finess, unit: Unit) -> None:
        self._units.put_item(Item=_item(finess, unit))

    def delete_unit(self, finess: Finess, code_uf: str) -> bool:
        answer = self._units.delete_item(Key={"finess": finess.value, "code_uf": code_uf}, ReturnValues="ALL_OLD")
        return "Attributes" in answer

    def replace_units(self, finess: Finess, units: Sequence[Unit]) -> None:
        """Writes the new structure, then removes the units it no longer has.

        DynamoDB transactions hold 100 items and a structure may hold more, so
        this is not atomic; it is idempotent, and a retry converges.
        """
        keep = {u.code_uf for u in units}
        with self._units.batch_writer() as batch:
            for unit in units:
                batch.put_item(Item=_item(finess, unit))
            for old in self.units(finess):
                if old.code_uf not in keep:
                    batch.delete_item(Key={"finess": finess.value, "code_uf": old.code_uf})

    def beds(self, finess: Finess, year: int) -> dict[str, int]:
        items = all_pages(
            self._beds.query,
            {
                "KeyConditionExpression": Key("finess").eq(finess.value) & Key("year_uf").begins_with(f"{year}#"),
                "ConsistentRead": True,
            },
        )
        return {i["code_uf"]: int(i["beds"]) for i in items}

    def replace_beds(self, finess: Finess, year: int, beds: dict[str, int]) -> None:
        current = self.beds(finess, year)
        with self._beds.batch_writer() as batch:
            for code_uf, count in beds.items():
                batch.put_item(
                    Item={"finess": finess.value, "year_uf": f"{year}#{code_uf}", "code_uf": code_uf, "year": year, "beds": count}
                )
            for code_uf in set(current) - set(beds):
                batch.delete_item(Key={"finess": finess.value, "year_uf": f"{year}#{code_uf}"})


def _item(finess: Finess, unit: Unit) -> dict[str, Any]:
    item: dict[str, Any] = {
        "finess": finess.value,
        "code_uf": unit.code_uf,
        "libelle": unit.libelle,
        "code_ta": unit.code_ta,
        "code_de": unit.code_de,
        "sector": unit.sector,
    }
    for name in _OPTIONAL:
        if getattr(unit, name):
            item[name] = getattr(unit, name)
    if unit.start:
        item["start"] = unit.start.isoformat()
    if unit.end:
        item["end"] = unit.end.isoformat()
    return item


def _unit(item: dict[str, Any]) -> Unit:
    return Unit(
        code_uf=item["code_uf"],
        libelle=item["libelle"],
        code_ta=item["code_ta"],
        code_de=item["code_de"],
        sector=item["sector"],
        start=date.fromisoformat(item["start"]) if item.get("start") else None,
        end=date.fromisoformat(item["end"]) if item.get("end") else None,
        **{name: item.get(name) for name in _OPTIONAL},
    )
