"""Routes of the embedded runtime only (never registered in the cloud).

API.md: the mailbox is the administrator's, readable by anyone only while the platform
runs with its demo data (demo accounts need their codes); schedules are the administrator's.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Outcome, Principal, decide
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.handlers.http import endpoint
from chalicelib.handlers.responses import local as r

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/api/local/mailbox",
    summary="Boîte aux lettres locale : tous les e-mails envoyés",
    public=True,  # while the platform runs with its demo data; the administrator's otherwise
    action=Action.OPERATE_LOCAL_PLATFORM,
    response=list[r.Mail],
)
def mailbox() -> list[dict[str, str]]:
    if not services().settings.open_mailbox:
        _administrator()
    box = services().mailbox
    return list(box.messages()) if box is not None else []


@endpoint(
    bp,
    "/api/local/schedules/{job}/run",
    "POST",
    summary="Exécuter une tâche planifiée maintenant",
    action=Action.OPERATE_LOCAL_PLATFORM,
    response=r.JobRun,
)
def run_job(job: str, caller: Principal) -> dict[str, Any]:
    _require_administrator(caller)
    jobs = services().jobs
    if job not in jobs:
        raise NotFound(f"Tâche planifiée inconnue : « {job} » (connues : {', '.join(sorted(jobs))}).")
    return {"job": job, "result": jobs[job]()}


def _administrator() -> Principal:
    """The caller of the current request, who must be an administrator (401 / 403 otherwise)."""
    caller = services().authenticator.principal(bp.current_request.headers.get("authorization"))
    _require_administrator(caller)
    return caller


def _require_administrator(caller: Principal) -> None:
    if decide(caller, Action.OPERATE_LOCAL_PLATFORM) is not Outcome.ALLOW:
        raise Forbidden()
