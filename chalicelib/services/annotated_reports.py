"""The annotated report of an upload: its rows with their problems, as XLSX (API.md "Uploads").

Rendering the rows of a file with 200,000 errors takes about a minute, beyond what an
HTTP request may last (API Gateway: 29 s), and the rendering is the same every time: so
it is written once, in the background, beside the upload's report, and served from
there by a presigned GET. The route never renders:

- the file exists: a presigned URL to it;
- it does not: one request (a conditional write on the upload) starts its workflow,
  every request answers "being prepared" and the client asks again.

A production that died (its claim older than ``STALE_AFTER``) is started again by the
next request. Only settled uploads have one: their report no longer changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.domain.authorization import Action, Principal
from chalicelib.domain.codes import Finess
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.imports import Report
from chalicelib.domain.uploads import Upload, annotated_filename
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports import KeptRows, ReportRenderer, ReportStore, UploadStore, Workflows

logger = logging.getLogger("consores.annotated_reports")
#: The task's timeout (a Lambda's 15 minutes): a production recorded longer ago died.
STALE_AFTER = timedelta(minutes=15)
#: How long the presigned URL lets the browser download the file.
URL_SECONDS = 300
#: When the client should ask again while the file is being prepared.
RETRY_AFTER_SECONDS = 2
PREPARING = "Le fichier annoté est en préparation : il sera prêt dans quelques instants."


@dataclass(frozen=True)
class Ready:
    """The annotated file exists: ``url`` downloads it (presigned, ``URL_SECONDS``)."""

    url: str
    filename: str
    expires_in: int = URL_SECONDS


@dataclass(frozen=True)
class Preparing:
    """The annotated file is being written: ask again after ``retry_after`` seconds."""

    retry_after: int = RETRY_AFTER_SECONDS
    message: str = PREPARING


@dataclass(kw_only=True)
class AnnotatedReports:
    uploads: UploadStore
    renderer: ReportRenderer
    workflows: Workflows
    guard: Guard
    ctx: Context
    reports: ReportStore

    def download(self, caller: Principal, finess: str, upload_id: str) -> Ready | Preparing:
        """Where to download the upload's annotated report, or that it is being prepared (its
        production started if nothing produces it). Never renders; safe to call concurrently: one
        production per upload. Raises NotFound (rights, unknown upload), Conflict (not settled)."""
        establishment = self.guard.establishment(caller, Action.ANALYSE, finess)
        upload = self.uploads.get(establishment.finess, upload_id)
        if upload is None:
            raise NotFound("Import introuvable.")
        if not upload.settled:
            raise Conflict("Le rapport n'est pas encore prêt : l'import est en cours.")
        if self.reports.annotated(upload) is not None:
            filename = annotated_filename(upload)
            return Ready(self.reports.annotated_url(upload, filename, URL_SECONDS), filename)
        now = self.ctx.clock.now()
        at = now.isoformat(timespec="milliseconds")
        stale = (now - STALE_AFTER).isoformat(timespec="milliseconds")
        if self.uploads.claim_annotated_report(upload.finess, upload.upload_id, at, stale):
            stamp = "".join(c for c in at if c.isdigit())
            name = f"annotated-{upload.upload_id}-{stamp}"
            self.workflows.start_annotated_report(name, {"finess": upload.finess.value, "upload_id": upload.upload_id})
        return Preparing()

    def build(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The workflow's task: write the annotated report of ``payload``'s upload beside its
        report. Idempotent: does nothing when the file exists."""
        upload = self.uploads.get(Finess(payload["finess"]), payload["upload_id"])
        if upload is None or not upload.settled:
            raise NotFound(f"no settled upload {payload['upload_id']} for an annotated report")
        key = self.reports.annotated(upload)
        if key is None:
            key = self.reports.put_annotated(upload, self.render(upload))
            logger.info("annotated report of upload %s written", upload.upload_id)
        return {"finess": upload.finess.value, "upload_id": upload.upload_id, "key": key}

    def render(self, upload: Upload) -> bytes:
        """The rows kept at import (every row of a small file; the header and the rows with a
        problem of a large one), annotated with the report's problems."""
        report = self.reports.get(upload) or Report()
        # An upload settled by the sweeper (interrupted, or recovered after a crash) kept no rows:
        # its annotated copy is its problems alone, never a report that stays "en préparation".
        kept = self.reports.rows(upload) or KeptRows()
        return self.renderer.annotated(kept.rows, kept.row_numbers, kept.header_row, report.problems)
