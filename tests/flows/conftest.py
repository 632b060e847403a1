from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from infra.local.platform import EmbeddedPlatform, LocalOptions
from tests.support.contract import check_answer

FLOWS = Path(__file__).parent
ADMIN = ("admin@consores.fr", "Admin-ConsoRes-2026")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every flow runs the whole platform (seconds each): all of them are ``slow``."""
    for item in items:
        if FLOWS in item.path.parents:
            item.add_marker(pytest.mark.slow)


class Http:
    """A client of the running platform, as the web client or a script would be. Every answer is
    checked against its route's declared response model (tests/support/contract.py)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self._admin: str | None = None

    def admin_token(self) -> str:
        """The first administrator's (the platform's defaults), once."""
        if self._admin is None:
            answer = self.session.post(f"{self.base}/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}, timeout=30)
            self._admin = answer.json()["id_token"]
        return self._admin

    def call(self, method: str, path: str, body=None, token: str | None = None):
        if token is None and path.startswith("/api/local/"):  # the embedded runtime's tools are the administrator's
            token = self.admin_token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = self.session.request(method, self.base + path, json=body, headers=headers, timeout=30)
        answer.data = (
            answer.json() if answer.content and answer.headers.get("Content-Type", "").startswith("application/json") else None
        )
        api = answer.history[0] if answer.history else answer  # the API's own answer (a 303 followed to its file)
        check_answer(method, path, api.status_code, api.headers.get("Content-Type", ""), api.content)
        return answer

    def annotated_report(self, finess: str, upload_id: str, token: str, within: float = 300.0) -> requests.Response:
        """Download an upload's annotated report as a script would: ask, wait ``Retry-After`` while it is
        prepared (202), then follow the 303 to the file. The answers' statuses are in ``.statuses``."""
        import time

        url = f"{self.base}/api/establishments/{finess}/uploads/{upload_id}/report.xlsx"
        statuses: list[int] = []
        deadline = time.monotonic() + within
        while True:
            answer = self.session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30, allow_redirects=False)
            statuses.append(answer.status_code)
            if answer.status_code != 202 or time.monotonic() > deadline:
                break
            time.sleep(float(answer.headers.get("Retry-After", "1")) / 4)
        if answer.status_code == 303:
            answer = requests.get(answer.headers["Location"], timeout=60)  # presigned: no token
        answer.statuses = statuses  # type: ignore[attr-defined]
        return answer

    def mailbox_code(self, address: str) -> str:
        import re

        mails = [m for m in self.call("GET", "/api/local/mailbox").data if address in m["to"]]
        found = re.search(r"\b(\d{6})\b", mails[-1]["body"])
        assert found, mails[-1]
        return found.group(1)


def start_platform(data_dir: Path, demo: bool = False, prefix: str | None = None) -> EmbeddedPlatform:
    options = LocalOptions(data_dir=data_dir, port=0, demo=demo, ticker=False, prefix=prefix or f"f{uuid.uuid4().hex[:8]}")
    platform = EmbeddedPlatform(options)
    platform.start()
    return platform


@pytest.fixture
def platform(tmp_path):
    running = start_platform(tmp_path / "data")
    yield running
    running.stop()


@pytest.fixture
def http(platform):
    return Http(platform.url)


__all__ = ["Http", "replace", "start_platform"]
