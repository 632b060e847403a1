"""A kill -9 of ``python -m infra.local`` (what ``make run`` starts) loses nothing the platform had
acknowledged (DOMAIN.md §10.2)."""

from __future__ import annotations

import os
import re
import signal
import time
from typing import Any

import pytest
import requests

from tests.flows.test_run_command import free_port, start, stop
from tests.support import files

ADMIN = {"email": "admin@consores.fr", "password": "Admin-ConsoRes-2026"}
ME = {"email": "claire@chu.fr", "password": "Pass-word-2026"}
CHU = "440000990"


def api(base: str, method: str, path: str, token: str | None = None, body: object = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{base}/api{path}", json=body, headers=headers, timeout=60)


def a_referent(base: str) -> str:
    admin = api(base, "POST", "/auth/login", body=ADMIN).json()["id_token"]
    api(base, "POST", "/admin/establishments", admin, {"finess": CHU, "name": "CHU", "category": "CHU", "region": "52"})
    api(base, "POST", "/auth/signup", body={**ME, "first_name": "Claire", "last_name": "M"})
    mails = api(base, "GET", "/local/mailbox", admin).json()
    code = re.search(r"\b(\d{6})\b", [m for m in mails if ME["email"] in m["to"]][-1]["body"]).group(1)
    api(base, "POST", "/auth/confirm", body={"email": ME["email"], "code": code})
    token = api(base, "POST", "/auth/login", body=ME).json()["id_token"]
    api(base, "POST", f"/establishments/{CHU}/access-requests", token, {"charter_accepted": True, "direction_email": "d@chu.fr"})
    return token


def started(tmp_path, monkeypatch) -> tuple[int, str, Any]:
    """The platform without demo data, on a free port and a data directory of the test: port, base URL, process."""
    monkeypatch.setenv("CONSORES_DEMO", "0")
    port = free_port()
    process, _ = start(tmp_path / "data", port)
    return port, f"http://127.0.0.1:{port}", process


def send_structure(base: str, token: str, filename: str, content: bytes) -> str:
    """Ask for the upload of a structure file of 2025 and send it to the bucket; the upload's id."""
    wanted = {"type": "structure", "period": "2025", "filename": filename, "size": len(content)}
    asked = api(base, "POST", f"/establishments/{CHU}/uploads", token, wanted).json()
    post = asked["post"]
    sent = requests.post(post["url"], data=post["fields"], files={"file": (filename, content)}, timeout=60)
    assert sent.status_code in (200, 204)
    return asked["upload_id"]


@pytest.mark.slow
def test_what_was_acknowledged_survives_a_kill_9(tmp_path, monkeypatch):
    port, base, process = started(tmp_path, monkeypatch)
    try:
        token = a_referent(base)
        upload_id = send_structure(base, token, "structure.csv", files.csv(files.STRUCTURE))
        deadline, seen = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            seen = api(base, "GET", f"/establishments/{CHU}/uploads/{upload_id}", token).json()
            if seen["status"] not in ("PENDING", "PROCESSING"):
                break
            time.sleep(0.05)
        assert seen["status"] == "VALIDATED"  # acknowledged...
    finally:
        os.kill(process.pid, signal.SIGKILL)  # ...then killed at once: nothing saved on the way out
        process.wait(timeout=30)

    process, _ = start(tmp_path / "data", port)
    try:
        token = api(base, "POST", "/auth/login", body=ME).json()["id_token"]
        again = api(base, "GET", f"/establishments/{CHU}/uploads/{upload_id}", token).json()
        assert again["status"] == "VALIDATED"
        units = api(base, "GET", f"/establishments/{CHU}/units", token)
        assert units.status_code == 200 and "0412" in units.text
    finally:
        stop(process)
    assert process.returncode == 0


def _drain(process) -> None:
    """Read the platform's output so that its pipe never fills (a full pipe would stall it)."""
    import threading

    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()


def _kill_9(process) -> None:
    """Killed at once: nothing saved on the way out."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _started_again(tmp_path, port: int):
    """The next start on the same data, its output drained; the new process."""
    process, _ = start(tmp_path / "data", port)
    _drain(process)
    return process


def _units(base: str, token: str) -> set[str]:
    return {u["code_uf"] for u in api(base, "GET", f"/establishments/{CHU}/units", token).json()}


@pytest.mark.slow
def test_a_kill_9_in_the_middle_of_an_import_leaves_the_old_data_or_the_new_never_a_mix(tmp_path, monkeypatch):
    port, base, process = started(tmp_path, monkeypatch)
    _drain(process)
    header = files.STRUCTURE[0]
    new = [header, *[[f"{7000 + n:04d}"[-4:] + f"{n:03d}", f"Unité {n}", "03", "38", "", ""] for n in range(3000)]]
    try:
        token = a_referent(base)
        first = send_structure(base, token, "s1.csv", files.csv(files.STRUCTURE))
        deadline = time.monotonic() + 60
        while api(base, "GET", f"/establishments/{CHU}/uploads/{first}", token).json()["status"] != "VALIDATED":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        old = _units(base, token)
        content = files.csv(new)
        second = send_structure(base, token, "s2.csv", content)
        deadline, status = time.monotonic() + 60, "PENDING"
        while status == "PENDING" and time.monotonic() < deadline:
            status = api(base, "GET", f"/establishments/{CHU}/uploads/{second}", token).json()["status"]
            time.sleep(0.02)
        assert status == "PROCESSING", "the import must be caught while it runs"
    finally:
        _kill_9(process)

    process = _started_again(tmp_path, port)
    try:
        token = api(base, "POST", "/auth/login", body=ME).json()["id_token"]
        after = api(base, "GET", f"/establishments/{CHU}/uploads/{second}", token).json()
        units = _units(base, token)
        assert after["status"] in ("FAILED", "VALIDATED"), after  # settled at restart, never stuck
        if after["status"] == "FAILED":
            assert units == old, "a failed import changes nothing"
            assert "interrompu" in after["report"]["errors"][0]["message"]
        else:
            assert units == {row[0] for row in new[1:]}, "a validated import is whole"
        again = api(base, "POST", f"/establishments/{CHU}/uploads", token,
                    {"type": "structure", "period": "2025", "filename": "s3.csv", "size": len(content)})  # fmt: skip
        assert again.status_code == 201, again.text  # it can be sent again
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


@pytest.mark.slow
def test_a_kill_9_while_the_demo_years_reports_are_made_has_them_made_at_the_next_start(tmp_path):
    """The demo closes three years before it answers; each closure's workflow then makes the year's report.
    Killed then, those executions die with the process: the next start runs them again (workflows.py)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, _ = start(tmp_path / "data", port)
    _drain(process)
    login = {"email": "referent@ch-bretagne-demo.fr", "password": "Demo-ConsoRes-2026"}
    try:
        token = api(base, "POST", "/auth/login", body=login).json()["id_token"]
        made = api(base, "GET", "/establishments/350000998/reports", token).json()
        assert made == [], "the kill must come while the reports are made"
    finally:
        _kill_9(process)

    process = _started_again(tmp_path, port)
    try:
        token = api(base, "POST", "/auth/login", body=login).json()["id_token"]
        deadline, made = time.monotonic() + 240, []
        while not made and time.monotonic() < deadline:
            made = api(base, "GET", "/establishments/350000998/reports", token).json()
            time.sleep(0.5)
        assert [(r["year"], r["version"]) for r in made] == [(2025, 1)]
        periods = api(base, "GET", "/establishments/350000998/periods?year=2025", token).json()
        assert {p["period"]: p["status"] for p in periods}["2025"] == "closed"
    finally:
        stop(process)
    assert process.returncode == 0
