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


def test_a_long_report_download_holds_no_other_request_back(platform, http: Http):
    """A rejected file of 30,000 rows takes seconds to annotate; the platform answers meanwhile."""
    import threading
    import time

    from tests.flows.test_imports_one import CHU, referent, upload
    from tests.support import files

    token = referent(http)
    rows = [["code_uf", "annee", "lits"], *[[f"9{n:04d}", "2025", "x"] for n in range(30_000)]]
    rejected = upload(http, token, "beds", "2025", "lits.csv", files.csv(rows))
    assert rejected["status"] == "REJECTED"
    finished: dict[str, float] = {}

    def download() -> None:
        answer = Http(platform.url).session.get(
            f"{platform.url}/api/establishments/{CHU}/uploads/{rejected['upload_id']}/report.xlsx",
            headers={"Authorization": f"Bearer {token}"}, timeout=300,
        )  # fmt: skip
        assert answer.status_code == 200
        finished["report"] = time.monotonic()

    started = threading.Thread(target=download)
    started.start()
    time.sleep(0.5)
    assert Http(platform.url).call("GET", "/api/health").status_code == 200
    finished["health"] = time.monotonic()
    started.join()
    assert finished["health"] < finished["report"]
