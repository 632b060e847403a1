"""Issue "Imports II", done-when: a laboratory's file goes NEEDS_MAPPING, the
labels are mapped, the import resumes without a new upload and ends
DEDUPLICATED with the counts computed by hand."""

from __future__ import annotations

import time

from tests.flows.conftest import Http
from tests.flows.test_imports_one import CHU, lake_rows, referent, upload
from tests.support import files


def wait_for(http: Http, token: str, upload_id: str, statuses: set[str]) -> dict:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        answer = http.call("GET", f"/api/establishments/{CHU}/uploads/{upload_id}", None, token).data
        if answer["status"] in statuses:
            return answer
        time.sleep(0.2)
    raise AssertionError(f"upload {upload_id} never reached {statuses}: {answer['status']}")


def a_laboratory(http: Http) -> str:
    admin = http.call("POST", "/api/auth/login", {"email": "admin@consores.fr", "password": "Admin-ConsoRes-2026"}).data[
        "id_token"
    ]
    lab = http.call("POST", "/api/admin/laboratories", {"name": "Laboratoire du CHU", "ears_net_code": "FR001"}, admin).data["id"]
    http.call("PUT", f"/api/admin/establishments/{CHU}/laboratories/{lab}", None, admin)
    return lab


def test_a_laboratory_file_waits_for_mappings_then_resumes_to_deduplicated(platform, http):
    token = referent(http)
    lab = a_laboratory(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    content = files.xlsx(files.RESISTANCE)
    created = http.call(
        "POST", f"/api/establishments/{CHU}/uploads",
        {"type": "resistance", "period": "2025", "filename": "antibiogrammes.xlsx", "size": len(content), "laboratory_id": lab},
        token,
    ).data  # fmt: skip
    import requests

    requests.post(created["post"]["url"], data=created["post"]["fields"], files={"file": ("a.xlsx", content)}, timeout=60)
    waiting = wait_for(http, token, created["upload_id"], {"NEEDS_MAPPING", "REJECTED", "FAILED"})
    assert waiting["status"] == "NEEDS_MAPPING", waiting["report"]
    unmapped = waiting["report"]["unmapped"]
    assert {m["label"]: m["proposed_code"] for m in unmapped["species"]} == {
        "E. coli BLSE": "ESCCOL",
        "Klebsiella pneumoniae": "KLEPNE",
        "S. aureus": "STAAUR",
    }
    assert {m["label"] for m in unmapped["antibiotic"]} == {
        "Amoxicilline",
        "Céfotaxime",
        "Ciprofloxacine",
        "Céfoxitine",
        "Vancomycine",
    }

    for kind in ("species", "specimen", "antibiotic"):
        confirmed = http.call("POST", f"/api/laboratories/{lab}/mappings/{kind}/confirm-proposals", None, token)
        assert confirmed.status_code == 200, confirmed.text
    assert http.call("GET", f"/api/laboratories/{lab}/mappings?state=proposed", None, token).data == []
    resumed = http.call("POST", f"/api/establishments/{CHU}/uploads/{created['upload_id']}/resume", None, token)
    assert resumed.status_code == 202, resumed.text

    done = wait_for(http, token, created["upload_id"], {"DEDUPLICATED", "FAILED", "REJECTED"})
    assert done["status"] == "DEDUPLICATED", done["report"]
    summary = done["report"]["summary"]
    assert summary["isolates_read"] == 8
    assert summary["excluded"]["screening"] == 1
    assert summary["isolates_kept"] == 4
    assert summary["blood_isolates_kept"] == 2
    assert summary["phenotypes"] == {"sarm": 1, "eblse": 2, "epc": 0, "erg": 0, "c3g_r": 2, "fq_r": 1, "carba_r": 0, "caz_r": 0}
    # The import names the laboratory's mapping version it used: three confirmations, three versions.
    assert summary["mapping_version"] == 3
    changes = http.call("GET", f"/api/laboratories/{lab}/mappings/changes", None, token).data
    assert changes["version"] == 3 and {m["version"] for m in changes["mappings"]} == {1, 2, 3}
    assert all("@" in m["updated_by"] for m in changes["mappings"])

    isolates = lake_rows(platform, "isolates")
    assert len(isolates) == 7  # the screening swab never reaches the lake
    assert all(len(row[4]) == 64 for row in isolates)  # pseudonyms, never "P001"
    kept_rows = sorted(int(row[3].split(":")[1]) for row in isolates if row[13])
    assert kept_rows == [2, 4, 5, 8]
    assert platform.services.adapters.objects.list_keys(platform.services.settings.buckets["raw"], "") == []


def test_a_second_file_of_the_laboratory_reuses_its_mappings(platform, http):
    token = referent(http)
    lab = a_laboratory(http)
    upload(http, token, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))
    platform.services.mappings.confirm(
        platform.services.authenticator.principal(f"Bearer {token}"), lab, "species",
        [("E. coli BLSE", "ESCCOL"), ("S. aureus", "STAAUR"), ("Klebsiella pneumoniae", "KLEPNE")],
    )  # fmt: skip
    principal = platform.services.authenticator.principal(f"Bearer {token}")
    platform.services.mappings.confirm(
        principal, lab, "specimen", [("Hémoculture", "HEMOC"), ("ECBU", "URINE"), ("Urines", "URINE")]
    )
    platform.services.mappings.confirm(
        principal, lab, "antibiotic",
        [("Amoxicilline", "AMX"), ("Céfotaxime", "CTX"), ("Ciprofloxacine", "CIP"), ("Céfoxitine", "FOX"),
         ("Vancomycine", "VAN")],
    )  # fmt: skip
    content = files.csv(files.RESISTANCE)
    created = http.call(
        "POST", f"/api/establishments/{CHU}/uploads",
        {"type": "resistance", "period": "2025", "filename": "a.csv", "size": len(content), "laboratory_id": lab}, token,
    ).data  # fmt: skip
    import requests

    requests.post(created["post"]["url"], data=created["post"]["fields"], files={"file": ("a.csv", content)}, timeout=60)
    done = wait_for(http, token, created["upload_id"], {"DEDUPLICATED", "FAILED", "REJECTED", "NEEDS_MAPPING"})
    assert done["status"] == "DEDUPLICATED", done["report"]
