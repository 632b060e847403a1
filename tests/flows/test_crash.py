"""A kill -9 of ``python -m infra.local`` (what ``make run`` starts) loses nothing the platform had
acknowledged (DOMAIN.md §10.2)."""

from __future__ import annotations

import os
import re
import signal
import time

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


@pytest.mark.slow
def test_what_was_acknowledged_survives_a_kill_9(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSORES_DEMO", "0")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, _ = start(tmp_path / "data", port)
    try:
        token = a_referent(base)
        content = files.csv(files.STRUCTURE)
        wanted = {"type": "structure", "period": "2025", "filename": "structure.csv", "size": len(content)}
        asked = api(base, "POST", f"/establishments/{CHU}/uploads", token, wanted).json()
        post = asked["post"]
        sent = requests.post(post["url"], data=post["fields"], files={"file": ("structure.csv", content)}, timeout=60)
        assert sent.status_code in (200, 204)
        deadline, seen = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            seen = api(base, "GET", f"/establishments/{CHU}/uploads/{asked['upload_id']}", token).json()
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
        again = api(base, "GET", f"/establishments/{CHU}/uploads/{asked['upload_id']}", token).json()
        assert again["status"] == "VALIDATED"
        units = api(base, "GET", f"/establishments/{CHU}/units", token)
        assert units.status_code == 200 and "0412" in units.text
    finally:
        stop(process)
    assert process.returncode == 0
