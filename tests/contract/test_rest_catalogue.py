"""The REST client of the commercial catalogue against a local fake vendor
(``http.server`` on 127.0.0.1, in a thread), speaking the contract written in
``chalicelib/adapters/rest_catalogue.py``."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from chalicelib.adapters.rest_catalogue import RestCatalogueSource
from chalicelib.domain.drugs import Route, Ucd, Unit
from chalicelib.services.ports.catalogue import CatalogueUnavailable

API_KEY = "secret-key"


def product(ucd: str, strength: object = 1, **extra: object) -> dict[str, object]:
    return {
        "ucd": ucd,
        "label": f"Produit {ucd}",
        "substance": "amoxicillin",
        "atc": "J01CA04",
        "route": "O",
        "strength": strength,
        "strength_unit": "g",
        "form": "comprimé",
        **extra,
    }


class FakeVendor:
    """What the vendor answers: pages of products, and scripted failures."""

    def __init__(self) -> None:
        self.pages: dict[int, list[object]] = {1: []}
        self.requests: list[dict[str, object]] = []
        self.failures: list[int] = []  # statuses answered (in order) before the real answers
        self.raw: bytes | None = None  # answered instead of the JSON pages
        self.delay = 0.0
        self.url = ""

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        if self.failures:
            return self.failures.pop(0), b'{"error": "boom"}'
        if self.raw is not None:
            return 200, self.raw
        page = int(query.get("page", ["1"])[0])
        last = max(self.pages)
        body = {"items": self.pages.get(page, []), "next_page": page + 1 if page < last else None}
        return 200, json.dumps(body).encode()


@pytest.fixture
def vendor():
    state = FakeVendor()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            query = parse_qs(url.query)
            state.requests.append({"path": url.path, "query": query, "key": self.headers.get("X-Api-Key")})
            if state.delay:
                time.sleep(state.delay)
            status, body = state.answer(query)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1/"
    yield state
    server.shutdown()
    server.server_close()


def client(vendor: FakeVendor, waits: list[float] | None = None, **options) -> RestCatalogueSource:
    return RestCatalogueSource(vendor.url, API_KEY, sleep=(waits if waits is not None else []).append, **options)


def test_every_page_is_read_with_the_api_key(vendor):
    vendor.pages = {1: [product("9000001"), product("9000002")], 2: [product("9000003")], 3: [product("9000004")]}
    entries = client(vendor).fetch_since(None)
    assert [e.ucd.value for e in entries] == ["9000001", "9000002", "9000003", "9000004"]
    assert [r["query"]["page"] for r in vendor.requests] == [["1"], ["2"], ["3"]]
    assert {r["path"] for r in vendor.requests} == {"/v1/products"}
    assert {r["key"] for r in vendor.requests} == {API_KEY}


def test_since_is_sent_in_utc_and_omitted_for_the_whole_catalogue(vendor):
    source = client(vendor)
    source.fetch_since(None)
    source.fetch_since(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    assert "since" not in vendor.requests[0]["query"]
    assert vendor.requests[1]["query"]["since"] == ["2026-03-01T08:00:00Z"]


def test_products_are_mapped_to_entries_with_exact_strengths(vendor):
    vendor.raw = (
        b'{"items": [{"ucd": "3400890000017", "label": "Amoxicilline 125 mg/5 mL", "substance": null,'
        b' "atc": "j01ca04", "route": "O", "strength": 0.1, "strength_unit": "G"}], "next_page": null}'
    )
    (only,) = client(vendor).fetch_since(None)
    assert only.ucd == Ucd("9000001")
    assert only.strength == Decimal("0.1") and only.strength_unit is Unit.G and only.route is Route.ORAL
    assert only.atc.value == "J01CA04" and only.substance == "Amoxicilline 125 mg/5 mL" and only.form == ""


def test_a_ucd_on_two_pages_keeps_the_later_one(vendor):
    vendor.pages = {1: [product("9000001", strength=1)], 2: [product("9000001", strength="2.5")]}
    (only,) = client(vendor).fetch_since(None)
    assert only.strength == Decimal("2.5")


def test_a_server_error_is_retried_with_backoff_then_succeeds(vendor):
    vendor.pages = {1: [product("9000001")]}
    vendor.failures = [500, 503]
    waits: list[float] = []
    entries = client(vendor, waits, backoff=0.5).fetch_since(None)
    assert [e.ucd.value for e in entries] == ["9000001"]
    assert waits == [0.5, 1.0]
    assert len(vendor.requests) == 3


def test_a_lasting_server_error_is_reported_in_french_after_every_attempt(vendor):
    vendor.failures = [500] * 10
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor, attempts=3).fetch_since(None)
    assert "injoignable" in error.value.message and "HTTP 500" in error.value.message
    assert error.value.code == "ERR_CATALOGUE_UNAVAILABLE"
    assert len(vendor.requests) == 3


def test_a_refused_api_key_is_not_retried(vendor):
    vendor.failures = [401]
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor).fetch_since(None)
    assert "clé d'API" in error.value.message
    assert len(vendor.requests) == 1


def test_a_timeout_is_retried_then_reported(vendor):
    vendor.delay = 0.5
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor, read_timeout=0.1, attempts=2).fetch_since(None)
    assert "n'a pas répondu à temps" in error.value.message
    # The client gave up waiting, not sending: on a loaded machine the vendor may read an attempt late.
    deadline = time.monotonic() + 10
    while len(vendor.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(vendor.delay)  # a third attempt would have arrived by now
    assert len(vendor.requests) == 2


def test_invalid_json_is_reported(vendor):
    vendor.raw = b"<html>maintenance</html>"
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor).fetch_since(None)
    assert "JSON valide" in error.value.message


def test_an_answer_of_the_wrong_shape_is_reported(vendor):
    vendor.raw = b'{"products": []}'
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor).fetch_since(None)
    assert "réponse inattendue" in error.value.message


def test_unreadable_products_fail_the_fetch_with_each_one_listed(vendor):
    vendor.pages = {
        1: [product("9000001"), product("9000002", atc="J01")],
        2: [product("12345"), "not a product", product("9000005", strength=True)],
    }
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor).fetch_since(None)
    assert "4 produit(s) illisible(s)" in error.value.message
    assert [(d["page"], d["index"]) for d in error.value.details] == [(1, 1), (2, 0), (2, 1), (2, 2)]
    assert "Code ATC invalide" in error.value.details[0]["message"]


def test_a_looping_pagination_is_refused(vendor):
    vendor.raw = b'{"items": [], "next_page": 1}'
    with pytest.raises(CatalogueUnavailable) as error:
        client(vendor).fetch_since(None)
    assert "pagination incohérente" in error.value.message


def test_an_unreachable_server_is_reported():
    closed = RestCatalogueSource("http://127.0.0.1:9/", API_KEY, attempts=2, connect_timeout=0.5, sleep=lambda _: None)
    with pytest.raises(CatalogueUnavailable) as error:
        closed.fetch_since(None)
    assert "injoignable" in error.value.message
