"""Issue "Platform foundation", done-when: a newcomer's journey through the API
of the running embedded platform, then a restart that keeps everything."""

from __future__ import annotations

from tests.flows.conftest import Http, start_platform

ADMIN = ("admin@consores.fr", "Admin-ConsoRes-2026")
CHU, CH = "440000990", "490000999"


def sign_up_and_log_in(http: Http, email: str, first: str) -> str:
    assert (
        http.call(
            "POST", "/api/auth/signup", {"email": email, "password": "Pass-word-2026", "first_name": first, "last_name": "Test"}
        ).status_code
        == 201
    )
    unconfirmed = http.call("POST", "/api/auth/login", {"email": email, "password": "Pass-word-2026"}).data
    assert unconfirmed["code"] == "ERR_BAD_CREDENTIALS"  # the same answer as a wrong password
    assert http.call("POST", "/api/auth/confirm", {"email": email, "code": http.mailbox_code(email)}).status_code == 200
    return http.call("POST", "/api/auth/login", {"email": email, "password": "Pass-word-2026"}).data["id_token"]


def test_a_newcomer_becomes_referent_accepts_a_colleague_and_a_restart_keeps_it_all(tmp_path):
    platform = start_platform(tmp_path / "data")
    http = Http(platform.url)
    try:
        admin = http.call("POST", "/api/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}).data["id_token"]
        for finess, name, category in ((CHU, "CHU Loire-Atlantique", "CHU"), (CH, "CH de l'Anjou", "CH")):
            created = http.call(
                "POST", "/api/admin/establishments", {"finess": finess, "name": name, "category": category, "region": "52"}, admin
            )
            assert created.status_code == 201, created.text

        claire = sign_up_and_log_in(http, "claire@chu.fr", "Claire")
        first_try = http.call("POST", f"/api/establishments/{CHU}/access-requests", {}, claire)
        assert (first_try.status_code, first_try.data["code"]) == (400, "ERR_CHARTER_REQUIRED")
        granted = http.call(
            "POST",
            f"/api/establishments/{CHU}/access-requests",
            {"charter_accepted": True, "direction_email": "direction@chu.fr", "dpo_email": "dpo@chu.fr"},
            claire,
        )
        assert granted.data == {"status": "granted", "role": "referent"}
        letter = [m for m in http.call("GET", "/api/local/mailbox").data if "direction@chu.fr" in m["to"]][-1]
        assert "CHU Loire-Atlantique" in letter["body"] and "Claire Test" in letter["body"]

        hugo = sign_up_and_log_in(http, "hugo@chu.fr", "Hugo")
        pending = http.call("POST", f"/api/establishments/{CHU}/access-requests", {}, hugo).data
        assert pending["status"] == "pending"
        listed = http.call("GET", f"/api/establishments/{CHU}/access-requests?status=pending", None, claire).data
        assert [r["email"] for r in listed] == ["hugo@chu.fr"]
        decided = http.call(
            "POST",
            f"/api/establishments/{CHU}/access-requests/{pending['request_id']}/decision",
            {"decision": "accept", "role": "contributeur"},
            claire,
        )
        assert decided.status_code == 200

        hugo_me = http.call("GET", "/api/me", None, hugo).data
        assert hugo_me["memberships"] == [{"finess": CHU, "name": "CHU Loire-Atlantique", "status": "contributeur"}]
        claire_me = http.call("GET", "/api/me", None, claire).data
        assert claire_me["memberships"][0]["status"] == "referent"

        ines = sign_up_and_log_in(http, "ines@ch.fr", "Inès")
        http.call(
            "POST", f"/api/establishments/{CH}/access-requests", {"charter_accepted": True, "direction_email": "dir@ch.fr"}, ines
        )
        assert http.call("GET", f"/api/establishments/{CHU}/members", None, ines).status_code == 404
        members = http.call("GET", f"/api/establishments/{CHU}/members", None, claire).data
        assert {(m["email"], m["status"]) for m in members} == {("claire@chu.fr", "referent"), ("hugo@chu.fr", "contributeur")}
        audit = http.call("GET", "/api/admin/audit?since=2000-01-01", None, admin).data
        assert {"establishment.create", "membership.first_referent", "access_request.accepted"} <= {e["action"] for e in audit}
    finally:
        platform.stop()

    restarted = start_platform(tmp_path / "data", prefix="unused-after-restore")
    http = Http(restarted.url)
    try:
        assert not restarted.fresh
        hugo = http.call("POST", "/api/auth/login", {"email": "hugo@chu.fr", "password": "Pass-word-2026"}).data["id_token"]
        assert http.call("GET", "/api/me", None, hugo).data["memberships"][0]["status"] == "contributeur"
        assert [e["finess"] for e in http.call("GET", "/api/establishments?region=52").data] == [CHU, CH]
        assert any("direction@chu.fr" in m["to"] for m in http.call("GET", "/api/local/mailbox").data)
    finally:
        restarted.stop()
