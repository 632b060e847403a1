"""PeriodStatusStore and SettingsStore on DynamoDB (tables ``periods``, ``settings``)."""

from __future__ import annotations

import contextlib
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict
from chalicelib.domain.periods import Period
from chalicelib.services.ports import PeriodState

OPEN, CLOSING, CLOSED = "open", "closing", "closed"


def guarded_periods(period: str) -> list[str]:
    """The period and its year: either being closed freezes the period."""
    wanted = Period.parse(period)
    return sorted({str(wanted), str(wanted.year)})


class DynamoPeriodStatusStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    @property
    def table_name(self) -> str:
        return str(self._table.name)

    def is_closed(self, finess: Finess, period: str) -> bool:
        for candidate in guarded_periods(period):
            item = self._table.get_item(Key={"finess": finess.value, "period": candidate}, ConsistentRead=True).get("Item")
            if item and item.get("status") in (CLOSING, CLOSED):
                return True
        return False

    def states(self, finess: Finess, year: int) -> list[PeriodState]:
        items = all_pages(self._table.query, {"KeyConditionExpression": Key("finess").eq(finess.value), "ConsistentRead": True})
        return [_state(i) for i in items if Period.parse(i["period"]).year == year]

    def start_closing(self, finess: Finess, period: str, at: str, by: str) -> None:
        self._move(finess, period, {OPEN, None}, CLOSING, at, by, None, "La période est déjà clôturée ou en cours de clôture.")

    def finish_closing(self, finess: Finess, period: str, at: str) -> None:
        item = self._table.get_item(Key={"finess": finess.value, "period": period}, ConsistentRead=True).get("Item")
        if item and item.get("status") == CLOSED:
            return
        self._move(
            finess, period, {CLOSING}, CLOSED, at, item.get("changed_by", "") if item else "", None, "La clôture a été annulée."
        )

    def abort_closing(self, finess: Finess, period: str, at: str) -> None:
        with contextlib.suppress(Conflict):  # already open or closed: nothing to undo
            self._move(finess, period, {CLOSING}, OPEN, at, "system", None, "")

    def reopen(self, finess: Finess, period: str, at: str, by: str, reason: str) -> None:
        self._move(finess, period, {CLOSED}, OPEN, at, by, reason, "Seule une période clôturée peut être rouverte.")

    def _move(
        self,
        finess: Finess,
        period: str,
        sources: set[str | None],
        target: str,
        at: str,
        by: str,
        reason: str | None,
        refusal: str,
    ) -> None:
        allowed = [s for s in sources if s]
        condition = " OR ".join(
            [f"#s = :s{n}" for n in range(len(allowed))] + (["attribute_not_exists(#s)"] if None in sources else [])
        )
        values: dict[str, Any] = {f":s{n}": s for n, s in enumerate(allowed)}
        values.update({":target": target, ":at": at, ":by": by})
        expression = "SET #s = :target, changed_at = :at, changed_by = :by"
        if reason is not None:
            expression += ", reason = :reason"
            values[":reason"] = reason
        try:
            self._table.update_item(
                Key={"finess": finess.value, "period": period},
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if condition_failed(error):
                raise Conflict(refusal, code="ERR_PERIOD_STATE") from error
            raise


def _state(item: dict[str, Any]) -> PeriodState:
    return PeriodState(
        finess=Finess(item["finess"]),
        period=item["period"],
        status=item.get("status", OPEN),
        changed_at=item.get("changed_at", ""),
        changed_by=item.get("changed_by", ""),
        reason=item.get("reason"),
    )


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
