"""Logins, confirmations and resets are throttled per account and per client (its network
address), in French; a lock never keeps an account's owner out for good."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.domain.errors import InvalidInput, TooManyRequests, Unauthenticated
from tests.fakes.wiring import fake_world

PASSWORD = "Correct-Horse-42"
ATTACKER, CLAIRE_AT_WORK = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def world():
    world = fake_world()
    world.services.accounts.sign_up("claire@chu.fr", PASSWORD, "Claire", "Martin")
    world.services.accounts.confirm("claire@chu.fr", world.code_sent_to("claire@chu.fr"))
    return world


def test_a_client_failing_logins_on_many_accounts_is_refused_after_fifty_in_french(world):
    accounts = world.services.accounts
    for n in range(50):  # five accounts' worth each below the account limit: only the client's limit holds
        with pytest.raises(Unauthenticated):
            accounts.login(f"user{n % 10}@chu.fr", "Wrong-Secret-2026", client=ATTACKER)
    with pytest.raises(TooManyRequests, match="depuis votre réseau : réessayez dans 15 minutes"):
        accounts.login("claire@chu.fr", PASSWORD, client=ATTACKER)
    assert accounts.login("claire@chu.fr", PASSWORD, client=CLAIRE_AT_WORK).id_token  # another client is not held
    world.clock.advance(minutes=15)
    assert accounts.login("claire@chu.fr", PASSWORD, client=ATTACKER).id_token


def test_wrong_confirmation_codes_kill_the_code_but_never_keep_the_owner_out(world):
    accounts = world.services.accounts
    accounts.sign_up("hugo@chu.fr", PASSWORD, "Hugo", "Leroy")
    code = world.code_sent_to("hugo@chu.fr")
    for n in range(10):  # from ten clients: no limit per client is reached
        with pytest.raises(InvalidInput):
            accounts.confirm("hugo@chu.fr", "000000" if code != "000000" else "111111", client=f"192.0.2.{n}")
    with pytest.raises(InvalidInput, match="Code invalide"):  # five wrong tries: the code is dead, even the right one
        accounts.confirm("hugo@chu.fr", code, client=CLAIRE_AT_WORK)
    world.clock.advance(minutes=1)
    accounts.resend_confirmation("hugo@chu.fr")
    accounts.confirm("hugo@chu.fr", world.code_sent_to("hugo@chu.fr"), client=CLAIRE_AT_WORK)  # a fresh code works at once


def test_an_attacker_guessing_reset_codes_never_keeps_the_owner_from_resetting(world):
    accounts = world.services.accounts
    accounts.forgot_password("claire@chu.fr")
    code = world.code_sent_to("claire@chu.fr")
    for n in range(10):
        with pytest.raises(InvalidInput):
            accounts.reset_password("claire@chu.fr", "000000" if code != "000000" else "111111", "Nouveau-Secret-2026",
                                    client=f"192.0.2.{n}")  # fmt: skip
    world.clock.advance(minutes=1)
    accounts.forgot_password("claire@chu.fr")
    accounts.reset_password("claire@chu.fr", world.code_sent_to("claire@chu.fr"), "Nouveau-Secret-2026", client=CLAIRE_AT_WORK)
    assert accounts.login("claire@chu.fr", "Nouveau-Secret-2026", client=CLAIRE_AT_WORK).id_token


def test_a_weak_new_password_is_no_wrong_code(world):
    for _ in range(12):
        with pytest.raises(InvalidInput, match="trop faible"):
            world.services.accounts.reset_password("claire@chu.fr", "123456", "weak", client=CLAIRE_AT_WORK)
    with pytest.raises(InvalidInput, match="Code invalide"):  # not yet held
        world.services.accounts.reset_password("claire@chu.fr", "123456", "Nouveau-Secret-2026", client=CLAIRE_AT_WORK)


def test_a_client_guessing_codes_on_many_accounts_is_refused_after_thirty(world):
    for n in range(30):
        with pytest.raises(InvalidInput):
            world.services.accounts.confirm(f"user{n}@chu.fr", "123456", client=ATTACKER)
    with pytest.raises(TooManyRequests, match="depuis votre réseau"):
        world.services.accounts.reset_password("claire@chu.fr", "123456", "Nouveau-Secret-2026", client=ATTACKER)


def test_a_client_asking_for_e_mails_is_refused_after_thirty_requests(world):
    accounts = world.services.accounts
    for n in range(10):
        accounts.sign_up(f"user{n}@chu.fr", PASSWORD, "Jean", "Dupont", client=ATTACKER)
        accounts.resend_confirmation(f"user{n}@chu.fr", client=ATTACKER)
        accounts.forgot_password(f"user{n}@chu.fr", client=ATTACKER)
    for ask in (lambda: accounts.forgot_password("claire@chu.fr", client=ATTACKER),
                lambda: accounts.resend_confirmation("claire@chu.fr", client=ATTACKER),
                lambda: accounts.sign_up("new@chu.fr", PASSWORD, "Jean", "Dupont", client=ATTACKER)):  # fmt: skip
        with pytest.raises(TooManyRequests, match="depuis votre réseau"):
            ask()
    accounts.forgot_password("claire@chu.fr", client=CLAIRE_AT_WORK)


def test_refused_logins_do_not_extend_the_lock_of_an_account(world):
    accounts = world.services.accounts
    for _ in range(10):
        with pytest.raises(Unauthenticated):
            accounts.login("claire@chu.fr", "Wrong-Secret-2026", client=ATTACKER)
    for _ in range(14):  # the attacker keeps trying every minute: refused, never counted
        world.clock.advance(minutes=1)
        with pytest.raises(TooManyRequests):
            accounts.login("claire@chu.fr", "Wrong-Secret-2026", client=ATTACKER)
    world.clock.advance(minutes=1)
    assert accounts.login("claire@chu.fr", PASSWORD, client=CLAIRE_AT_WORK).id_token


def test_a_completed_password_reset_lets_the_owner_of_a_locked_account_back_in_at_once(world):
    accounts = world.services.accounts
    for _ in range(10):
        with pytest.raises(Unauthenticated):
            accounts.login("claire@chu.fr", "Wrong-Secret-2026", client=ATTACKER)
    with pytest.raises(TooManyRequests, match="Mot de passe oublié"):
        accounts.login("claire@chu.fr", PASSWORD, client=CLAIRE_AT_WORK)
    accounts.forgot_password("claire@chu.fr", client=CLAIRE_AT_WORK)
    accounts.reset_password("claire@chu.fr", world.code_sent_to("claire@chu.fr"), "Nouveau-Secret-2026",
                            client=CLAIRE_AT_WORK)  # fmt: skip
    assert accounts.login("claire@chu.fr", "Nouveau-Secret-2026", client=CLAIRE_AT_WORK).id_token


def test_the_api_counts_each_client_by_the_address_the_gateway_saw(world):
    import app

    previous = bootstrap.install(world.services)
    try:
        with Client(app.app) as client:  # Chalice's local gateway: every request from 127.0.0.1
            for n in range(50):
                body = json.dumps({"email": f"user{n % 10}@chu.fr", "password": "Wrong-Secret-2026"})
                answer = client.http.post("/api/auth/login", headers={"Content-Type": "application/json"}, body=body)
                assert answer.status_code == 401
            body = json.dumps({"email": "claire@chu.fr", "password": PASSWORD})
            answer = client.http.post("/api/auth/login", headers={"Content-Type": "application/json"}, body=body)
    finally:
        bootstrap.install(previous)
    assert answer.status_code == 429
    assert json.loads(answer.body)["message"].startswith("Trop de tentatives de connexion depuis votre réseau")


def test_the_embedded_runtime_counts_each_client_by_its_connections_address(world, tmp_path):
    import http.client

    import app
    from infra.local.web_server import WebServer

    previous = bootstrap.install(world.services)
    server = WebServer(app.app, "127.0.0.1", 0, tmp_path, "http://127.0.0.1:1", "secret")
    server.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10, source_address=("127.0.0.3", 0))
        body = json.dumps({"email": "claire@chu.fr", "password": "Wrong-Secret-2026"})
        connection.request("POST", "/api/auth/login", body, {"Content-Type": "application/json", "Host": "localhost"})
        assert connection.getresponse().status == 401
    finally:
        server.stop()
        bootstrap.install(previous)
    assert ("client:127.0.0.3", "client_login_failures") in world.services.adapters.counters.windows
