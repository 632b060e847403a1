"""The client's address the per-client limits count by: API Gateway's source address, or, behind the stage's
CloudFront distribution, the viewer's it sends, believed only from a request carrying the stage's secret."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.domain.client_address import ORIGIN_HEADER, VIEWER_ADDRESS_HEADER, client_address
from tests.fakes.wiring import fake_world

SECRET = "k3VtUq8dWcE2pLr9ZyXa"
CLOUDFRONT, VIEWER, ANOTHER_VIEWER = "130.176.1.1", "203.0.113.7", "198.51.100.20"


def test_without_a_distribution_in_front_the_address_is_the_gateways_whatever_the_headers() -> None:
    headers = {ORIGIN_HEADER: "", VIEWER_ADDRESS_HEADER: VIEWER}
    assert client_address("192.0.2.1", headers, origin_secret="") == "192.0.2.1"


def test_a_request_carrying_the_stages_secret_counts_under_the_viewers_address() -> None:
    headers = {ORIGIN_HEADER: SECRET, VIEWER_ADDRESS_HEADER: VIEWER}
    assert client_address(CLOUDFRONT, headers, origin_secret=SECRET) == VIEWER


@pytest.mark.parametrize("proof", [None, "", "guess", SECRET[:-1], SECRET + "x"])
def test_a_viewer_address_without_the_stages_secret_is_ignored(proof: str | None) -> None:
    headers = {VIEWER_ADDRESS_HEADER: ANOTHER_VIEWER, **({ORIGIN_HEADER: proof} if proof is not None else {})}
    assert client_address(VIEWER, headers, origin_secret=SECRET) == VIEWER


@pytest.mark.parametrize("written", ["", "not-an-address", "203.0.113.7:443", "203.0.113.7, 198.51.100.20"])
def test_a_proved_request_without_a_plain_address_counts_under_the_gateways(written: str) -> None:
    headers = {ORIGIN_HEADER: SECRET, VIEWER_ADDRESS_HEADER: written}
    assert client_address(CLOUDFRONT, headers, origin_secret=SECRET) == CLOUDFRONT


def test_an_ipv6_viewer_is_counted_by_its_address() -> None:
    headers = {ORIGIN_HEADER: SECRET, VIEWER_ADDRESS_HEADER: "2001:db8::7"}
    assert client_address(CLOUDFRONT, headers, origin_secret=SECRET) == "2001:db8::7"


def test_an_unknown_address_is_none_not_limited_per_client() -> None:
    assert client_address(None, {}, origin_secret=SECRET) is None


def failed_logins(headers: Callable[[int], dict[str, str]], count: int) -> list[int]:
    """Wrong passwords on ten accounts through the app (Chalice's gateway: every request from 127.0.0.1)."""
    import app

    world = fake_world()
    services = replace(world.services, settings=replace(world.services.settings, origin_secret=SECRET))
    previous = bootstrap.install(services)
    try:
        with Client(app.app) as client:
            return [
                client.http.post(
                    "/api/auth/login",
                    headers={"Content-Type": "application/json", **headers(n)},
                    body=json.dumps({"email": f"user{n % 10}@chu.fr", "password": "Wrong-Secret-2026"}),
                ).status_code
                for n in range(count)
            ]
    finally:
        bootstrap.install(previous)


def test_behind_the_distribution_a_viewer_flooding_logins_does_not_hold_the_others_back() -> None:
    def headers(n: int) -> dict[str, str]:
        return {ORIGIN_HEADER: SECRET, VIEWER_ADDRESS_HEADER: VIEWER if n < 51 else ANOTHER_VIEWER}

    statuses = failed_logins(headers, 52)
    assert statuses[:50] == [401] * 50 and statuses[50] == 429  # the flooding viewer's limit
    assert statuses[51] == 401  # another viewer, behind the same CloudFront address, is not held


def test_a_caller_naming_addresses_without_the_secret_is_counted_under_its_own() -> None:
    def headers(n: int) -> dict[str, str]:
        return {ORIGIN_HEADER: "guess", VIEWER_ADDRESS_HEADER: f"192.0.2.{n}"}

    statuses = failed_logins(headers, 51)
    assert statuses[50] == 429  # fifty "different" viewers were one client: 127.0.0.1
