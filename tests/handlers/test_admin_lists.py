"""The administration lists through HTTP (real adapters on the emulator)."""

from __future__ import annotations

from chalicelib.domain.access import Profile, ProfileType
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email

PASSWORD = "Pass-word-2026"
SYSTEM = Principal(Email("system@consores.fr"), profiles=frozenset({(ProfileType.ADMIN, None)}))


def _token(aws, email):
    return aws.services.accounts.login(email, PASSWORD).id_token


def test_admin_lists_profiles_establishments_and_laboratory_links(api, aws):
    services = aws.services
    services.tenants.create_establishment(SYSTEM, "440000990", "CHU Loire-Atlantique", "CHU", "52")
    lab = services.tenants.create_laboratory(SYSTEM, "Biologie Ouest", None)
    services.tenants.link_laboratory(SYSTEM, "440000990", lab.lab_id)
    aws.confirmed_user("admin@consores.fr", PASSWORD, "Alice", "Admin")
    services.profiles.grant_system(Email("admin@consores.fr"), Profile(ProfileType.ADMIN))
    aws.confirmed_user("claire@chu.fr", PASSWORD, "Claire", "Martin")
    aws.confirmed_user("hugo@chu.fr", PASSWORD, "Hugo", "Durand")
    claire = _token(aws, "claire@chu.fr")
    api.call(
        "POST", "/api/establishments/440000990/access-requests", {"charter_accepted": True, "direction_email": "d@chu.fr"}, claire
    )
    api.call("POST", "/api/establishments/440000990/access-requests", {}, _token(aws, "hugo@chu.fr"))
    admin = _token(aws, "admin@consores.fr")

    profiles = api.call("GET", "/api/admin/profiles", token=admin)
    assert profiles.status_code == 200
    assert profiles.json == [{"email": "admin@consores.fr", "type": "admin", "first_name": "Alice", "last_name": "Admin"}]

    listed = api.call("GET", "/api/admin/establishments?region=52&year=2025", token=admin).json
    assert listed == [
        {
            "finess": "440000990",
            "name": "CHU Loire-Atlantique",
            "category": "CHU",
            "region": "52",
            "laboratories": [lab.lab_id],
            "referent": True,
            "members": {"referent": 1, "contributeur": 0, "observateur": 0},
            "pending_requests": 1,
            "periods": [],
        }
    ]
    assert api.call("GET", "/api/admin/establishments?year=deux", token=admin).status_code == 400

    labs = api.call("GET", "/api/admin/laboratories", token=admin).json
    assert labs[0]["establishments"] == [{"finess": "440000990", "name": "CHU Loire-Atlantique", "region": "52"}]

    pending = api.call("GET", "/api/establishments/440000990/access-requests?status=pending", token=claire).json
    assert [(r["email"], r["first_name"], r["last_name"]) for r in pending] == [("hugo@chu.fr", "Hugo", "Durand")]
    assert api.call("GET", "/api/admin/profiles", token=claire).status_code == 403
