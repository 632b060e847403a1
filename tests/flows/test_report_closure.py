"""Issue "The standard report": closing the year's last period runs the closure workflow's report step
(the embedded Step Functions, the same definition as the cloud's): the report is stored, listed and
downloadable, the members e-mailed a link; a reopening and re-closure makes version 2, version 1 kept."""

from __future__ import annotations

import time

import requests

from tests.flows.conftest import Http
from tests.flows.test_closure import wait_status
from tests.flows.test_imports_one import CHU, referent, upload
from tests.support import files

QUARTERS = ("2025-T1", "2025-T2", "2025-T3", "2025-T4")


def quarter_rows(rows: list[list[str]], quarter: str) -> list[list[str]]:
    return [[quarter if cell == "2025-T1" else cell for cell in row] for row in rows]


def reports(http: Http, token: str) -> list[dict]:
    return http.call("GET", f"/api/establishments/{CHU}/reports", None, token).data


def wait_reports(http: Http, token: str, count: int) -> list[dict]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = reports(http, token)
        if len(found) >= count:
            return found
        time.sleep(0.5)
    raise AssertionError(f"never {count} report(s): {reports(http, token)}")


def mails(http: Http, subject: str) -> list[dict]:
    return [m for m in http.call("GET", "/api/local/mailbox").data if subject in m["subject"]]


def test_the_years_last_closure_makes_a_report_emailed_to_the_members_and_a_reclosure_the_next_version(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    upload(http, token, "beds", "2025", "lits.csv", files.csv(files.BEDS))
    for quarter in QUARTERS:
        upload(http, token, "patient_days", quarter, "jh.csv", files.csv(quarter_rows(files.PATIENT_DAYS_T1, quarter)))
        upload(http, token, "consumption", quarter, "conso.csv", files.csv(quarter_rows(files.CONSUMPTION_T1, quarter)))
    for quarter in QUARTERS[:3]:
        assert http.call("POST", f"/api/establishments/{CHU}/periods/{quarter}/close", None, token).status_code == 202
        wait_status(http, token, quarter, "closed")
    assert reports(http, token) == []  # the year is not complete yet

    # The emulator's mailbox is the process's: other flows of this test worker may have mailed a report 2025 before.
    earlier = len(mails(http, "rapport 2025"))
    assert http.call("POST", f"/api/establishments/{CHU}/periods/2025-T4/close", None, token).status_code == 202
    [first] = wait_reports(http, token, 1)
    assert (first["year"], first["version"]) == (2025, 1) and 3 <= first["pages"] <= 16
    deadline = time.monotonic() + 30
    while len(mails(http, "rapport 2025")) == earlier and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # a second letter, were one sent, would come with the first
    [letter] = mails(http, "rapport 2025")[earlier:]
    assert "claire@chu.fr" in letter["to"] and f"#/etablissements/{CHU}/periodes?annee=2025" in letter["body"]

    answer = http.call("GET", f"/api/establishments/{CHU}/reports/2025.pdf", None, token)
    assert answer.status_code == 200 or answer.status_code == 303
    located = http.session.get(
        f"{http.base}/api/establishments/{CHU}/reports/2025.pdf",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=30,
    ).json()
    pdf = requests.get(located["url"], timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    admin = http.admin_token()
    reopen = f"/api/admin/establishments/{CHU}/periods/2025-T4/reopen"
    assert http.call("POST", reopen, {"reason": "Consommation du T4 corrigée"}, admin).status_code == 200
    assert http.call("POST", f"/api/establishments/{CHU}/periods/2025-T4/close", None, token).status_code == 202
    listed = wait_reports(http, token, 2)
    assert [(r["year"], r["version"]) for r in listed] == [(2025, 2), (2025, 1)]
    earlier = http.session.get(
        f"{http.base}/api/establishments/{CHU}/reports/2025.pdf?version=1",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=30,
    ).json()
    assert earlier["filename"] == f"rapport-{CHU}-2025-v1.pdf"
