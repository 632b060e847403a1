"""Issue #18, tickets on the embedded platform: a référent asks a question with a file attached (presigned POST
through the platform's own origin), the regional team finds it in its inbox, downloads the file, answers; the
référent reads the answer; both e-mails carry the ticket's link; another region's team gets 404."""

from __future__ import annotations

import requests

from tests.flows.conftest import ADMIN, Http
from tests.flows.test_imports_one import CHU, referent

PASSWORD = "Pass-word-2026"


def person(http: Http, email: str, region: str | None = None) -> str:
    http.call("POST", "/api/auth/signup", {"email": email, "password": PASSWORD, "first_name": "A", "last_name": "B"})
    http.call("POST", "/api/auth/confirm", {"email": email, "code": http.mailbox_code(email)})
    if region:
        admin = http.call("POST", "/api/auth/login", {"email": ADMIN[0], "password": ADMIN[1]}).data["id_token"]
        granted = http.call("POST", "/api/admin/profiles", {"email": email, "type": "regional", "region": region}, admin)
        assert granted.status_code == 201, granted.text
    return http.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD}).data["id_token"]


def test_a_question_answered_by_the_regional_team_with_a_file_and_both_e_mails(platform, http):
    claire = referent(http)
    regional = person(http, "ars@pdl.fr", "52")
    elsewhere = person(http, "ars@bretagne.fr", "53")

    opened = http.call("POST", "/api/tickets", {"category": "import", "subject": "Fichier refusé", "finess": CHU,
                                                "body": "Mon fichier <script>x</script> est refusé."}, claire)  # fmt: skip
    assert opened.status_code == 201, opened.text
    ticket_id = opened.data["ticket_id"]
    assert opened.data == {"ticket_id": ticket_id, "status": "ouvert", "team": "region:52"}

    slot = http.call("POST", f"/api/tickets/{ticket_id}/attachments", {"filename": "erreur.txt", "size": 12}, claire)
    assert slot.status_code == 201, slot.text
    assert slot.data["post"]["url"].startswith(http.base + "/_s3/")
    sent = requests.post(slot.data["post"]["url"], data=slot.data["post"]["fields"],
                         files={"file": ("erreur.txt", b"ligne 12 KO")}, timeout=60)  # fmt: skip
    assert sent.status_code in (200, 204), sent.text
    too_big = http.call("POST", f"/api/tickets/{ticket_id}/attachments", {"filename": "gros.pdf", "size": 11_000_000}, claire)
    assert too_big.status_code == 413 and "10 Mo" in too_big.data["message"]

    inbox = http.call("GET", "/api/tickets?team=region:52&status=ouvert", None, regional).data
    assert [t["ticket_id"] for t in inbox] == [ticket_id]
    assert http.call("GET", "/api/tickets/counts?team=region:52", None, regional).data["ouvert"] == 1
    assert http.call("GET", f"/api/tickets/{ticket_id}", None, elsewhere).status_code == 404
    assert http.call("GET", "/api/tickets", None, elsewhere).data == []

    ticket = http.call("GET", f"/api/tickets/{ticket_id}", None, regional).data
    assert ticket["messages"][0]["body"] == "Mon fichier <script>x</script> est refusé."
    [attachment] = ticket["messages"][0]["attachments"]
    download = http.session.get(f"{http.base}/api/tickets/{ticket_id}/attachments/{attachment['attachment_id']}",
                                headers={"Authorization": f"Bearer {regional}"}, allow_redirects=False, timeout=30)  # fmt: skip
    assert download.status_code == 303
    assert requests.get(download.headers["Location"], timeout=30).content == b"ligne 12 KO"

    answered = http.call("POST", f"/api/tickets/{ticket_id}/messages", {"body": "Ajoutez l'UF 0412."}, regional)
    assert answered.status_code == 201 and answered.data["status"] == "en_cours"
    seen = http.call("GET", f"/api/tickets/{ticket_id}", None, claire).data
    assert [m["body"] for m in seen["messages"]][-1] == "Ajoutez l'UF 0412."

    mails = [m for m in http.call("GET", "/api/local/mailbox").data if f"/#/support/{ticket_id}" in m["body"]]
    assert any("ars@pdl.fr" in m["to"] and "nouvelle demande" in m["subject"] for m in mails), mails
    assert any("claire@chu.fr" in m["to"] and "nouvelle réponse" in m["subject"] for m in mails), mails
    assert not any("ars@bretagne.fr" in m["to"] for m in mails)
