"""The embedded runtime's port answers nothing anonymously that it should not (DOMAIN.md §10.1, API.md)."""

from __future__ import annotations

import os

import requests


def test_the_mailbox_and_the_schedules_are_the_administrators(http):
    base = http.base
    assert requests.get(f"{base}/api/local/mailbox", timeout=10).status_code == 401
    assert requests.post(f"{base}/api/local/schedules/purge_expired_codes/run", timeout=10).status_code == 401
    assert http.call("GET", "/api/local/mailbox").status_code == 200  # with the administrator's token


def test_the_s3_path_lists_nothing_and_accepts_no_planted_object(http, platform):
    base = f"{http.base}/_s3"
    lake = platform.env["CONSORES_BUCKET_LAKE"]
    for answer in (
        requests.get(f"{base}/", timeout=10),
        requests.get(f"{base}/{lake}?list-type=2", timeout=10),
        requests.put(f"{base}/{lake}/lake/consumption/year=2025/region=52/es=440000990/planted.parquet", data=b"x", timeout=10),
        requests.post(f"{base}/{lake}", files={"key": (None, "lake/planted.parquet"), "file": ("p", b"x")}, timeout=10),
        requests.delete(f"{base}/{lake}/anything", timeout=10),
    ):
        assert answer.status_code == 403, answer.text
        assert "refusé" in answer.text or "invalide" in answer.text
    keys = platform.services.adapters.objects.list_keys(lake, "lake/")
    assert not [key for key in keys if "planted" in key]


def test_the_platform_is_wired_from_its_own_settings_not_from_the_process_environment(platform):
    assert not [name for name, value in os.environ.items() if value in (platform.env["CONSORES_BUCKET_LAKE"], platform.url)]
    assert platform.services.settings == platform.settings
    assert platform.services.settings.buckets["lake"] == platform.env["CONSORES_BUCKET_LAKE"]


def test_a_path_the_api_does_not_have_answers_404_in_french_with_or_without_a_token(http):
    token = http.admin_token()
    for method, path, headers in (
        ("GET", "/api/nulle-part", {}),
        ("POST", "/api/establishments/440000990/nulle-part", {"Authorization": f"Bearer {token}"}),
        ("GET", "/api", {}),
        ("DELETE", "/api/health", {}),  # a path the API has, with a method it has not (API Gateway: the same)
    ):
        answer = requests.request(method, http.base + path, headers=headers, json={"a": 1}, timeout=10)
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["code"] == "ERR_NOT_FOUND" and "Adresse inconnue" in answer.json()["message"]
    assert requests.get(f"{http.base}/api/health", timeout=10).status_code == 200  # a known one still answers
