"""Handler tests: the real Chalice app through ``chalice.test.Client``, wired by
``bootstrap.install`` to real adapters on the emulator. Every answer is checked against
its route's declared response model (tests/support/contract.py)."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from tests.support.contract import check_answer


class Api:
    def __init__(self, client: Client) -> None:
        self._client = client

    def call(self, method: str, path: str, body=None, token: str | None = None, raw: bytes | None = None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        answer = self._client.http.request(method, path, headers=headers, body=payload)
        answer.json = json.loads(answer.body) if answer.body else None
        check_answer(method, path, answer.status_code, answer.headers.get("Content-Type", ""), answer.body)
        return answer


@pytest.fixture
def api(aws):
    import app

    previous = bootstrap.install(aws.services)
    with Client(app.app) as client:
        yield Api(client)
    bootstrap.install(previous)
