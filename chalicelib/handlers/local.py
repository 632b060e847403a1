"""Routes of the embedded runtime only (never registered in the cloud)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.errors import NotFound
from chalicelib.handlers.http import endpoint

bp = Blueprint(__name__)


@endpoint(bp, "/api/local/mailbox", summary="Boîte aux lettres locale : tous les e-mails envoyés", public=True)
def mailbox() -> list[dict[str, str]]:
    box = services().mailbox
    return list(box.messages()) if box is not None else []


@endpoint(bp, "/api/local/schedules/{job}/run", "POST", summary="Exécuter une tâche planifiée maintenant", public=True)
def run_job(job: str) -> dict[str, Any]:
    jobs = services().jobs
    if job not in jobs:
        raise NotFound(f"Tâche planifiée inconnue : « {job} » (connues : {', '.join(sorted(jobs))}).")
    return {"job": job, "result": jobs[job]()}
