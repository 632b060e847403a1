"""Issue 7: on the embedded platform with the demo year imported and closed, the national
team exports it to the ECDC format through the API: no blocking error, both files
downloadable and read back valid, an e-mail in the mailbox, nothing personal anywhere."""

from __future__ import annotations

import json
import time

import pytest
import requests

from chalicelib.adapters import tessy_csv
from chalicelib.domain.tessy.validate import validate
from tests.flows.conftest import Http, start_platform

#: The module shares one demo platform: its tests run one after the other on one worker, never between
#: another module's (a platform stopping resets the process's services, which this one's requests use).
pytestmark = pytest.mark.xdist_group("demo-ears-net")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    running = start_platform(tmp_path_factory.mktemp("ears-net") / "data", demo=True)
    yield running
    running.stop()


def login(http: Http, email: str, password: str = "Demo-ConsoRes-2026") -> str:
    return http.call("POST", "/api/auth/login", {"email": email, "password": password}).data["id_token"]


def exported(http: Http, token: str, year: int = 2025) -> dict:
    """Launch an export (202, running: it has a workflow of its own) and follow it until it is done."""
    answer = http.call("POST", "/api/admin/exports/ears-net", {"year": year}, token)
    assert answer.status_code == 202 and answer.data["export_id"], answer.text
    for _ in range(300):
        found = http.call("GET", f"/api/admin/exports/ears-net/{answer.data['export_id']}", None, token).data
        if found["status"] != "running":
            return found
        time.sleep(0.2)
    raise AssertionError(f"export {answer.data['export_id']} still running")


@pytest.mark.slow
def test_the_national_team_exports_the_closed_demo_year(demo):
    http = Http(demo.url)
    national = login(http, "national@sante-demo.fr")
    referent = login(http, "referent@chu-demo.fr")
    assert http.call("POST", "/api/admin/exports/ears-net", {"year": 2025}, referent).status_code == 403
    refused = http.call("POST", "/api/admin/exports/ears-net", {"year": 2024}, national)
    assert (refused.status_code, refused.data["code"]) == (409, "ERR_NO_CLOSED_DATA")

    export = exported(http, national)
    assert export["status"] == "published"
    assert export["validation"] == {"errors": 0, "warnings": export["validation"]["warnings"], "ignored": 0}
    assert export["counts"]["isolates"] > 0 and export["counts"]["amrcover_records"] == 1

    amrtest = requests.get(export["files"]["amrtest"], timeout=30)
    amrcover = requests.get(export["files"]["amrcover"], timeout=30)
    assert amrtest.status_code == amrcover.status_code == 200
    records = tessy_csv.read_amrtest(amrtest.content)
    cover = tessy_csv.read_amrcover(amrcover.content)
    assert len(records) == export["counts"]["amrtest_records"]
    assert validate([*records, *cover]).errors == ()  # the round trip: what is downloaded passes the rules
    assert {r.laboratory_code for r in records} == {"FR001"} and {r.specimen for r in records} <= {"BLOOD", "CSF"}

    later = http.call("GET", f"/api/admin/exports/ears-net/{export['export_id']}", None, national).data
    assert (later["status"], later["counts"]) == ("published", export["counts"])
    assert [e["export_id"] for e in http.call("GET", "/api/admin/exports/ears-net", None, national).data] == [
        export["export_id"]
    ]
    mails = [m for m in http.call("GET", "/api/local/mailbox").data if "EARS-Net 2025" in m["subject"]]
    assert mails and "national@sante-demo.fr" in mails[-1]["to"] and "publié" in mails[-1]["subject"]

    # Nothing personal leaves: no pseudonym of the lake in the files, the answers or the e-mail.
    lake = demo.services.settings.buckets["lake"]
    keys = demo.services.adapters.objects.list_keys(lake, "closed/isolates/year=2025/")
    pseudonyms = {row["pseudonym"] for key in keys for row in demo.services.adapters.lake_reader.rows(lake, key)}
    assert pseudonyms
    leaving = amrtest.text + amrcover.text + json.dumps(export) + json.dumps(later) + mails[-1]["body"]
    assert not [p for p in pseudonyms if p in leaving or p[:12] in leaving]

    # The yearly job sees 2025 exported already: nothing more leaves.
    job = http.call("POST", "/api/local/schedules/export_ears_net/run")
    assert job.status_code == 200 and job.data["result"]["exported"] is None, job.text


@pytest.mark.slow
def test_a_reopened_establishment_is_withdrawn_with_delete_at_the_next_export(demo):
    http = Http(demo.url)
    national = login(http, "national@sante-demo.fr")
    first = exported(http, national)
    before = tessy_csv.read_amrtest(requests.get(first["files"]["amrtest"], timeout=30).content)
    live = {r.record_id: r for r in before if r.status != "DELETE"}
    reopened = http.call(
        "POST", "/api/admin/establishments/440000990/periods/2025/reopen", {"reason": "Antibiogrammes à corriger"}, national
    )
    assert reopened.status_code == 200, reopened.text

    again = exported(http, national)
    assert again["status"] == "published"
    after = tessy_csv.read_amrtest(requests.get(again["files"]["amrtest"], timeout=30).content)
    deleted = [r for r in after if r.status == "DELETE"]
    assert deleted and {r.hospital_id for r in deleted} == {"440000990"}
    assert {r.record_id for r in deleted} == {i for i, r in live.items() if r.hospital_id == "440000990"}
    kept = {r.record_id: r.patient_counter for r in after if r.status != "DELETE"}
    assert kept and all(live[i].patient_counter == n for i, n in kept.items())  # same RecordIds, same counters
    assert again["counts"]["deleted"] == len(deleted) and again["counts"]["new"] == 0
