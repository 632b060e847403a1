"""Demo seed of the embedded runtime: a region, establishments of different
categories, a laboratory, and people of every status, created through the
platform's own services (the same rules as for real users)."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode

PASSWORD = "Demo-ConsoRes-2026"

ESTABLISHMENTS = (
    ("440000990", "CHU Loire-Atlantique (démo)", "CHU", "52"),
    ("490000999", "Centre hospitalier de l'Anjou (démo)", "CH", "52"),
    ("850000993", "Clinique du Bocage (démo)", "MCO", "52"),
    ("720000991", "Centre SMR de la Sarthe (démo)", "SMR", "52"),
    ("350000998", "Centre hospitalier de Haute-Bretagne (démo)", "CH", "53"),
)

#: (e-mail, password, what the person is), printed at start.
ACCOUNTS = (
    ("referent@chu-demo.fr", PASSWORD, "référent du CHU (démo)"),
    ("contributeur@chu-demo.fr", PASSWORD, "contributeur du CHU (démo)"),
    ("observateur@chu-demo.fr", PASSWORD, "observateur du CHU (démo)"),
    ("referent@ch-anjou-demo.fr", PASSWORD, "référent du CH de l'Anjou (démo)"),
    ("referent@ch-bretagne-demo.fr", PASSWORD, "référent du CH de Haute-Bretagne (démo)"),
    ("demandeur@chu-demo.fr", PASSWORD, "demande d'accès en attente au CHU"),
    ("regional@ars-pdl-demo.fr", PASSWORD, "profil régional Pays de la Loire"),
    ("national@sante-demo.fr", PASSWORD, "profil national"),
)

_NAMES = {
    "referent@chu-demo.fr": ("Claire", "Martin"),
    "contributeur@chu-demo.fr": ("Hugo", "Bernard"),
    "observateur@chu-demo.fr": ("Inès", "Petit"),
    "referent@ch-anjou-demo.fr": ("Paul", "Durand"),
    "referent@ch-bretagne-demo.fr": ("Léa", "Le Goff"),
    "demandeur@chu-demo.fr": ("Nicolas", "Robert"),
    "regional@ars-pdl-demo.fr": ("Sophie", "Moreau"),
    "national@sante-demo.fr": ("Marc", "Lefèvre"),
}


def _person(services: Any, email: str) -> Principal:
    address = Email.parse(email)
    identity = services.adapters.identity
    if identity.get_user(address) is None:
        first, last = _NAMES[email]
        identity.sign_up(address, PASSWORD, first, last)
        identity.confirm(address)
    return _principal(services, address)


def _principal(services: Any, email: Email) -> Principal:
    access = services.adapters.access
    return Principal(
        email=email,
        memberships={m.finess: m.status for m in access.memberships_of(email)},
        profiles=frozenset((p.type, p.region) for p in access.profiles_of(email)),
    )


def seed(services: Any) -> list[tuple[str, str, str]]:
    admin = Principal(Email("system@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))
    for finess, name, category, region in ESTABLISHMENTS:
        services.tenants.create_establishment(admin, finess, name, category, region)
    # An EARS-Net code of the form TESSy accepts (MDS57 LaboratoryCodeAMR), so that the demo year exports cleanly.
    lab = services.tenants.create_laboratory(admin, "Laboratoire de biologie médicale du CHU (démo)", "FR001")
    services.tenants.link_laboratory(admin, "440000990", lab.lab_id)
    services.tenants.link_laboratory(admin, "490000999", lab.lab_id)

    def first_referent(email: str, finess: str) -> None:
        services.access.request_access(_person(services, email), finess, True, f"direction@{email.split('@')[1]}", None)

    first_referent("referent@chu-demo.fr", "440000990")
    first_referent("referent@ch-anjou-demo.fr", "490000999")
    first_referent("referent@ch-bretagne-demo.fr", "350000998")
    referent = _principal(services, Email("referent@chu-demo.fr"))
    for email, role in (("contributeur@chu-demo.fr", "contributeur"), ("observateur@chu-demo.fr", "observateur")):
        outcome = services.access.request_access(_person(services, email), "440000990", None, None, None)
        services.access.decide(referent, "440000990", outcome.request_id, "accept", role)
    services.access.request_access(_person(services, "demandeur@chu-demo.fr"), "440000990", None, None, None)
    _person(services, "regional@ars-pdl-demo.fr")
    _person(services, "national@sante-demo.fr")
    services.profiles.grant_system(Email("regional@ars-pdl-demo.fr"), Profile(ProfileType.REGIONAL, RegionCode("52")))
    services.profiles.grant_system(Email("national@sante-demo.fr"), Profile(ProfileType.NATIONAL))
    return list(ACCOUNTS)


def seed_files(services: Any, post: Any, year: int = 2025) -> int:
    """Each demo référent imports a year of files through the real path: a
    presigned POST, the S3 event, on_upload. ``post(url, fields, name, content)``
    sends one file as the browser would. Returns the number of files sent."""
    from chalicelib.domain.periods import Period
    from infra.local import demo_files, lambda_hook

    sent = 0
    for email, finess, category in (
        ("referent@chu-demo.fr", "440000990", "CHU"),
        ("referent@ch-anjou-demo.fr", "490000999", "CH"),
        ("referent@ch-bretagne-demo.fr", "350000998", "CH"),
    ):
        referent = _principal(services, Email(email))
        units = demo_files.layout(category)
        seed = int(finess)
        files = [
            ("structure", str(year), demo_files.structure_rows(units)),
            ("beds", str(year), demo_files.beds_rows(units, year)),
        ]
        for quarter in Period(year).quarters():
            files.append(("patient_days", str(quarter), demo_files.patient_days_rows(units, quarter, seed)))
            files.append(("consumption", str(quarter), demo_files.consumption_rows(units, quarter, seed)))
        for file_type, period, rows in files:
            content = _csv(rows)
            name = f"{file_type}-{period}.csv"
            _upload, presigned, _ = services.uploads.create(referent, finess, file_type, period, name, len(content), None)
            post(presigned["url"], presigned["fields"], name, content)
            lambda_hook.drain()  # the structure must be in before the files that use it
            sent += 1
    sent += _seed_antibiograms(services, post, year)
    _close_years(services, year)
    return sent


def _close_years(services: Any, year: int) -> None:
    """Each demo référent closes the year, as the web client's close button does:
    regional, national and open indicators then have closed data to show."""
    import logging
    import time

    from chalicelib.domain.errors import Conflict

    for email, finess in (
        ("referent@chu-demo.fr", "440000990"),
        ("referent@ch-anjou-demo.fr", "490000999"),
        ("referent@ch-bretagne-demo.fr", "350000998"),
    ):
        try:
            services.closure.close(_principal(services, Email(email)), finess, str(year))
        except Conflict as error:
            logging.getLogger("consores.demo").warning("demo %s not closed: %s %s", finess, error.message, error.details[:2])
            continue
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            states = {s.period: s.status for s in services.adapters.periods.states(Finess(finess), year)}
            if states.get(str(year)) in ("closed", "open"):
                break
            time.sleep(0.2)


def _seed_antibiograms(services: Any, post: Any, year: int) -> int:
    """The shared demo laboratory's exports: first NEEDS_MAPPING, then the référent
    confirms the proposed mappings and resumes, as a person would in the web client.
    The CHU sends its antibiograms quarter by quarter (each quarter's specimens), the CH
    once a year: the dashboards' quarterly view of resistance has both kinds to show."""
    from infra.local import demo_antibiograms, demo_files

    lab = next(iter(services.adapters.tenants.get_establishment(Finess("440000990")).laboratories))
    sent = 0
    for email, finess, category, isolates, quarterly in (
        ("referent@chu-demo.fr", "440000990", "CHU", 1500, True),
        ("referent@ch-anjou-demo.fr", "490000999", "CH", 400, False),
    ):
        referent = _principal(services, Email(email))
        codes = demo_files.laboratory_ufs(category)
        header, *rows = demo_antibiograms.antibiogram_rows(codes, year, int(finess), isolates, fungi=isolates // 10)
        if quarterly:
            month = demo_antibiograms.HEADER.index("date_prelevement")
            files = [(f"{year}-T{q}", [header, *(r for r in rows if (int(r[month].split("/")[1]) - 1) // 3 + 1 == q)])
                     for q in range(1, 5)]  # fmt: skip
        else:
            files = [(str(year), [header, *rows])]
        for period, content_rows in files:
            _send_antibiograms(services, post, referent, finess, lab, period, _csv(content_rows))
            sent += 1
    return sent


def _send_antibiograms(services: Any, post: Any, referent: Any, finess: str, lab: str, period: str, content: bytes) -> None:
    """One export of the laboratory for ``period``, sent, its labels' proposals confirmed, resumed, settled."""
    import time

    from infra.local import lambda_hook

    name = "antibiogrammes.csv" if "-T" not in period else f"antibiogrammes-{period}.csv"
    upload, presigned, _ = services.uploads.create(referent, finess, "resistance", period, name, len(content), lab)
    post(presigned["url"], presigned["fields"], name, content)
    lambda_hook.drain()
    for kind in ("species", "specimen", "antibiotic"):
        services.mappings.confirm_all_proposals(referent, lab, kind)
    if services.adapters.uploads.get(Finess(finess), upload.upload_id).status.value == "NEEDS_MAPPING":
        services.uploads.resume(referent, finess, upload.upload_id)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        lambda_hook.drain()
        if services.adapters.uploads.get(Finess(finess), upload.upload_id).status.value in ("DEDUPLICATED", "FAILED", "REJECTED"):
            break
        time.sleep(0.2)


def _csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(";".join(row) for row in rows) + "\r\n").encode("utf-8")
