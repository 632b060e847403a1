"""Uploads, their reports, and the import templates."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.errors import NotFound
from chalicelib.domain.imports import FileType
from chalicelib.domain.uploads import Upload
from chalicelib.handlers import params as q
from chalicelib.handlers import schemas
from chalicelib.handlers.http import JSON_HEADERS, endpoint, header, query
from chalicelib.handlers.responses import files
from chalicelib.handlers.responses import uploads as r
from chalicelib.handlers.workflow import register_tasks
from chalicelib.services.annotated_reports import Preparing, Ready

bp = Blueprint(__name__)
ES = "/api/establishments/{finess}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_view(upload: Upload) -> dict[str, Any]:
    return {
        "upload_id": upload.upload_id,
        "type": upload.file_type.value,
        "period": str(upload.period),
        "filename": upload.filename,
        "size": upload.size,
        "status": upload.status.value,
        "created_by": upload.created_by.value,
        "created_at": upload.created_at,
        "updated_at": upload.updated_at,
        **({"laboratory_id": upload.laboratory_id} if upload.laboratory_id else {}),
        **({"periods": list(upload.periods)} if upload.periods else {}),
    }


def annotated_answer(answer: Ready | Preparing, accept: str) -> Response:
    """202 + Retry-After while the file is prepared; once ready, 303 to its presigned URL, or 200 with
    the URL for a client that accepts JSON only (a browser script, which cannot read a redirect)."""
    headers: dict[str, str | list[str]] = {**JSON_HEADERS, "Cache-Control": "no-store"}
    if isinstance(answer, Preparing):
        body = {"status": "preparing", "message": answer.message, "retry_after": answer.retry_after}
        headers["Retry-After"] = str(answer.retry_after)
        return Response(body=json.dumps(body, ensure_ascii=False), status_code=202, headers=headers)
    ready = json.dumps({"status": "ready", "url": answer.url, "filename": answer.filename, "expires_in": answer.expires_in})
    if accept.strip().lower() == "application/json":
        return Response(body=ready, status_code=200, headers=headers)
    return Response(body=ready, status_code=303, headers={**headers, "Location": answer.url})


def xlsx(body: bytes, filename: str) -> Response:
    return Response(
        body=body,
        status_code=200,
        headers={"Content-Type": XLSX, "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@endpoint(
    bp,
    f"{ES}/uploads",
    "POST",
    summary="Préparer l'envoi d'un fichier (POST présigné)",
    body=schemas.UploadCreate,
    status=201,
    action=Action.UPLOAD_DATA,
    response=r.UploadCreated,
)
def create(finess: str, body: schemas.UploadCreate, caller: Principal) -> dict[str, Any]:
    upload, post, expires_at = services().uploads.create(
        caller, finess, body.type, body.period, body.filename, body.size, body.laboratory_id
    )
    return {"upload_id": upload.upload_id, "post": post, "expires_at": expires_at}


@endpoint(bp, f"{ES}/uploads", summary="Imports de l'établissement (?type=&period=)", action=Action.ANALYSE,
          params=(q.FILE_TYPE, q.PERIOD), response=list[r.Upload])  # fmt: skip
def list_uploads(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return [upload_view(u) for u in services().uploads.list(caller, finess, query(bp, "type"), query(bp, "period"))]


@endpoint(bp, f"{ES}/uploads/{{upload_id}}", summary="Un import et son rapport", action=Action.ANALYSE,
          response=r.UploadWithReport)  # fmt: skip
def get_upload(finess: str, upload_id: str, caller: Principal) -> dict[str, Any]:
    upload, report = services().uploads.get(caller, finess, upload_id)
    return {**upload_view(upload), "report": report}


@endpoint(
    bp,
    f"{ES}/uploads/{{upload_id}}/report.xlsx",
    summary="Le fichier annoté de ses problèmes (XLSX) : 303 vers le fichier, ou 202 tant qu'il est en préparation",
    action=Action.ANALYSE,
    response=files.ReadyFile,
    answers=files.PREPARED_FILE,
)
def report_xlsx(finess: str, upload_id: str, caller: Principal) -> Response:
    return annotated_answer(services().annotated_reports.download(caller, finess, upload_id), header(bp, "accept"))


@endpoint(bp, "/api/templates/{name}", summary="Modèle de fichier d'import (structure.xlsx, consumption.xlsx…)", public=True,
          response=files.XLSX)  # fmt: skip
def template(name: str) -> Response:
    kind = name.removesuffix(".xlsx")
    if not name.endswith(".xlsx") or kind not in {t.value for t in FileType}:
        raise NotFound(f"Modèle inconnu : « {name} » (structure, beds, patient_days, consumption, resistance).")
    return xlsx(services().templates(FileType(kind)), f"modele-{kind}.xlsx")


@endpoint(
    bp,
    f"{ES}/datasets/{{file_type}}/{{period}}",
    "DELETE",
    summary="Retirer les données d'une période (motif obligatoire, tracé)",
    body=schemas.RemovalBody,
    action=Action.REMOVE_DATA,
    response=r.DatasetRemoval,
)
def remove_dataset(finess: str, file_type: str, period: str, body: schemas.RemovalBody, caller: Principal) -> dict[str, Any]:
    removed = services().datasets.remove(caller, finess, file_type, period, body.reason)
    return {"status": "removed" if removed else "absent", "type": file_type, "period": period}


class ReportPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finess: str
    upload_id: str


# The annotated report's workflow: its one task writes the file (services/annotated_reports.py).
register_tasks(bp, "rp", lambda: services().annotated_reports, {"build": "build"}, ReportPayload)
