"""PeriodStatusStore and SettingsStore on DynamoDB (tables ``periods``, ``settings``)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
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
    """One item per establishment and year: its periodicities and its antifungal statement."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def periodicities(self, finess: Finess, year: int) -> dict[str, str] | None:
        item = self._table.get_item(Key={"finess": finess.value, "year": str(year)}, ConsistentRead=True).get("Item")
        found = {k: str(item[k]) for k in PERIODICITIES if k in item} if item else {}
        return found or None

    def put_periodicities(self, finess: Finess, year: int, values: dict[str, str]) -> None:
        self._set(finess, year, {k: values[k] for k in PERIODICITIES if k in values})

    def antifungals_reported(self, finess: Finess, year: int) -> bool | None:
        item = self._table.get_item(Key={"finess": finess.value, "year": str(year)}, ConsistentRead=True).get("Item")
        return bool(item[_ANTIFUNGALS]) if item and _ANTIFUNGALS in item else None

    def put_antifungals_reported(self, finess: Finess, year: int, reported: bool) -> None:
        self._set(finess, year, {_ANTIFUNGALS: bool(reported)})

    def antifungal_statements(self, year: int, establishments: Iterable[Finess]) -> dict[str, bool]:
        wanted = sorted({f.value for f in establishments})  # BatchGetItem refuses repeated keys
        client, name = self._table.meta.client, self._table.name
        found: dict[str, bool] = {}
        for start in range(0, len(wanted), _BATCH_GET):
            keys = [{"finess": f, "year": str(year)} for f in wanted[start : start + _BATCH_GET]]
            request: dict[str, Any] = {name: {"Keys": keys, "ConsistentRead": True}}
            attempt = 0
            while request:
                answer = client.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(name, []):
                    if _ANTIFUNGALS in item:
                        found[str(item["finess"])] = bool(item[_ANTIFUNGALS])
                request = answer.get("UnprocessedKeys") or {}
                if request:  # throttled: retry what was left, with backoff
                    attempt += 1
                    time.sleep(min(0.05 * 2**attempt, 2.0))
        return found

    def _set(self, finess: Finess, year: int, values: dict[str, Any]) -> None:
        if not values:
            return
        names = {f"#a{i}": k for i, k in enumerate(values)}
        self._table.update_item(
            Key={"finess": finess.value, "year": str(year)},
            UpdateExpression="SET " + ", ".join(f"{n} = :v{n[2:]}" for n in names),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={f":v{i}": v for i, v in enumerate(values.values())},
        )


PERIODICITIES = ("consumption_periodicity", "resistance_periodicity")
_ANTIFUNGALS = "antifungals_reported"
_BATCH_GET = 100
