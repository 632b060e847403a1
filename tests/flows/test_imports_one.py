"""Issue "Imports I", done-when: the four consumption-side files go through the
presigned POST, the S3 event and on_upload, and land as reports and Parquet."""

from __future__ import annotations

import io
import time

import duckdb
import requests

from infra.local import lambda_hook
from tests.flows.conftest import Http
from tests.support import files

ADMIN = ("admin@consores.fr", "Admin-ConsoRes-2026")
CHU = "440000990"


def referent(http: Http) -> str:
    admin = http.call("POST", "/api/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}).data["id_token"]
    http.call("POST", "/api/admin/establishments", {"finess": CHU, "name": "CHU", "category": "CHU", "region": "52"}, admin)
    http.call(
        "POST",
        "/api/auth/signup",
        {"email": "claire@chu.fr", "password": "Pass-word-2026", "first_name": "Claire", "last_name": "M"},
    )
    http.call("POST", "/api/auth/confirm", {"email": "claire@chu.fr", "code": http.mailbox_code("claire@chu.fr")})
    token = http.call("POST", "/api/auth/login", {"email": "claire@chu.fr", "password": "Pass-word-2026"}).data["id_token"]
    http.call(
        "POST", f"/api/establishments/{CHU}/access-requests", {"charter_accepted": True, "direction_email": "d@chu.fr"}, token
    )
    return token


def upload(http: Http, token: str, file_type: str, period: str, filename: str, content: bytes) -> dict:
    created = http.call(
        "POST",
        f"/api/establishments/{CHU}/uploads",
        {"type": file_type, "period": period, "filename": filename, "size": len(content)},
        token,
    )
    assert created.status_code == 201, created.text
    post = created.data["post"]
    assert post["url"].startswith(http.base + "/_s3/")  # same origin as the web client
    sent = requests.post(post["url"], data=post["fields"], files={"file": (filename, content)}, timeout=60)
    assert sent.status_code in (200, 204), sent.text
    lambda_hook.drain()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = http.call("GET", f"/api/establishments/{CHU}/uploads/{created.data['upload_id']}", None, token).data
        if answer["status"] not in ("PENDING", "PROCESSING"):
            return answer
        time.sleep(0.2)
    raise AssertionError("the upload was never processed")


def lake_rows(platform, dataset: str) -> list[tuple]:
    services = platform.services
    bucket = services.settings.buckets["lake"]
    keys = services.adapters.objects.list_keys(bucket, f"lake/{dataset}/")
    assert len(keys) == 1, keys
    data = services.adapters.objects.get(bucket, keys[0])
    path = f"/tmp/{dataset}-{time.monotonic_ns()}.parquet"
    with open(path, "wb") as handle:
        handle.write(data)
    return duckdb.sql(f"SELECT * FROM '{path}' ORDER BY ALL").fetchall()


def test_the_four_files_arrive_through_the_presigned_post_and_land_in_the_lake(platform, http):
    token = referent(http)
    structure = upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    assert structure["status"] == "VALIDATED", structure["report"]
    beds = upload(http, token, "beds", "2025", "lits.xlsx", files.xlsx(files.BEDS))
    assert beds["status"] == "VALIDATED", beds["report"]
    days = upload(http, token, "patient_days", "2025-T1", "jh T1.csv", files.csv(files.PATIENT_DAYS_T1, encoding="cp1252"))
    assert days["status"] == "VALIDATED", days["report"]
    assert days["report"]["summary"]["patient_days_total"] == 4850
    conso = upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1))
    assert conso["status"] == "VALIDATED", conso["report"]
    summary = conso["report"]["summary"]
    assert summary["ddd_by_atc"] == files.CONSUMPTION_T1_DDD
    assert summary["ddd_total"] == 235.0

    consumption = lake_rows(platform, "consumption")
    assert [(r[2], r[7], float(r[12])) for r in consumption] == [
        ("0412", "J01CR02", 200.0),
        ("1204", "J01CA04", 30.0),
        ("8001", "J01DD04", 5.0),
    ]
    assert {(r[13], r[14]) for r in consumption} == {(2024, "local")}  # WHO table and catalogue versions used
    theatre = next(r for r in consumption if r[2] == "8001")
    assert (theatre[3], theatre[5]) == ("CHIR", "1204")  # reallocated to the care UF with the same DE
    assert len(lake_rows(platform, "structure")) == 4
    uploads = platform.services.adapters.objects.list_keys(platform.services.settings.buckets["raw"], "uploads/")
    assert uploads == []  # accepted raw files are deleted


def test_a_rejected_file_reports_every_problem_and_keeps_the_previous_data(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    good = upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1))
    bad_rows = [*files.CONSUMPTION_T1, ["9999", "0900011", "", "10", "2025-T1"], ["0412", "1234567", "", "abc", "2025-T1"]]
    bad = upload(http, token, "consumption", "2025-T1", "conso2.xlsx", files.xlsx(bad_rows))
    assert bad["status"] == "REJECTED"
    problems = {(e["row"], e["code"]) for e in bad["report"]["errors"]}
    assert (5, "uf.unknown") in problems
    assert any(row == 6 and code.startswith("ucd") for row, code in problems)
    assert any(row == 6 and code.startswith(("quantity", "number")) for row, code in problems)
    assert bad["report"]["summary"]["unknown_ucds"] == ["1234567"]
    report = http.annotated_report(CHU, bad["upload_id"], token)
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert report.statuses[0] == 202 and report.statuses[-1] == 303  # prepared in the background, then served
    assert 'filename="rapport-consumption-2025-T1-' in report.headers.get("Content-Disposition", "")
    from openpyxl import load_workbook

    assert "Problèmes" in load_workbook(io.BytesIO(report.content)).sheetnames
    current = platform.services.adapters.uploads.current(good_finess(), "consumption", "2025-T1")
    assert current.upload_id == good["upload_id"]  # the earlier upload still holds the data


