"""The API's shape: errors, unknown fields, tokens, OpenAPI completeness."""

from __future__ import annotations

import re

import jwt

import app
from chalicelib.handlers.http import ROUTES


def test_openapi_lists_every_route_with_its_body_schema(api):
    document = api.call("GET", "/api/openapi.json").json
    declared = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    served = {(method, path) for path, entry in app.app.routes.items() for method in entry}
    assert served == declared
    for route in ROUTES:
        operation = document["paths"][route.path][route.method.lower()]
        if route.body is not None:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
            if schema.get("type") == "array":  # a list body: its items refuse unknown fields
                schema = document["components"]["schemas"][schema["items"]["$ref"].rsplit("/", 1)[1]]
            assert schema.get("additionalProperties") is False, route.path


def test_unknown_fields_are_refused_with_a_french_message(api):
    answer = api.call(
        "POST", "/api/auth/signup", {"email": "a@b.fr", "password": "x", "first_name": "A", "last_name": "B", "role": "admin"}
    )
    assert answer.status_code == 400
    assert answer.json["code"] == "ERR_INVALID"
    assert any(d["field"] == "role" and "champ inconnu" in d["message"] for d in answer.json["details"])


def test_a_body_that_is_not_json_is_a_clear_400(api):
    answer = api.call("POST", "/api/auth/login", raw=b"{not json")
    assert (answer.status_code, answer.json["code"]) == (400, "ERR_INVALID")
    assert "JSON" in answer.json["message"]


def test_a_forged_token_is_refused(api, aws):
    aws.confirmed_user("claire@chu.fr", "Pass-word-2026")
    genuine = api.call("POST", "/api/auth/login", {"email": "claire@chu.fr", "password": "Pass-word-2026"}).json["id_token"]
    claims = jwt.decode(genuine, options={"verify_signature": False})
    claims["cognito:username"] = "admin@consores.fr"
    header, _, signature = genuine.split(".")
    forged_payload = jwt.encode(claims, "x" * 32, algorithm="HS256").split(".")[1]
    forged = f"{header}.{forged_payload}.{signature}"
    assert api.call("GET", "/api/me", token=forged).status_code == 401
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    assert api.call("GET", "/api/me", token=unsigned).status_code == 401
    assert api.call("GET", "/api/me", token=genuine).status_code == 200


def test_every_error_has_code_message_and_details(api):
    answer = api.call("GET", "/api/me")
    assert answer.status_code == 401
    assert set(answer.json) == {"code", "message", "details"}
    assert re.match(r"^ERR_[A-Z_]+$", answer.json["code"])


def test_the_directory_is_public_and_lists_eighteen_regions(api):
    regions = api.call("GET", "/api/regions").json
    assert len(regions) == 18
    assert {"code": "94", "name": "Corse"} in regions
    assert api.call("GET", "/api/establishments?region=99").status_code == 400


def test_the_password_rule_is_served_without_login_as_the_server_applies_it(api):
    from chalicelib.domain.accounts import password_rule

    assert api.call("GET", "/api/auth/password-rule").json == password_rule()


def test_health_answers_ok(api):
    assert api.call("GET", "/api/health").json["status"] == "ok"


def test_every_file_type_has_a_public_template_and_an_unknown_one_is_a_404(api):
    from chalicelib.adapters.xlsx_templates import template
    from chalicelib.domain.imports import FileType

    xlsx = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # a browser following a link
    for file_type in FileType:
        answer = api._client.http.request("GET", f"/api/templates/{file_type.value}.xlsx", headers=xlsx)
        assert answer.status_code == 200, (file_type, answer.body[:300])
        assert answer.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
        assert answer.body == template(file_type)
    assert api._client.http.request("GET", "/api/templates/antibiogramme.xlsx", headers=xlsx).status_code == 404


def test_chalice_own_refusals_speak_the_api_error_shape_in_french(api):
    answer = api._client.http.request(
        "POST", "/api/auth/login", headers={"Content-Type": "application/x-www-form-urlencoded"}, body=b"a=b"
    )
    import json as _json

    body = _json.loads(answer.body)
    assert answer.status_code == 415
    assert body["code"] == "ERR_MEDIA_TYPE" and "JSON" in body["message"]


def test_an_indicator_batch_answers_each_item_with_the_status_and_body_of_its_single_route(api, aws):
    from chalicelib.domain.access import Profile, ProfileType
    from chalicelib.domain.codes import Email

    aws.confirmed_user("n@sante.fr", "Pass-word-2026")
    aws.services.profiles.grant_system(Email("n@sante.fr"), Profile(ProfileType.NATIONAL))
    token = aws.services.accounts.login("n@sante.fr", "Pass-word-2026").id_token
    single = api.call("GET", "/api/indicators/ddj_1000jh?scope=national&year=2025&by=family", token=token)
    unknown = api.call("GET", "/api/indicators/no_such?scope=national&year=2025", token=token)
    batch = api.call("GET", "/api/indicator-batch?scope=national&year=2025&items=ddj_1000jh%3Aby%3Dfamily,no_such", token=token)
    assert batch.status_code == 200
    expected = [{"status": 200, "body": single.json}, {"status": unknown.status_code, "body": unknown.json}]
    assert batch.json == {"results": expected}
    assert unknown.status_code == 404
    assert api.call("GET", "/api/indicator-batch?scope=national&year=2025&items=ddj_1000jh").status_code == 401
    assert api.call("GET", "/api/indicator-batch?scope=national&year=2025", token=token).status_code == 400
