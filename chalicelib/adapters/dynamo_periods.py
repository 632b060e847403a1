"""PeriodStatusStore and SettingsStore on DynamoDB (tables ``periods``, ``settings``)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.periods import Period


class DynamoPeriodStatusStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def is_closed(self, finess: Finess, period: str) -> bool:
        wanted = Period.parse(period)
        candidates = {str(wanted), str(wanted.year)}
        for candidate in candidates:
            item = self._table.get_item(Key={"finess": finess.value, "period": candidate}, ConsistentRead=True).get("Item")
            if item and item.get("status") == "closed":
                return True
        return False


class DynamoSettingsStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def periodicities(self, finess: Finess, year: int) -> dict[str, str] | None:
        item = self._table.get_item(Key={"finess": finess.value, "year": str(year)}, ConsistentRead=True).get("Item")
        if not item:
            return None
        return {k: str(item[k]) for k in ("consumption_periodicity", "resistance_periodicity") if k in item}

    def put_periodicities(self, finess: Finess, year: int, values: dict[str, str]) -> None:
        self._table.put_item(Item={"finess": finess.value, "year": str(year), **values})
