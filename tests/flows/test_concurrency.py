"""Concurrent requests to the embedded runtime never see each other's caller or query."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.flows.conftest import Http


def test_parallel_callers_each_get_their_own_answer(platform, http: Http):
    identity = platform.services.adapters.identity
    from chalicelib.domain.codes import Email

    tokens = {}
    for n in range(6):
        email = f"user{n}@chu.fr"
        identity.sign_up(Email(email), "Pass-word-2026", f"P{n}", "Test")
        identity.confirm(Email(email))
        tokens[email] = http.call("POST", "/api/auth/login", {"email": email, "password": "Pass-word-2026"}).data["id_token"]

    def me(email: str) -> tuple[str, str]:
        return email, Http(platform.url).call("GET", "/api/me", None, tokens[email]).data["email"]

    def region(code: str) -> tuple[str, object]:
        return code, Http(platform.url).call("GET", f"/api/establishments?region={code}").status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(me, list(tokens) * 8))
        statuses = list(pool.map(region, ["52", "99", "53", "99"] * 60))
    assert all(asked == got for asked, got in answers)
    assert all(status == (400 if code == "99" else 200) for code, status in statuses)


def test_a_long_report_is_prepared_once_in_the_background_and_holds_no_request_back(platform, http: Http):
    """A refused file of 30,000 rows takes seconds to annotate: the route answers at once (202, then 303
    to the stored file), the platform answers meanwhile, and two callers asking at once make one file."""
    import threading
    import time

    from tests.flows.test_imports_one import CHU, referent, upload
    from tests.support import files

    token = referent(http)
    rows = [["code_uf", "annee", "lits"], *[[f"9{n:04d}", "2025", "x"] for n in range(30_000)]]
    rejected = upload(http, token, "beds", "2025", "lits.csv", files.csv(rows))
    assert rejected["status"] == "REJECTED"
    route = f"{platform.url}/api/establishments/{CHU}/uploads/{rejected['upload_id']}/report.xlsx"
    asked: list[tuple[int, float]] = []

    def ask() -> None:
        start = time.monotonic()
        answer = Http(platform.url).session.get(
            route, headers={"Authorization": f"Bearer {token}"}, timeout=30, allow_redirects=False
        )
        asked.append((answer.status_code, time.monotonic() - start))

    callers = [threading.Thread(target=ask) for _ in range(2)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert [status for status, _ in asked] == [202, 202] and max(took for _, took in asked) < 5
    start = time.monotonic()
    assert Http(platform.url).call("GET", "/api/health").status_code == 200
    assert time.monotonic() - start < 2  # while the report is being written
    report = http.annotated_report(CHU, rejected["upload_id"], token)
    assert report.status_code == 200 and report.content[:2] == b"PK"
    import boto3

    sfn = boto3.client("stepfunctions", endpoint_url=platform.emulator.url, region_name="eu-west-3")
    name = f"{platform.options.prefix}-annotated_report"
    [machine] = [m for m in sfn.list_state_machines()["stateMachines"] if m["name"] == name]
    assert len(sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]) == 1  # produced once
