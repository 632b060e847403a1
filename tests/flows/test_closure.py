"""Issue "Closure workflow and indicators": closing a period through the API
and the Step Functions workflow, the 409 with blocking controls, uploads
refused once closing, reopening by the national team with a reason."""

from __future__ import annotations

import time

from tests.flows.conftest import Http
from tests.flows.test_imports_one import CHU, referent, upload
from tests.support import files


def period_status(http: Http, token: str, period: str) -> str:
    found = {p["period"]: p["status"] for p in http.call("GET", f"/api/establishments/{CHU}/periods?year=2025", None, token).data}
    return found[period]


def wait_status(http: Http, token: str, period: str, wanted: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if period_status(http, token, period) == wanted:
            return
        time.sleep(0.2)
    raise AssertionError(f"{period} never became {wanted}: {period_status(http, token, period)}")


def wait_mail(http: Http, subject: str) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(subject in m["subject"] for m in http.call("GET", "/api/local/mailbox").data):
            return True
        time.sleep(0.2)
    return False


def test_a_quarter_closes_freezes_its_data_and_reopens_with_a_reason(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    upload(http, token, "beds", "2025", "lits.csv", files.csv(files.BEDS))
    upload(http, token, "patient_days", "2025-T1", "jh.csv", files.csv(files.PATIENT_DAYS_T1))
    upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1))
    bad_t2 = [files.CONSUMPTION_T1[0], ["0412", "1234567", "", "10", "2025-T2"]]
    upload(
        http,
        token,
        "patient_days",
        "2025-T2",
        "jh2.csv",
        files.csv([[*r[:1], "2025-T2", *r[2:]] if i else r for i, r in enumerate(files.PATIENT_DAYS_T1)]),
    )
    assert upload(http, token, "consumption", "2025-T2", "conso2.xlsx", files.xlsx(bad_t2))["status"] == "NEEDS_CATALOGUE"

    blocked = http.call("POST", f"/api/establishments/{CHU}/periods/2025-T2/close", None, token)
    assert (blocked.status_code, blocked.data["code"]) == (409, "ERR_BLOCKING_CONTROLS")
    assert any(c["severity"] == "bloquant" and "1234567" in str(c["rows"]) for c in blocked.data["details"])

    accepted = http.call("POST", f"/api/establishments/{CHU}/periods/2025-T1/close", None, token)
    assert accepted.status_code == 202, accepted.text
    wait_status(http, token, "2025-T1", "closed")
    lake = platform.services.settings.buckets["lake"]
    closed = platform.services.adapters.objects.list_keys(lake, "closed/")
    assert any(k.startswith("closed/consumption/year=2025/region=52/es=440000990/") for k in closed), closed
    assert wait_mail(http, "clôturée")  # the workflow notifies after the status changed

    refused = http.call(
        "POST",
        f"/api/establishments/{CHU}/uploads",
        {"type": "consumption", "period": "2025-T1", "filename": "c.csv", "size": 5},
        token,
    )
    assert (refused.status_code, refused.data["code"]) == (409, "ERR_PERIOD_CLOSED")
    assert http.call("POST", f"/api/establishments/{CHU}/periods/2025-T1/close", None, token).status_code == 409

    path = f"/api/admin/establishments/{CHU}/periods/2025-T1/reopen"
    assert http.call("POST", path, {"reason": "erreur de saisie"}, token).status_code == 403  # the référent may not
    admin = http.call("POST", "/api/auth/login", {"email": "admin@consores.fr", "password": "Admin-ConsoRes-2026"}).data[
        "id_token"
    ]
    assert http.call("POST", path, {"reason": ""}, admin).status_code == 400
    assert http.call("POST", path, {"reason": "Journées du T1 corrigées par le DIM"}, admin).status_code == 200
    assert period_status(http, token, "2025-T1") == "open"
    assert not [k for k in platform.services.adapters.objects.list_keys(lake, "closed/") if "2025" in k]
    audit = http.call("GET", "/api/admin/audit?since=2000-01-01", None, admin).data
    reopened = [e for e in audit if e["action"] == "period.reopen"]
    assert reopened and reopened[0]["after"]["reason"] == "Journées du T1 corrigées par le DIM"
