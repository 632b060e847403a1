"""UploadStore on DynamoDB: tables ``uploads`` and ``datasets`` (current pointers)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo import all_pages, condition_failed, conditional
from chalicelib.adapters.dynamo_periods import guarded_periods
from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.errors import Conflict, PeriodClosed
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.uploads import Upload
from chalicelib.services.ports import CurrentDataset


class DynamoUploadStore:
    def __init__(self, uploads_table: Any, datasets_table: Any, periods_table: Any) -> None:
        self._uploads = uploads_table
        self._datasets = datasets_table
        self._periods = periods_table
        self._client = datasets_table.meta.client

    def create(self, upload: Upload) -> None:
        self._uploads.put_item(Item=_item(upload), ConditionExpression="attribute_not_exists(upload_id)")

    def get(self, finess: Finess, upload_id: str) -> Upload | None:
        item = self._uploads.get_item(Key={"finess": finess.value, "upload_id": upload_id}, ConsistentRead=True).get("Item")
        return _upload(item) if item else None

    def list_uploads(self, finess: Finess, file_type: str | None = None, period: str | None = None) -> list[Upload]:
        items = all_pages(self._uploads.query, {"KeyConditionExpression": Key("finess").eq(finess.value), "ConsistentRead": True})
        found = [
            _upload(i)
            for i in items
            if (file_type is None or i["file_type"] == file_type) and (period is None or i["period"] == period)
        ]
        return sorted(found, key=lambda u: (u.created_at, u.upload_id), reverse=True)

    def claim(self, finess: Finess, upload_id: str, version_id: str, at: str) -> bool:
        return self._move(finess, upload_id, UploadStatus.PENDING, UploadStatus.PROCESSING, at, version_id)

    def reopen(self, finess: Finess, upload_id: str, at: str, waiting: UploadStatus) -> bool:
        return waiting.waiting and self._move(finess, upload_id, waiting, UploadStatus.PENDING, at)

    def waiting_on_catalogue(self) -> list[Upload]:
        # A scan, like ``unfinished``: read once a day and when the catalogue grows.
        items = all_pages(
            self._uploads.scan,
            {"FilterExpression": Attr("status").eq(UploadStatus.NEEDS_CATALOGUE.value), "ConsistentRead": True},
        )
        return [_upload(item) for item in items]

    def _move(
        self, finess: Finess, upload_id: str, source: UploadStatus, target: UploadStatus, at: str, version_id: str | None = None
    ) -> bool:
        """One conditional status change; False when the upload is no longer in ``source``."""
        expression = "SET #s = :target, updated_at = :at" + (", version_id = :v" if version_id else "")
        values: dict[str, Any] = {":target": target.value, ":source": source.value, ":at": at}
        if version_id:
            values[":v"] = version_id
        return conditional(
            self._uploads.update_item,
            Key={"finess": finess.value, "upload_id": upload_id},
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(upload_id) AND #s = :source",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=values,
        )

    def claim_annotated_report(self, finess: Finess, upload_id: str, at: str, stale_before: str) -> bool:
        return conditional(
            self._uploads.update_item,
            Key={"finess": finess.value, "upload_id": upload_id},
            UpdateExpression="SET annotated_report_at = :at",
            ConditionExpression="attribute_exists(upload_id) AND "
            "(attribute_not_exists(annotated_report_at) OR annotated_report_at < :stale)",
            ExpressionAttributeValues={":at": at, ":stale": stale_before},
        )

    def unfinished(self, updated_before: str) -> list[Upload]:
        # A scan, read by the sweeper every quarter of an hour: the table holds a few uploads per
        # establishment and period (tens of thousands a year).
        waiting = [UploadStatus.PENDING.value, UploadStatus.PROCESSING.value, UploadStatus.VALIDATED.value]
        items = all_pages(
            self._uploads.scan,
            {
                "FilterExpression": Attr("status").is_in(waiting) & Attr("updated_at").lt(updated_before),
                "ConsistentRead": True,
            },
        )
        found = [_upload(item) for item in items]
        return [u for u in found if u.status is not UploadStatus.VALIDATED or u.file_type is FileType.RESISTANCE]

    def abandon(self, upload: Upload, status: str, at: str, summary_json: str, error_code: str | None) -> bool:
        return conditional(
            self._uploads.update_item,
            Key={"finess": upload.finess.value, "upload_id": upload.upload_id},
            UpdateExpression="SET #s = :s, updated_at = :at, summary_json = :sum, error_code = :err",
            ConditionExpression="#s = :was AND updated_at = :then",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":s": status, ":at": at, ":sum": summary_json, ":err": error_code or "",
                ":was": upload.status.value, ":then": upload.updated_at,
            },
        )  # fmt: skip

    def finish(self, finess: Finess, upload_id: str, status: str, at: str, summary_json: str, error_code: str | None) -> None:
        self._uploads.update_item(
            Key={"finess": finess.value, "upload_id": upload_id},
            UpdateExpression="SET #s = :s, updated_at = :at, summary_json = :sum, error_code = :err",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": status, ":at": at, ":sum": summary_json, ":err": error_code or ""},
        )

    def current(self, finess: Finess, file_type: str, period: str) -> CurrentDataset | None:
        item = self._datasets.get_item(Key={"finess": finess.value, "dataset": f"{file_type}#{period}"}, ConsistentRead=True).get(
            "Item"
        )
        return _current(item) if item else None

    def current_for_year(self, finess: Finess, year: int) -> list[CurrentDataset]:
        items = all_pages(
            self._datasets.query, {"KeyConditionExpression": Key("finess").eq(finess.value), "ConsistentRead": True}
        )
        return [_current(i) for i in items if Period.parse(i["period"]).year == year]

    def remove_current(self, current: CurrentDataset) -> None:
        delete = {
            "TableName": self._datasets.name,
            "Key": {"finess": current.finess.value, "dataset": f"{current.file_type}#{current.period}"},
            "ConditionExpression": "version = :expected",
            "ExpressionAttributeValues": {":expected": current.version},
        }
        self._transact(delete, "Delete", current.finess, current.period)

    def replace_current(self, new: CurrentDataset, expected_version: int | None) -> None:
        item = {
            "finess": new.finess.value,
            "dataset": f"{new.file_type}#{new.period}",
            "file_type": new.file_type,
            "period": new.period,
            "upload_id": new.upload_id,
            "lake_keys": list(new.lake_keys),
            "version": new.version,
            "sent_at": new.sent_at,
        }
        put: dict[str, Any] = {"TableName": self._datasets.name, "Item": item}
        if expected_version is None:
            put["ConditionExpression"] = "attribute_not_exists(finess)"
        else:
            put["ConditionExpression"] = "version = :expected"
            put["ExpressionAttributeValues"] = {":expected": expected_version}
        self._transact(put, "Put", new.finess, new.period)

    def _transact(self, change: dict[str, Any], kind: str, finess: Finess, period: str) -> None:
        """``change`` (a Put or Delete of the pointer) only while the period and its year are open."""
        checks = [
            {
                "ConditionCheck": {
                    "TableName": self._periods.name,
                    "Key": {"finess": finess.value, "period": guarded},
                    "ConditionExpression": "attribute_not_exists(finess) OR #s = :open",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":open": "open"},
                }
            }
            for guarded in guarded_periods(period)
        ]
        try:
            self._client.transact_write_items(TransactItems=[{kind: change}, *checks])
        except ClientError as error:
            if not condition_failed(error):
                raise
            reasons = error.response.get("CancellationReasons") or []
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons[1:]):
                raise PeriodClosed() from error
            raise Conflict("Un autre import de ce fichier pour cette période s'est terminé entre-temps.") from error


def _item(u: Upload) -> dict[str, Any]:
    item: dict[str, Any] = {
        "finess": u.finess.value,
        "upload_id": u.upload_id,
        "file_type": u.file_type.value,
        "period": str(u.period),
        "filename": u.filename,
        "size": u.size,
        "status": u.status.value,
        "created_by": u.created_by.value,
        "created_at": u.created_at,
        "updated_at": u.updated_at,
        "raw_key": u.raw_key,
        "summary_json": u.summary_json,
    }
    for name in ("laboratory_id", "version_id", "error_code"):
        if getattr(u, name):
            item[name] = getattr(u, name)
    return item


def _upload(item: dict[str, Any]) -> Upload:
    return Upload(
        upload_id=item["upload_id"],
        finess=Finess(item["finess"]),
        file_type=FileType(item["file_type"]),
        period=Period.parse(item["period"]),
        filename=item["filename"],
        size=int(item["size"]),
        status=UploadStatus(item["status"]),
        created_by=Email(item["created_by"]),
        created_at=item["created_at"],
        updated_at=item["updated_at"],
        raw_key=item["raw_key"],
        laboratory_id=item.get("laboratory_id") or None,
        version_id=item.get("version_id") or None,
        error_code=item.get("error_code") or None,
        summary_json=item.get("summary_json", "{}"),
    )


def _current(item: dict[str, Any]) -> CurrentDataset:
    return CurrentDataset(
        finess=Finess(item["finess"]),
        file_type=item["file_type"],
        period=item["period"],
        upload_id=item["upload_id"],
        lake_keys=tuple(item.get("lake_keys", [])),
        version=int(item["version"]),
        sent_at=str(item.get("sent_at", "")),
    )
