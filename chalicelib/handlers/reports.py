"""The establishments' standard reports (API.md "Reports"): the versions kept, and each PDF
(303 to a presigned URL, or 200 with the URL for a client that accepts JSON only)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Action, Principal
from chalicelib.handlers import params as q
from chalicelib.handlers.closure import ClosurePayload
from chalicelib.handlers.http import endpoint, header, query
from chalicelib.handlers.responses import files
from chalicelib.handlers.responses.reports import ReportVersion
from chalicelib.handlers.uploads import annotated_answer
from chalicelib.handlers.workflow import register_tasks

bp = Blueprint(__name__)
ES = "/api/establishments/{finess}"


@endpoint(bp, f"{ES}/reports", summary="Les rapports annuels de l'établissement (chaque version)", action=Action.ANALYSE,
          response=list[ReportVersion])  # fmt: skip
def reports(finess: str, caller: Principal) -> list[dict[str, Any]]:
    return services().standard_reports.list(caller, finess)


@endpoint(bp, f"{ES}/reports/{{document}}", summary="Le rapport d'une année (2025.pdf ; ?version= pour une version antérieure)",
          action=Action.ANALYSE, params=(q.VERSION,), response=files.ReadyFile, answers=files.KEPT_FILE)  # fmt: skip
def report_pdf(finess: str, document: str, caller: Principal) -> Response:
    ready = services().standard_reports.download(caller, finess, document, query(bp, "version"))
    return annotated_answer(ready, header(bp, "accept"))


#: The closure workflow's report steps (infra/statemachines/closure.asl.json).
REPORT_TASKS = {"report": "task_report", "report_mail": "task_report_mail", "report_failed": "task_report_failed"}
register_tasks(bp, "cl", lambda: services().standard_reports, REPORT_TASKS, ClosurePayload)
