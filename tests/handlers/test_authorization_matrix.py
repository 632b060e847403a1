"""Every route x every kind of caller x (own establishment, another of the same
region, another region), checked against the authorization table."""

from __future__ import annotations

import re

import pytest

import app
from chalicelib.bootstrap import services
from chalicelib.domain.access import Profile, ProfileType, Status
from chalicelib.domain.authorization import ESTABLISHMENT_ACTIONS, Outcome, Principal, decide
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.handlers.http import ROUTES
from chalicelib.services.ports import ExportRecord

# Hundreds of requests on the emulator (about 40 s): in `make test`, not in the fast loop.
pytestmark = pytest.mark.slow

OWN, SAME_REGION, OTHER_REGION = "440000990", "490000999", "350000998"
REGION_OF = {OWN: "52", SAME_REGION: "52", OTHER_REGION: "53"}
PASSWORD = "Pass-word-2026"
CALLERS = ("referent", "contributeur", "observateur", "regional_same", "regional_other", "national", "admin", "anonymous")


@pytest.fixture
def matrix(aws, api):
    """Three establishments with a référent, contributeur and observateur each,
    a refused request per establishment, and one person per profile."""
    services = aws.services
    system = Principal(Email("system@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    lab = services.tenants.create_laboratory(system, "Labo", None)
    services.catalogue.load_demo_if_empty()
    people: dict[str, dict[str, str]] = {}
    refused: dict[str, str] = {}
    uploads: dict[str, str] = {}
    for finess in (OWN, SAME_REGION, OTHER_REGION):
        services.tenants.create_establishment(system, finess, f"ES {finess}", "CH", REGION_OF[finess])
        staff = {status: f"{status}.{finess}@es.fr" for status in ("referent", "contributeur", "observateur", "refused")}
        for email in staff.values():
            aws.confirmed_user(email, PASSWORD)
        services.access.request_access(_principal(aws, staff["referent"]), finess, True, "direction@es.fr", None)
        referent = _principal(aws, staff["referent"])
        for status in ("contributeur", "observateur"):
            outcome = services.access.request_access(_principal(aws, staff[status]), finess, None, None, None)
            services.access.decide(referent, finess, outcome.request_id, "accept", status)
        outcome = services.access.request_access(_principal(aws, staff["refused"]), finess, None, None, None)
        services.access.decide(referent, finess, outcome.request_id, "refuse", None)
        refused[finess] = outcome.request_id
        people[finess] = staff
        uploads[finess] = services.uploads.create(referent, finess, "consumption", "2025-T1", "c.csv", 10, None)[0].upload_id
    profiles = {
        "regional_same": ("regional@ars52.fr", Profile(ProfileType.REGIONAL, RegionCode("52"))),
        "regional_other": ("regional@ars53.fr", Profile(ProfileType.REGIONAL, RegionCode("53"))),
        "national": ("national@sante.fr", Profile(ProfileType.NATIONAL)),
        "admin": ("admin@consores.fr", Profile(ProfileType.ADMIN)),
    }
    for email, profile in profiles.values():
        aws.confirmed_user(email, PASSWORD)
        services.profiles.grant_system(Email(email), profile)
    services.profiles.grant_system(Email("someone@es.fr"), Profile(ProfileType.NATIONAL))
    emails = {status: people[OWN][status] for status in ("referent", "contributeur", "observateur")}
    emails.update({kind: email for kind, (email, _) in profiles.items()})
    tokens = {kind: services.accounts.login(email, PASSWORD).id_token for kind, email in emails.items()}
    services.adapters.exports.put_export(ExportRecord("matrix-export", 2025, "rejected", "2026-01-01T00:00:00", "x", "api"))
    return {"people": people, "refused": refused, "uploads": uploads, "lab": lab.lab_id, "emails": emails, "tokens": tokens}


def _principal(aws, email):
    return aws.services.authenticator.principal(f"Bearer {aws.services.accounts.login(email, PASSWORD).id_token}")


def _fill(path: str, finess: str, setup) -> str:
    if path.endswith(("/controls", "/periods")):
        path += "?year=2025"
    values = {
        "finess": finess,
        "request_id": setup["refused"][finess],
        "email": "someone@es.fr" if path.startswith("/api/admin/profiles") else setup["people"][finess]["contributeur"],
        "lab_id": setup["lab"],
        "kind": "national",
        "job": "purge_expired_codes",
        "ucd": "0900001",
        "upload_id": setup["uploads"][finess],
        "code_uf": "0412",
        "year": "2025",
        "name": "beds.xlsx",
        "period": "2025-T4",
        "indicator_id": "ddj_1000jh",
        "export_id": "matrix-export",
        "file_type": "consumption",
    }
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)


def _body(path: str, method: str, finess: str, setup):
    """Valid bodies that change nothing once authorised (or fail after the check)."""
    people = setup["people"][finess]
    bodies = {
        ("POST", "/api/establishments/{finess}/access-requests"): {},
        ("POST", "/api/establishments/{finess}/access-requests/{request_id}/decision"): {"decision": "refuse"},
        ("PATCH", "/api/establishments/{finess}/members/{email}"): {"role": "contributeur"},
        ("POST", "/api/establishments/{finess}/referent"): {"email": people["referent"]},
        ("POST", "/api/admin/establishments"): {"finess": OWN, "name": "x", "category": "CH", "region": "52"},
        ("PATCH", "/api/admin/establishments/{finess}"): {"name": f"ES {finess}"},
        ("POST", "/api/admin/laboratories"): {"name": "Labo bis"},
        ("POST", "/api/admin/profiles"): {"email": "someone@es.fr", "type": "national"},
        ("PUT", "/api/admin/catalogue/entries"): [],
        ("POST", "/api/admin/exports/ears-net"): {"year": 2025},  # no closed data: 409 once authorised
        ("POST", "/api/admin/establishments/{finess}/periods/{period}/reopen"): {"reason": "correction"},
        ("DELETE", "/api/establishments/{finess}/datasets/{file_type}/{period}"): {"reason": "contrôle"},  # none current
        ("POST", "/api/establishments/{finess}/uploads"): {
            "type": "consumption",
            "period": "2025-T1",
            "filename": "c.csv",
            "size": 10,
        },
        ("PUT", "/api/establishments/{finess}/units/{code_uf}"): {"libelle_uf": "Médecine", "code_ta": "03", "code_de": "38"},
        ("PUT", "/api/establishments/{finess}/beds/{year}"): [{"code_uf": "0412", "lits": 20}],
        ("PUT", "/api/establishments/{finess}/settings/{year}"): {
            "consumption_periodicity": "quarter",
            "resistance_periodicity": "quarter",
        },
    }
    return bodies.get((method, path), {})


def _expected(caller: str, route, finess: str, setup) -> Outcome | None:
    """None: the route answers this caller without an authorization refusal."""
    if caller == "anonymous":
        return None
    email = setup["emails"][caller]
    principal = _principal_from_table(caller, email)
    if route.action is None:
        return Outcome.ALLOW
    on_establishment = "{finess}" in route.path and route.action in ESTABLISHMENT_ACTIONS
    target = (Finess(finess), RegionCode(REGION_OF[finess])) if on_establishment else None
    return decide(principal, route.action, target)


def _principal_from_table(caller: str, email: str) -> Principal:
    statuses = {"referent": Status.REFERENT, "contributeur": Status.CONTRIBUTEUR, "observateur": Status.OBSERVATEUR}
    if caller in statuses:
        return Principal(Email(email), memberships={Finess(OWN): statuses[caller]})
    kind, region = {
        "regional_same": (ProfileType.REGIONAL, RegionCode("52")),
        "regional_other": (ProfileType.REGIONAL, RegionCode("53")),
        "national": (ProfileType.NATIONAL, None),
        "admin": (ProfileType.ADMIN, None),
    }[caller]
    return Principal(Email(email), profiles=frozenset({(kind, region)}))


def test_every_route_answers_every_caller_as_the_table_says(api, matrix):
    checked = 0
    served = [r for r in ROUTES if r.method in app.app.routes.get(r.path, {})]
    for route in served:
        targets = (OWN, SAME_REGION, OTHER_REGION) if "{finess}" in route.path else (OWN,)
        for finess in targets:
            for caller in CALLERS:
                path = _fill(route.path, finess, matrix)
                answer = api.call(
                    route.method, path, _body(route.path, route.method, finess, matrix), matrix["tokens"].get(caller)
                )
                where = f"{route.method} {path} as {caller}: {answer.status_code} {answer.json}"
                # The local mailbox is public only while the platform runs with its demo data (not here).
                closed_mailbox = route.path == "/api/local/mailbox" and not services().settings.open_mailbox
                if not route.authenticated and not closed_mailbox:
                    assert answer.status_code not in (401, 403, 404), where
                elif caller == "anonymous":
                    assert answer.status_code == 401, where
                    assert answer.json["code"] == "ERR_UNAUTHENTICATED", where
                else:
                    expected = _expected(caller, route, finess, matrix)
                    if expected is Outcome.ALLOW:
                        assert answer.status_code not in (401, 403, 404), where
                    elif expected is Outcome.FORBIDDEN:
                        assert answer.status_code == 403, where
                    else:
                        assert answer.status_code == 404, where
                checked += 1
    assert checked >= 8 * len(served) >= 8 * 20
