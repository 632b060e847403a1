"""Issue #18 on the embedded platform: a consumption file with an unknown UCD waits (NEEDS_CATALOGUE), the
national team finds the catalogue ticket in its inbox, adds the UCD, and the file becomes VALIDATED by itself
(its raw file copied onto itself, its "object created" event processed again), the référent e-mailed with the
import's link and the ticket resolved; then the completeness table and one reminder run."""

from __future__ import annotations

import time
from datetime import date, timedelta

from infra.local import lambda_hook
from tests.flows.conftest import ADMIN, Http
from tests.flows.test_imports_one import CHU, referent, upload
from tests.flows.test_tickets import person
from tests.support import files

UNKNOWN = "9999991"
ENTRY = {"ucd": UNKNOWN, "label": "Amoxicilline 500 mg, gélule", "atc": "J01CA04", "route": "O", "strength": 0.5,
         "strength_unit": "g", "form": "gélule"}  # fmt: skip


def national(http: Http) -> str:
    person(http, "nat@sante.fr")
    admin = http.call("POST", "/api/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}).data["id_token"]
    granted = http.call("POST", "/api/admin/profiles", {"email": "nat@sante.fr", "type": "national"}, admin)
    assert granted.status_code == 201, granted.text
    return http.call("POST", "/api/auth/login", {"email": "nat@sante.fr", "password": "Pass-word-2026"}).data["id_token"]


def settled(http: Http, token: str, upload_id: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lambda_hook.drain()
        answer = http.call("GET", f"/api/establishments/{CHU}/uploads/{upload_id}", None, token).data
        if answer["status"] not in ("PENDING", "PROCESSING"):
            return answer
        time.sleep(0.2)
    raise AssertionError("the upload was never processed again")


def test_a_file_waiting_on_the_catalogue_is_validated_by_itself_once_the_national_team_adds_its_ucd(platform, http):
    claire = referent(http)
    nat = national(http)
    assert upload(http, claire, "structure", "2025", "structure.csv", files.csv(files.STRUCTURE))["status"] == "VALIDATED"
    rows = [*files.CONSUMPTION_T1, ["0412", UNKNOWN, "AMOXICILLINE 500MG GELULE", "120", "2025-T1"]]
    waiting = upload(http, claire, "consumption", "2025-T1", "conso.xlsx", files.xlsx(rows))
    assert waiting["status"] == "NEEDS_CATALOGUE", waiting["report"]
    assert waiting["report"]["summary"]["unknown_ucds"] == [UNKNOWN]

    [ticket] = http.call("GET", "/api/tickets?team=national&status=ouvert", None, nat).data
    assert (ticket["category"], ticket["finess"]) == ("catalogue", CHU)
    thread = http.call("GET", f"/api/tickets/{ticket['ticket_id']}", None, nat).data
    assert thread["links"] == {"upload_id": waiting["upload_id"], "period": "2025-T1", "ucds": [UNKNOWN]}
    assert any("nat@sante.fr" in m["to"] and UNKNOWN in m["body"] for m in http.call("GET", "/api/local/mailbox").data)

    added = http.call("PUT", "/api/admin/catalogue/entries", [ENTRY], nat)
    assert added.status_code == 200, added.text
    done = settled(http, claire, waiting["upload_id"])
    assert done["status"] == "VALIDATED", done["report"]
    assert done["report"]["summary"]["ddd_by_atc"]["J01CA04"] == 30.0 + 120 * 0.5 / 1.5  # 90 x 1 g/3 g + 120 x 0.5 g/1.5 g
    assert http.call("GET", f"/api/tickets/{ticket['ticket_id']}", None, nat).data["status"] == "resolu"
    mails = [m for m in http.call("GET", "/api/local/mailbox").data if "claire@chu.fr" in m["to"]]
    told = [m for m in mails if "validé" in m["subject"]]
    assert len(told) == 1 and f"/#/etablissements/{CHU}/imports/{waiting['upload_id']}" in told[0]["body"]

    table = http.call("GET", "/api/completeness?scope=national&year=2025", None, nat).data
    [row] = [r for r in table if r["finess"] == CHU]
    assert row["datasets"]["consumption"]["2025-T1"] == "imported"
    assert row["datasets"]["consumption"]["2025-T2"] == "absent"

    soon = (date.today() + timedelta(days=3)).isoformat()
    assert http.call("PUT", "/api/admin/campaign/2025", {"deadline": soon, "reminder_days": [3]}, nat).status_code == 200
    admin = http.call("POST", "/api/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}).data["id_token"]
    ran = http.call("POST", "/api/local/schedules/remind_deadlines/run", None, admin)
    assert ran.status_code == 200, ran.text
    reminders = [m for m in http.call("GET", "/api/local/mailbox").data if "à compléter" in m["subject"]]
    assert [m["to"] for m in reminders] == ["claire@chu.fr"]
    again = http.call("POST", "/api/local/schedules/remind_deadlines/run", None, admin)
    assert again.status_code == 200
    assert len([m for m in http.call("GET", "/api/local/mailbox").data if "à compléter" in m["subject"]]) == 1
