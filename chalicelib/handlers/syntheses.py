"""The regional and national syntheses (API.md "Reports"): their versions, and each PDF (303 to a
presigned URL, or 200 with the URL for a client that accepts JSON only). A region's are its regional
team's and the national team's; the nation's, the national team's; 404 for anyone else."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.bootstrap import services
from chalicelib.domain.authorization import Principal
from chalicelib.handlers import params as q
from chalicelib.handlers.http import endpoint, header, query
from chalicelib.handlers.responses import files
from chalicelib.handlers.responses.reports import ReportVersion
from chalicelib.handlers.uploads import annotated_answer

bp = Blueprint(__name__)
REGION = "/api/reports/regions/{code}"
NATIONAL = "/api/reports/national"


@endpoint(bp, REGION, summary="Les synthèses régionales de la région (chaque version)", tag="reports",
          response=list[ReportVersion])  # fmt: skip
def region_versions(code: str, caller: Principal) -> list[dict[str, Any]]:
    return services().syntheses.versions(caller, code)


@endpoint(bp, f"{REGION}/{{document}}", summary="La synthèse régionale d'une année (2025.pdf ; ?version=)", tag="reports",
          params=(q.VERSION,), response=files.ReadyFile, answers=files.KEPT_FILE)  # fmt: skip
def region_pdf(code: str, document: str, caller: Principal) -> Response:
    ready = services().syntheses.download(caller, code, document, query(bp, "version"))
    return annotated_answer(ready, header(bp, "accept"))


@endpoint(bp, NATIONAL, summary="Les synthèses nationales (chaque version)", tag="reports",
          response=list[ReportVersion])  # fmt: skip
def national_versions(caller: Principal) -> list[dict[str, Any]]:
    return services().syntheses.versions(caller, None)


@endpoint(bp, f"{NATIONAL}/{{document}}", summary="La synthèse nationale d'une année (2025.pdf ; ?version=)", tag="reports",
          params=(q.VERSION,), response=files.ReadyFile, answers=files.KEPT_FILE)  # fmt: skip
def national_pdf(document: str, caller: Principal) -> Response:
    ready = services().syntheses.download(caller, None, document, query(bp, "version"))
    return annotated_answer(ready, header(bp, "accept"))
