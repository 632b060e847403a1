"""Every route of the app x every kind of caller x (own establishment, another of the same
region, another region), checked against the authorization table.

``RULES`` gives each route its rule; a route the app serves without a line here fails the
matrix. The indicator routes' scopes, `by` values and draft or closed periods are walked by
tests/handlers/test_indicator_visibility_matrix.py.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

import app
from chalicelib.adapters.s3_report_archive import S3ReportArchive as ReportArchive
from chalicelib.bootstrap import services
from chalicelib.domain.access import Profile, ProfileType, Status
from chalicelib.domain.alerts import Alert, AlertKind
from chalicelib.domain.authorization import ESTABLISHMENT_ACTIONS, Action, Outcome, Principal, decide
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.reports.shelves import Shelf
from chalicelib.handlers.http import ROUTES
from chalicelib.services.ports import ExportRecord
from chalicelib.services.ports.standard_report import PrintedReport

# Hundreds of requests on the emulator (about 40 s): in `make test`, not in the fast loop.
pytestmark = pytest.mark.slow

OWN, SAME_REGION, OTHER_REGION = "440000990", "490000999", "350000998"
REGION_OF = {OWN: "52", SAME_REGION: "52", OTHER_REGION: "53"}
PASSWORD = "Pass-word-2026"
#: When the matrix's reports were made.
MADE_AT = datetime(2026, 1, 1, tzinfo=UTC)
CALLERS = ("referent", "contributeur", "observateur", "member_other_region", "regional_same", "regional_other", "national",
           "admin", "anonymous")  # fmt: skip

# How each route decides ---------------------------------------------------------------------------------------------
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed in"  # any authenticated caller (what it sees is its own)
INDICATOR = "indicator"  # any authenticated caller here; by scope in test_indicator_visibility_matrix.py
LABORATORY_READ = "laboratory read"  # members and regional teams of an establishment it serves; national, admin
LABORATORY_WRITE = "laboratory write"  # the same, référent or contributeur among the members
LOCAL_MAILBOX = "local mailbox"  # the administrator's, anonymous with the demo data only (embedded runtime)
REGION_TABLE = "region table"  # region 52's table here: its regional team, national, admin; another region 404
TICKET = "ticket"  # OWN's contributeur's ticket here: its author, OWN's référent, region 52's team, national, admin; others 404
TICKET_STATUS = "ticket status"  # the same but OWN's référent, who sees it and may not move it (403)
REGION_SYNTHESIS = "region synthesis"  # the region's team (region 52 here), national, admin; 404 for anyone else
NATIONAL_SYNTHESIS = "national synthesis"  # national, admin; 404 for anyone else


def establishment(action: Action) -> Action:
    assert action in ESTABLISHMENT_ACTIONS
    return action


def platform(action: Action) -> Action:
    assert action not in ESTABLISHMENT_ACTIONS
    return action


RULES: dict[str, str | Action] = {
    "GET /api/health": PUBLIC,
    "GET /api/openapi.json": PUBLIC,
    "GET /api/templates/{name}": PUBLIC,
    "GET /api/regions": PUBLIC,
    "GET /api/establishments": PUBLIC,
    "GET /api/reference/species": PUBLIC,
    "GET /api/reference/specimen-categories": PUBLIC,
    "GET /api/reference/antibiotics": PUBLIC,
    "GET /api/reference/ddd": PUBLIC,
    "GET /api/indicators": PUBLIC,
    "GET /api/open/indicators/{indicator_id}": PUBLIC,
    "POST /api/auth/signup": PUBLIC,
    "POST /api/auth/confirm": PUBLIC,
    "POST /api/auth/resend-code": PUBLIC,
    "GET /api/auth/password-rule": PUBLIC,
    "POST /api/auth/login": PUBLIC,
    "POST /api/auth/second-factor": PUBLIC,  # the pool's challenge session is the credential
    "POST /api/auth/totp/setup": PUBLIC,  # the user's access token (in the body) is the credential
    "POST /api/auth/totp/confirm": PUBLIC,
    "POST /api/auth/refresh": PUBLIC,
    "POST /api/auth/forgot-password": PUBLIC,
    "POST /api/auth/reset-password": PUBLIC,
    "GET /api/me": SIGNED_IN,
    "GET /api/catalogue/ucd/{ucd}": SIGNED_IN,
    "POST /api/establishments/{finess}/access-requests": SIGNED_IN,
    "GET /api/indicators/{indicator_id}": INDICATOR,
    "GET /api/indicators/{indicator_id}/trend": INDICATOR,
    "GET /api/indicators/{indicator_id}/benchmark": INDICATOR,
    "GET /api/indicator-batch": INDICATOR,
    "GET /api/laboratories/{lab_id}/mappings": LABORATORY_READ,
    "GET /api/laboratories/{lab_id}/mappings/changes": LABORATORY_READ,
    "PUT /api/laboratories/{lab_id}/mappings/{kind}": LABORATORY_WRITE,
    "POST /api/laboratories/{lab_id}/mappings/{kind}/confirm-proposals": LABORATORY_WRITE,
    # One establishment
    "GET /api/establishments/{finess}/access-requests": establishment(Action.MANAGE_ACCESS),
    "POST /api/establishments/{finess}/access-requests/{request_id}/decision": establishment(Action.MANAGE_ACCESS),
    "GET /api/establishments/{finess}/members": establishment(Action.LIST_MEMBERS),
    "PATCH /api/establishments/{finess}/members/{email}": establishment(Action.MANAGE_ACCESS),
    "POST /api/establishments/{finess}/referent": establishment(Action.MANAGE_ACCESS),
    "GET /api/establishments/{finess}/units": establishment(Action.ANALYSE),
    "PUT /api/establishments/{finess}/units/{code_uf}": establishment(Action.EDIT_STRUCTURE),
    "DELETE /api/establishments/{finess}/units/{code_uf}": establishment(Action.EDIT_STRUCTURE),
    "GET /api/establishments/{finess}/beds/{year}": establishment(Action.ANALYSE),
    "PUT /api/establishments/{finess}/beds/{year}": establishment(Action.EDIT_STRUCTURE),
    "GET /api/establishments/{finess}/laboratories": establishment(Action.ANALYSE),
    "GET /api/establishments/{finess}/settings/{year}": establishment(Action.ANALYSE),
    "PUT /api/establishments/{finess}/settings/{year}": establishment(Action.EDIT_SETTINGS),
    "POST /api/establishments/{finess}/uploads": establishment(Action.UPLOAD_DATA),
    "GET /api/establishments/{finess}/uploads": establishment(Action.ANALYSE),
    "GET /api/establishments/{finess}/uploads/{upload_id}": establishment(Action.ANALYSE),
    "GET /api/establishments/{finess}/uploads/{upload_id}/report.xlsx": establishment(Action.ANALYSE),
    "POST /api/establishments/{finess}/uploads/{upload_id}/resume": establishment(Action.UPLOAD_DATA),
    "DELETE /api/establishments/{finess}/datasets/{file_type}/{period}": establishment(Action.REMOVE_DATA),
    "GET /api/establishments/{finess}/controls": establishment(Action.ANALYSE),
    "GET /api/establishments/{finess}/periods": establishment(Action.ANALYSE),
    "POST /api/establishments/{finess}/periods/{period}/close": establishment(Action.CLOSE_PERIOD),
    "POST /api/admin/establishments/{finess}/periods/{period}/reopen": establishment(Action.REOPEN_PERIOD),
    "GET /api/establishments/{finess}/reports": establishment(Action.ANALYSE),
    "GET /api/establishments/{finess}/reports/{document}": establishment(Action.ANALYSE),
    "GET /api/reports/regions/{code}": REGION_SYNTHESIS,
    "GET /api/reports/regions/{code}/{document}": REGION_SYNTHESIS,
    "GET /api/reports/national": NATIONAL_SYNTHESIS,
    "GET /api/reports/national/{document}": NATIONAL_SYNTHESIS,
    # The platform
    "GET /api/admin/establishments": platform(Action.ADMINISTER_TENANTS),
    "POST /api/admin/establishments": platform(Action.ADMINISTER_TENANTS),
    "PATCH /api/admin/establishments/{finess}": platform(Action.ADMINISTER_TENANTS),
    "PUT /api/admin/establishments/{finess}/laboratories/{lab_id}": platform(Action.ADMINISTER_TENANTS),
    "GET /api/admin/laboratories": platform(Action.ADMINISTER_TENANTS),
    "POST /api/admin/laboratories": platform(Action.ADMINISTER_TENANTS),
    "GET /api/admin/profiles": platform(Action.ADMINISTER_PROFILES),
    "POST /api/admin/profiles": platform(Action.ADMINISTER_PROFILES),
    "DELETE /api/admin/profiles/{email}/{kind}": platform(Action.ADMINISTER_PROFILES),
    "GET /api/admin/audit": platform(Action.READ_AUDIT),
    "PUT /api/admin/catalogue/entries": platform(Action.ADMINISTER_CATALOGUE),
    "POST /api/admin/catalogue/sync": platform(Action.ADMINISTER_CATALOGUE),
    "GET /api/admin/exports/ears-net": platform(Action.EXPORT_EARS_NET),
    "POST /api/admin/exports/ears-net": platform(Action.EXPORT_EARS_NET),
    "GET /api/admin/exports/ears-net/settings": platform(Action.EXPORT_EARS_NET),
    "PUT /api/admin/exports/ears-net/settings": platform(Action.EXPORT_EARS_NET),
    "GET /api/admin/exports/ears-net/{export_id}": platform(Action.EXPORT_EARS_NET),
    "POST /api/admin/reports/{year}/generate": platform(Action.GENERATE_REPORTS),
    "GET /api/admin/reports/{year}/generate/{job_id}": platform(Action.GENERATE_REPORTS),
    "GET /api/methods/deduplication": SIGNED_IN,
    "PUT /api/methods/deduplication": platform(Action.SET_METHODS),
    "GET /api/completeness": REGION_TABLE,
    "GET /api/admin/campaign/{year}": platform(Action.ADMINISTER_CAMPAIGN),
    "PUT /api/admin/campaign/{year}": platform(Action.ADMINISTER_CAMPAIGN),
    "POST /api/tickets": SIGNED_IN,
    "GET /api/alerts": establishment(Action.VIEW_ALERTS),  # ?scope=establishment:<the establishment> (below)
    "GET /api/alerts/counts": establishment(Action.VIEW_ALERTS),
    "PATCH /api/alerts/{alert_id}": establishment(Action.ACKNOWLEDGE_ALERT),  # an alert of OWN
    "GET /api/tickets": SIGNED_IN,
    "GET /api/tickets/counts": SIGNED_IN,
    "GET /api/tickets/{ticket_id}": TICKET,
    "PATCH /api/tickets/{ticket_id}": TICKET_STATUS,
    "POST /api/tickets/{ticket_id}/messages": TICKET,
    "POST /api/tickets/{ticket_id}/attachments": TICKET,
    "GET /api/tickets/{ticket_id}/attachments/{attachment_id}": TICKET,
    # The embedded runtime only (absent from the cloud deployment and from this app unless embedded)
    "GET /api/local/mailbox": LOCAL_MAILBOX,
    "POST /api/local/schedules/{job}/run": platform(Action.OPERATE_LOCAL_PLATFORM),
}
EMBEDDED_ONLY = {"GET /api/local/mailbox", "POST /api/local/schedules/{job}/run"}


@pytest.fixture
def matrix(aws, api):
    """Three establishments with a référent, contributeur and observateur each,
    a refused request per establishment, and one person per profile."""
    services = aws.services
    system = Principal(Email("system@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    lab = services.tenants.create_laboratory(system, "Labo", None)  # serves OWN only (below)
    spare = services.tenants.create_laboratory(system, "Labo bis", None)  # the one the matrix links
    services.catalogue.load_demo_if_empty()
    people: dict[str, dict[str, str]] = {}
    refused: dict[str, str] = {}
    uploads: dict[str, str] = {}
    reports = ReportArchive(services.adapters.objects, services.settings.buckets["exports"])
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
        services.structure.put_unit(referent, finess, "0412", {"libelle_uf": "Médecine", "code_ta": "03", "code_de": "38"})
        uploads[finess] = services.uploads.create(referent, finess, "consumption", "2025-T1", "c.csv", 10, None)[0].upload_id
        reports.make(Shelf.establishment(finess), 2025, "matrix", "matrix", MADE_AT, lambda _: PrintedReport(b"%PDF-1.4", 1))
    for shelf in (Shelf.region("52"), Shelf.national()):
        reports.make(shelf, 2025, "matrix", "matrix", MADE_AT, lambda _: PrintedReport(b"%PDF-1.4", 1))
    services.report_generation.log.put({"job_id": "matrix-job", "year": 2025, "scope": None, "status": "done",
                                        "created_at": MADE_AT.isoformat(), "created_by": "national@sante.fr"})
    profiles = {
        "regional_same": ("regional@ars52.fr", Profile(ProfileType.REGIONAL, RegionCode("52"))),
        "regional_other": ("regional@ars53.fr", Profile(ProfileType.REGIONAL, RegionCode("53"))),
        "national": ("national@sante.fr", Profile(ProfileType.NATIONAL)),
        "admin": ("admin@consores.fr", Profile(ProfileType.ADMIN)),
    }
    services.tenants.link_laboratory(system, OWN, lab.lab_id)
    for email, profile in profiles.values():
        aws.confirmed_user(email, PASSWORD)
        services.profiles.grant_system(Email(email), profile)
    services.profiles.grant_system(Email("someone@es.fr"), Profile(ProfileType.NATIONAL))
    emails = {status: people[OWN][status] for status in ("referent", "contributeur", "observateur")}
    emails["member_other_region"] = people[OTHER_REGION]["referent"]
    emails.update({kind: email for kind, (email, _) in profiles.items()})
    tokens = {kind: services.accounts.login(email, PASSWORD).id_token for kind, email in emails.items()}
    services.adapters.alerts.add(Alert("matrix-alert", OWN, "52", 2025, AlertKind.EPC, "EPC KPC", "KLEPNE",
                                       "Klebsiella pneumoniae", "URINE", "2025-02-03", "u1", "2026-01-01T00:00:00+00:00"))
    services.adapters.exports.put_export(ExportRecord("matrix-export", 2025, "rejected", "2026-01-01T00:00:00", "x", "api"))
    author = _principal(aws, people[OWN]["contributeur"])
    ticket = services.tickets.open(author, {"category": "import", "subject": "Matrice", "body": "Question", "finess": OWN})
    attached = services.tickets.attach(author, ticket["ticket_id"], "capture.png", 3)
    services.adapters.objects.put(services.settings.buckets["exports"], attached["post"]["fields"]["key"], b"png", "image/png")
    return {
        "ticket": ticket["ticket_id"],
        "attachment": attached["attachment_id"],
        "people": people,
        "refused": refused,
        "uploads": uploads,
        "lab": lab.lab_id,
        "spare_lab": spare.lab_id,
        "emails": emails,
        "tokens": tokens,
    }


def _principal(aws, email):
    return aws.services.authenticator.principal(f"Bearer {aws.services.accounts.login(email, PASSWORD).id_token}")


def _fill(path: str, finess: str, setup) -> str:
    if path.endswith(("/controls", "/periods")):
        path += "?year=2025"
    if path == "/api/completeness":
        path += "?scope=region:52&year=2025"
    if path in ("/api/alerts", "/api/alerts/counts"):
        path += f"?scope=establishment:{finess}&year=2025"
    if path == "/api/indicator-batch":
        path += f"?scope=establishment:{finess}&year=2025&items=ddj_1000jh"
    values = {
        "finess": finess,
        "request_id": setup["refused"][finess],
        "email": "someone@es.fr" if path.startswith("/api/admin/profiles") else setup["people"][finess]["contributeur"],
        "lab_id": setup["spare_lab"] if path.startswith("/api/admin/") else setup["lab"],
        "kind": "species" if path.startswith("/api/laboratories/") else "national",
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
        "document": "2025.pdf",
        "ticket_id": setup["ticket"],
        "attachment_id": setup["attachment"],
        "code": "52",
        "job_id": "matrix-job",
        "alert_id": "matrix-alert",
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
        ("PUT", "/api/laboratories/{lab_id}/mappings/{kind}"): [],
        ("POST", "/api/admin/exports/ears-net"): {"year": 2025},  # no closed data: 409 once authorised
        ("POST", "/api/admin/reports/{year}/generate"): {"scope": "partout"},  # not a scope: 400 once authorised
        ("PUT", "/api/methods/deduplication"): {"period": "annee", "reason": "matrice"},  # in force: 409 once authorised
        ("PUT", "/api/admin/campaign/{year}"): {"deadline": "2026-03-31", "reminder_days": [30, 7]},
        ("POST", "/api/tickets"): {"category": "autre", "subject": "Matrice", "body": "Une question"},
        ("PATCH", "/api/alerts/{alert_id}"): {"status": "vue", "comment": "Vue par la matrice"},
        ("PATCH", "/api/tickets/{ticket_id}"): {"status": "ferme"},  # closed by its author, then 409 once authorised
        ("POST", "/api/tickets/{ticket_id}/messages"): {"body": "Une réponse"},
        ("POST", "/api/tickets/{ticket_id}/attachments"): {"filename": "note.txt", "size": 10},
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


def _principal_from_table(caller: str, email: str) -> Principal:
    statuses = {"referent": Status.REFERENT, "contributeur": Status.CONTRIBUTEUR, "observateur": Status.OBSERVATEUR}
    if caller in statuses:
        return Principal(Email(email), memberships={Finess(OWN): statuses[caller]})
    if caller == "member_other_region":
        return Principal(Email(email), memberships={Finess(OTHER_REGION): Status.REFERENT})
    kind, region = {
        "regional_same": (ProfileType.REGIONAL, RegionCode("52")),
        "regional_other": (ProfileType.REGIONAL, RegionCode("53")),
        "national": (ProfileType.NATIONAL, None),
        "admin": (ProfileType.ADMIN, None),
    }[caller]
    return Principal(Email(email), profiles=frozenset({(kind, region)}))


def expected(rule: str | Action, caller: str, finess: str, setup) -> int | None:
    """The status the route must answer; None: any answer but 401, 403 and 404 (authorised)."""
    if rule == PUBLIC or (rule == LOCAL_MAILBOX and services().settings.open_mailbox):
        return None
    if caller == "anonymous":
        return 401
    principal = _principal_from_table(caller, setup["emails"][caller])
    if rule in (SIGNED_IN, INDICATOR):
        return None
    if rule == REGION_TABLE:
        if principal.has_profile(ProfileType.NATIONAL) or principal.has_profile(ProfileType.ADMIN):
            return None
        if principal.regions():
            return None if RegionCode("52") in principal.regions() else 404
        return 403
    if rule in (TICKET, TICKET_STATUS):
        if caller in ("observateur", "member_other_region", "regional_other"):
            return 404
        return 403 if rule == TICKET_STATUS and caller == "referent" else None
    if rule in (REGION_SYNTHESIS, NATIONAL_SYNTHESIS):
        national = principal.has_profile(ProfileType.NATIONAL) or principal.has_profile(ProfileType.ADMIN)
        regional = rule == REGION_SYNTHESIS and RegionCode("52") in principal.regions()
        return None if national or regional else 404
    if rule in (LABORATORY_READ, LABORATORY_WRITE):  # the laboratory serves OWN (region 52) only
        if principal.has_profile(ProfileType.NATIONAL) or principal.has_profile(ProfileType.ADMIN):
            return None
        status = principal.memberships.get(Finess(OWN))
        if status is None and RegionCode("52") not in principal.regions():
            return 404
        writer = status in (Status.REFERENT, Status.CONTRIBUTEUR)
        return None if rule == LABORATORY_READ or writer else 403
    action = Action(Action.OPERATE_LOCAL_PLATFORM if rule == LOCAL_MAILBOX else rule)
    target = (Finess(finess), RegionCode(REGION_OF[finess])) if action in ESTABLISHMENT_ACTIONS else None
    return {Outcome.ALLOW: None, Outcome.FORBIDDEN: 403, Outcome.NOT_FOUND: 404}[decide(principal, action, target)]


def served_routes() -> set[str]:
    return {f"{method} {path}" for path, methods in app.app.routes.items() for method in methods}


def test_every_route_of_the_app_has_a_line_in_the_matrix():
    assert served_routes() - set(RULES) == set(), "a route without a rule: add its line to RULES"
    assert set(RULES) - served_routes() <= EMBEDDED_ONLY


def test_each_route_declares_the_action_its_line_gives():
    """The route's own declaration (RouteSpec.action, read by the OpenAPI document) says the same."""
    for route in ROUTES:
        rule = RULES[f"{route.method} {route.path}"]
        if rule == LOCAL_MAILBOX:
            continue  # routed as public; the route itself asks for the administrator unless demo data run
        assert route.authenticated == (rule != PUBLIC), route.path
        declared = route.action if isinstance(rule, Action) else None
        assert route.action == declared, route.path


def test_every_route_answers_every_caller_as_its_rule_says(api, matrix):
    wrong, checked = [], 0
    for line in sorted(served_routes()):
        method, path = line.split(" ", 1)
        for finess in (OWN, SAME_REGION, OTHER_REGION) if "{finess}" in path else (OWN,):
            for caller in CALLERS:
                filled = _fill(path, finess, matrix)
                answer = api.call(method, filled, _body(path, method, finess, matrix), matrix["tokens"].get(caller))
                status = expected(RULES[line], caller, finess, matrix)
                if (answer.status_code in (401, 403, 404)) if status is None else answer.status_code != status:
                    wrong.append(f"{method} {filled} as {caller}: {answer.status_code}, expected {status or 'allowed'}")
                elif status is not None:
                    assert set(answer.json) == {"code", "message", "details"}, f"{line}: a refusal carries no data"
                checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked >= len(CALLERS) * len(served_routes()) >= 9 * 60
