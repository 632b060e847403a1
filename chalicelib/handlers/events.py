"""Event-driven functions: ``on_upload`` receives "object created" events of the
raw bucket, from EventBridge in the cloud (Chalice's CloudFormation packaging
does not accept ``on_s3_event``) or from S3 notifications in the emulator, and
the requests to process a reopened upload's file again (``{"process_again": key}``,
asynchronous invocations by the functions that may not read raw files)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import S3EventNotificationEventBridgeModel
from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, ValidationError

from chalicelib.adapters.lambda_import_requests import PROCESS_AGAIN
from chalicelib.bootstrap import services
from chalicelib.domain.uploads import parse_raw_key
from chalicelib.handlers.observability import log_keys, logger

bp = Blueprint(__name__)


class ObjectCreated(BaseModel):
    model_config = ConfigDict(frozen=True)

    bucket: str
    key: str
    version_id: str | None = None
    size: int | None = None


# The emulator's S3 notification. Powertools' ``S3Model`` describes what S3 itself
# sends and requires fields the emulator leaves out (userIdentity,
# requestParameters...), so this shape is read with the few fields it needs.
class _S3Object(BaseModel):
    key: str
    size: int | None = None
    versionId: str | None = None  # noqa: N815 - AWS's field name


class _S3Entity(BaseModel):
    bucket: dict[str, Any]
    object: _S3Object


class _S3Record(BaseModel):
    eventName: str  # noqa: N815
    s3: _S3Entity


class _S3Notification(BaseModel):
    Records: list[_S3Record]


def objects_created(event: dict[str, Any]) -> list[ObjectCreated]:
    """Both event shapes as one list; anything else is logged and ignored."""
    try:
        if "Records" in event:
            notification = _S3Notification.model_validate(event)
            return [
                ObjectCreated(
                    bucket=str(r.s3.bucket["name"]),
                    key=unquote_plus(r.s3.object.key),  # S3 notifications URL-encode keys
                    version_id=r.s3.object.versionId,
                    size=r.s3.object.size,
                )
                for r in notification.Records
                if r.eventName.startswith("ObjectCreated")
            ]
        bridged = S3EventNotificationEventBridgeModel.model_validate(event)
        if bridged.detail_type != "Object Created":
            return []
        detail = bridged.detail
        size = detail.object.size
        return [
            ObjectCreated(
                bucket=detail.bucket.name,
                key=detail.object.key,
                version_id=detail.object.version_id,
                size=None if size is None else int(size),
            )
        ]
    except ValidationError:
        logger.warning("unrecognised event ignored", extra={"fields": list(event)[:5]})
        return []


@bp.lambda_function(name="on_upload")
def on_upload(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if isinstance(event.get(PROCESS_AGAIN), str):
        return _process_again(event[PROCESS_AGAIN])
    outcomes = {}
    for created in objects_created(event):
        target = parse_raw_key(created.key)
        keys = {"upload_id": target.upload_id, "finess": str(target.finess)} if target else {"key": created.key}
        with log_keys(**keys):
            status = services().uploads.process_object(created.bucket, created.key, created.version_id)
            logger.info("object processed", extra={"status": status.value if status else "ignored"})
        outcomes[created.key] = status.value if status else "ignored"
    return {"processed": outcomes}


def _process_again(key: str) -> dict[str, Any]:
    target = parse_raw_key(key)
    keys = {"upload_id": target.upload_id, "finess": str(target.finess)} if target else {"key": key}
    with log_keys(**keys):
        status = services().uploads.process_again(key)
        if status is not None and status.final:  # refused at once (its file gone): counted as any import's outcome
            logger.info("object processed", extra={"status": status.value})
        else:
            logger.info("upload sent to be processed again", extra={"status": status.value if status else "ignored"})
    return {"processed_again": {key: status.value if status else "ignored"}}
