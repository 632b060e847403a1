"""``python -m infra.local`` (what ``make run`` starts) as a newcomer sees it:
demo data, the web client and the API on one port, a clean stop on SIGTERM,
and everything still there at the next start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data_dir: Path, port: int) -> tuple[subprocess.Popen, list[str]]:
    env = {**os.environ, "CONSORES_DATA_DIR": str(data_dir), "CONSORES_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    for key in [k for k in env if k.startswith("CONSORES_") and k not in {"CONSORES_DATA_DIR", "CONSORES_PORT", "CONSORES_DEMO"}]:
        del env[key]
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    # The demo's year goes through the real path before the banner (about 40 s on a quiet machine): a
    # machine running other tests at once may take several times that.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise AssertionError("the platform exited:\n" + "".join(lines))
        lines.append(line)
        if "Ctrl+C" in line:
            return process, lines
    process.kill()
    raise AssertionError("the platform did not start in time:\n" + "".join(lines))


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    # Stopping waits (at most 120 s, infra/local/platform.py) for running workflows, such as the demo's
    # report steps on a loaded machine, then saves: give it that bound and the save.
    output, _ = process.communicate(timeout=180)
    return output


@pytest.mark.slow
def test_run_starts_with_demo_data_stops_cleanly_and_restores(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process, lines = start(tmp_path / "data", port)
    try:
        banner = "".join(lines)
        assert f"ConsoRes tourne sur {base}" in banner
        assert "referent@chu-demo.fr / Demo-ConsoRes-2026" in banner and "(nouvelles)" in banner
        home = requests.get(base + "/", timeout=10)
        assert home.status_code == 200 and 'lang="fr"' in home.text.replace("'", '"')
        token = requests.post(
            base + "/api/auth/login", json={"email": "referent@chu-demo.fr", "password": "Demo-ConsoRes-2026"}, timeout=10
        ).json()["id_token"]
        me = requests.get(base + "/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert me["memberships"][0] == {"finess": "440000990", "name": "CHU Loire-Atlantique (démo)", "status": "referent"}
        pending = requests.get(
            base + "/api/establishments/440000990/access-requests?status=pending",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        ).json()
        assert [r["email"] for r in pending] == ["demandeur@chu-demo.fr"]
        uploads = requests.get(
            base + "/api/establishments/440000990/uploads", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()
        assert len(uploads) == 14  # a year through the real path, its antibiograms quarter by quarter
        assert [u["status"] for u in uploads if u["type"] == "resistance"] == ["DEDUPLICATED"] * 4
        assert {u["status"] for u in uploads if u["type"] != "resistance"} == {"VALIDATED"}
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert "Arrêté." in output
    assert (tmp_path / "data" / "emulator.pickle").exists()

    process, lines = start(tmp_path / "data", port)
    try:
        assert "(restaurées)" in "".join(lines)
        token = requests.post(
            base + "/api/auth/login", json={"email": "contributeur@chu-demo.fr", "password": "Demo-ConsoRes-2026"}, timeout=10
        ).json()["id_token"]
        me = requests.get(base + "/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert me["memberships"][0]["status"] == "contributeur"
    finally:
        stop(process)
    assert process.returncode == 0


def test_an_empty_platform_starts_without_demo_data(tmp_path, monkeypatch):
    port = free_port()
    monkeypatch.setenv("CONSORES_DEMO", "0")
    process, lines = start(tmp_path / "data", port)
    try:
        assert "referent@chu-demo.fr" not in "".join(lines)
        assert requests.get(f"http://127.0.0.1:{port}/api/establishments", timeout=10).json() == []
    finally:
        stop(process)
