"""Scheduled jobs. Each runs one job of ``services().jobs`` by name.

``SCHEDULES`` is read by the embedded runtime's ticker, which fires ``Rate``
schedules itself (the emulator never does).
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Rate

from chalicelib.bootstrap import services
from chalicelib.handlers.observability import logger

bp = Blueprint(__name__)

#: job name -> (amount, unit) of its Rate, shared with the embedded ticker.
SCHEDULES: dict[str, Rate] = {
    "purge_expired_codes": Rate(1, unit=Rate.HOURS),
    "sync_catalogue": Rate(1, unit=Rate.DAYS),
    # Daily; exports the previous year once, from the export date of the settings on (yearly).
    "export_ears_net": Rate(1, unit=Rate.DAYS),
    # Uploads stuck beyond their step's limit are settled (DOMAIN.md §10.2).
    "sweep_uploads": Rate(15, unit=Rate.MINUTES),
    # Daily; e-mails the référents of incomplete establishments on a campaign's reminder days (DOMAIN.md §10.9).
    "remind_deadlines": Rate(1, unit=Rate.DAYS),
    # Daily; once a campaign's deadline has passed, its year's reports and syntheses are made again, once.
    "generate_after_deadline": Rate(1, unit=Rate.DAYS),
    # Daily; consumption files waiting on the catalogue are processed again when their UCDs exist, and every
    # few days anyway (their raw copy outlives the bucket's 7 days) (DOMAIN.md §10.4).
    "revalidate_waiting_uploads": Rate(1, unit=Rate.DAYS),
}


@bp.schedule(SCHEDULES["purge_expired_codes"], name="purge_expired_codes")
def purge_expired_codes(event: Any) -> dict[str, Any]:
    return {"job": "purge_expired_codes", "result": services().jobs["purge_expired_codes"]()}


@bp.schedule(SCHEDULES["sync_catalogue"], name="sync_catalogue")
def sync_catalogue(event: Any) -> dict[str, Any]:
    return {"job": "sync_catalogue", "result": services().jobs["sync_catalogue"]()}


@bp.schedule(SCHEDULES["export_ears_net"], name="export_ears_net")
def export_ears_net(event: Any) -> dict[str, Any]:
    return {"job": "export_ears_net", "result": services().jobs["export_ears_net"]()}


@bp.schedule(SCHEDULES["sweep_uploads"], name="sweep_uploads")
def sweep_uploads(event: Any) -> dict[str, Any]:
    settled = services().jobs["sweep_uploads"]()
    # Counted by a metric filter (infra/cloud/operations.py): a stuck upload alarms.
    logger.info("stuck uploads settled", extra={"settled": settled})
    return {"job": "sweep_uploads", "result": settled}


@bp.schedule(SCHEDULES["remind_deadlines"], name="remind_deadlines")
def remind_deadlines(event: Any) -> dict[str, Any]:
    return {"job": "remind_deadlines", "result": services().jobs["remind_deadlines"]()}


@bp.schedule(SCHEDULES["generate_after_deadline"], name="generate_after_deadline")
def generate_after_deadline(event: Any) -> dict[str, Any]:
    return {"job": "generate_after_deadline", "result": services().jobs["generate_after_deadline"]()}


@bp.schedule(SCHEDULES["revalidate_waiting_uploads"], name="revalidate_waiting_uploads")
def revalidate_waiting_uploads(event: Any) -> dict[str, Any]:
    return {"job": "revalidate_waiting_uploads", "result": services().jobs["revalidate_waiting_uploads"]()}
