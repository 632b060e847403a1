"""Event-driven functions: ``on_upload`` receives "object created" events of the
raw bucket, from EventBridge in the cloud (Chalice's CloudFormation packaging
does not accept ``on_s3_event``) or from S3 notifications in the emulator."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote_plus

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.bootstrap import services

bp = Blueprint(__name__)
logger = logging.getLogger("consores.events")


class ObjectCreated(BaseModel):
    model_config = ConfigDict(frozen=True)

    bucket: str
    key: str
    version_id: str | None = None
    size: int | None = None


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


class _EventBridgeObject(BaseModel):
    key: str
    size: int | None = None
    version_id: str | None = Field(default=None, alias="version-id")


class _EventBridgeDetail(BaseModel):
    bucket: dict[str, Any]
    object: _EventBridgeObject


class _EventBridgeEvent(BaseModel):
    detail_type: str = Field(alias="detail-type")
    detail: _EventBridgeDetail


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
        bridged = _EventBridgeEvent.model_validate(event)
        if bridged.detail_type != "Object Created":
            return []
        detail = bridged.detail
        return [
            ObjectCreated(
                bucket=str(detail.bucket["name"]),
                key=detail.object.key,
                version_id=detail.object.version_id,
                size=detail.object.size,
            )
        ]
    except ValidationError:
        logger.warning("unrecognised event ignored: %s", list(event)[:5])
        return []


@bp.lambda_function(name="on_upload")
def on_upload(event: dict[str, Any], context: Any) -> dict[str, Any]:
    outcomes = {}
    for created in objects_created(event):
        status = services().uploads.process_object(created.bucket, created.key, created.version_id)
        outcomes[created.key] = status.value if status else "ignored"
    return {"processed": outcomes}