def good_finess():
    from chalicelib.domain.codes import Finess

    return Finess(CHU)


def test_a_later_upload_replaces_the_earlier_one_whole(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    first = upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1))
    second = upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1[:2]))
    assert (first["status"], second["status"]) == ("VALIDATED", "VALIDATED")
    rows = lake_rows(platform, "consumption")  # exactly one file remains: the second
    assert {r[-1] for r in rows} == {second["upload_id"]}


def test_a_period_of_the_wrong_periodicity_is_refused_before_upload(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    yearly = [files.PATIENT_DAYS_T1[0], ["0412", "2025", "9000", "1200"]]
    assert upload(http, token, "patient_days", "2025", "jh.csv", files.csv(yearly))["status"] == "VALIDATED"
    answer = http.call(
        "POST",
        f"/api/establishments/{CHU}/uploads",
        {"type": "consumption", "period": "2025-T1", "filename": "c.xlsx", "size": 10},
        token,
    )
    assert (answer.status_code, answer.data["code"]) == (400, "ERR_PERIODICITY")


def test_a_year_file_holding_its_quarters_is_imported_as_four_quarters_and_a_refused_one_changes_no_setting(
    platform, http
):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    quarters = [f"2025-T{q}" for q in (1, 2, 3, 4)]
    rows = [files.PATIENT_DAYS_T1[0], *[[uf, q, "2000", "300"] for q in quarters for uf in ("0412", "1204")]]
    settings = f"/api/establishments/{CHU}/settings/2025"

    refused = upload(http, token, "patient_days", "2025", "jh 2025.xlsx", files.xlsx([*rows, ["0412", "2025-T2", "x", ""]]))
    assert refused["status"] == "REJECTED"
    assert http.call("GET", settings, None, token).data == {"antifungals_reported": True}  # the refused file chose nothing

    accepted = upload(http, token, "patient_days", "2025", "jh 2025.xlsx", files.xlsx(rows))
    assert accepted["status"] == "VALIDATED", accepted["report"]
    assert accepted["report"]["summary"]["periods"] == quarters
    assert http.call("GET", settings, None, token).data == {"consumption_periodicity": "quarter", "antifungals_reported": True}
    finess = good_finess()
    pointers = [platform.services.adapters.uploads.current(finess, "patient_days", q) for q in quarters]
    assert [p.upload_id for p in pointers] == [accepted["upload_id"]] * 4
    listed = http.call("GET", f"/api/establishments/{CHU}/uploads?type=patient_days", None, token).data
    assert [(u["status"], u.get("periods")) for u in listed] == [("VALIDATED", quarters), ("REJECTED", None)]
    controls = http.call("GET", f"/api/establishments/{CHU}/controls?year=2025", None, token).data
    missing = [row for c in controls if c["id"] == "periods_missing" for row in c["rows"]]
    assert sorted((row["fichier"], row["periode"]) for row in missing) == [("consommation", q) for q in quarters]


def test_controls_of_the_year_follow_the_imported_files(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    upload(http, token, "beds", "2025", "lits.xlsx", files.xlsx(files.BEDS))
    upload(http, token, "patient_days", "2025-T1", "jh.csv", files.csv(files.PATIENT_DAYS_T1))
    upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1))
    controls = http.call("GET", f"/api/establishments/{CHU}/controls?year=2025", None, token).data
    by_id = {c["id"]: c for c in controls}
    missing = [c for c in controls if "missing" in c["id"] and "period" in c["id"]]
    assert missing and all(c["severity"] == "bloquant" for c in missing)
    # UF 0997 has patient-days but no consumption in T1: a warning naming it.
    without = [c for c in controls if "without_consumption" in c["id"] or "no_consumption" in c["id"]]
    assert any(any(r.get("code_uf") == "0997" or r.get("uf") == "0997" for r in c["rows"]) for c in without), by_id.keys()
    assert all(set(c) == {"id", "severity", "message", "period", "count", "rows"} for c in controls)
    assert http.call("GET", f"/api/establishments/{CHU}/controls", None, token).status_code == 400


def test_a_refused_file_never_blocks_a_period_whose_accepted_file_is_current(platform, http):
    token = referent(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    upload(http, token, "patient_days", "2025-T1", "jh.csv", files.csv(files.PATIENT_DAYS_T1))
    assert upload(http, token, "consumption", "2025-T1", "conso.xlsx", files.xlsx(files.CONSUMPTION_T1))["status"] == "VALIDATED"
    unknown = [files.CONSUMPTION_T1[0], ["0412", "1234567", "", "10", "2025-T1"], ["0412", "0900011", "", "abc", "2025-T1"]]
    assert upload(http, token, "consumption", "2025-T1", "conso2.xlsx", files.xlsx(unknown))["status"] == "REJECTED"
    controls = http.call("GET", f"/api/establishments/{CHU}/controls?year=2025", None, token).data
    assert not [c for c in controls if c["id"] == "ucd_unresolved"]
