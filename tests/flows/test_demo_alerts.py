"""Issue 19's alerts on the embedded platform with its demo data (imported through the real path, as
`make run` does): the demo year shows one alert per kept EPC and ERG isolate of each establishment —
as many as its import's summary counts, of the types the `carbapenemase` indicator counts —, each
e-mailed to the référent with a link to the alert screen; the region's team lists them; the
référent acknowledges one with a comment kept as text; an observateur may not."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.flows.conftest import Http, start_platform
from tests.flows.test_ears_net_export import login

#: The module shares one demo platform: its tests run one after the other on one worker, never between
#: another module's (a platform stopping resets the process's services, which this one's requests use).
pytestmark = pytest.mark.xdist_group("demo-alerts")

ESTABLISHMENTS = {"440000990": "referent@chu-demo.fr", "490000999": "referent@ch-anjou-demo.fr"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    running = start_platform(tmp_path_factory.mktemp("alerts") / "data", demo=True)
    yield running
    running.stop()


def kept_phenotypes(http: Http, finess: str, token: str) -> Counter[str]:
    """The isolates each import kept, by phenotype, over the year's imports (the CHU sends a file a quarter)."""
    uploads = http.call("GET", f"/api/establishments/{finess}/uploads?type=resistance", None, token).data
    done = [u for u in uploads if u["status"] == "DEDUPLICATED"]
    assert len(done) == {"440000990": 4, "490000999": 1}[finess], uploads
    kept: Counter[str] = Counter()
    for upload in done:
        report = http.call("GET", f"/api/establishments/{finess}/uploads/{upload['upload_id']}", None, token).data["report"]
        kept.update(report["summary"]["phenotypes"])
    return kept


@pytest.mark.slow
def test_the_demo_year_shows_an_alert_for_each_kept_epc_and_erg_isolate_e_mailed_to_the_referent(demo):
    http = Http(demo.url)
    mailbox = http.call("GET", "/api/local/mailbox").data
    total = 0
    for finess, email in ESTABLISHMENTS.items():
        token = login(http, email)
        alerts = http.call("GET", f"/api/alerts?scope=establishment:{finess}&year=2025", None, token)
        assert alerts.status_code == 200, alerts.text
        kinds = Counter(a["kind"] for a in alerts.data)
        phenotypes = kept_phenotypes(http, finess, token)
        assert phenotypes["epc"] > 0
        assert kinds["epc"] == phenotypes["epc"], (finess, kinds, phenotypes)
        assert kinds["erg"] == phenotypes["erg"], (finess, kinds, phenotypes)
        by_type = Counter(a["phenotype"].removeprefix("EPC ") for a in alerts.data if a["kind"] == "epc")
        indicator = http.call("GET", f"/api/indicators/carbapenemase?scope=establishment:{finess}&year=2025", None, token)
        assert indicator.status_code == 200, indicator.text
        counted = {next(v for k, v in row.items() if isinstance(v, str) and k not in ("flag",)): row["numerator"]
                   for row in indicator.data["rows"] if row["numerator"]}  # fmt: skip
        assert counted == dict(by_type), (counted, by_type)
        mails = [m for m in mailbox if email in m["to"] and m["subject"].startswith("ConsoRes : alerte ")]
        assert len(mails) == len(alerts.data)
        assert all(f"#/alertes?scope=establishment:{finess}&alerte=" in m["body"] for m in mails)
        total += len(alerts.data)
    regional = login(http, "regional@ars-pdl-demo.fr")
    assert len(http.call("GET", "/api/alerts?scope=region:52&year=2025", None, regional).data) == total
    counts = http.call("GET", "/api/alerts/counts?scope=region:52&year=2025", None, regional).data
    assert counts["total"] == total


@pytest.mark.slow
def test_the_referent_acknowledges_an_alert_with_a_comment_and_an_observateur_may_not(demo):
    http = Http(demo.url)
    referent, observer = login(http, "referent@chu-demo.fr"), login(http, "observateur@chu-demo.fr")
    alert = http.call("GET", "/api/alerts?scope=establishment:440000990&status=nouvelle", None, referent).data[0]
    path = f"/api/alerts/{alert['alert_id']}"
    refused = http.call("PATCH", path, {"status": "vue"}, observer)
    assert refused.status_code == 403 and refused.data["code"] == "ERR_FORBIDDEN"
    done = http.call("PATCH", path, {"status": "traitée", "comment": "<b>Contacts</b> dépistés"}, referent)
    assert done.status_code == 200, done.text
    assert (done.data["status"], done.data["comment"]) == ("traitée", "<b>Contacts</b> dépistés")
    assert http.call("PATCH", "/api/alerts/inconnue", {"status": "vue"}, referent).status_code == 404
    too_long = http.call("PATCH", path, {"status": "vue", "comment": "x" * 2_001}, referent)
    assert too_long.status_code == 400 and "Commentaire trop long" in too_long.data["message"]
    seen_by_observer = http.call("GET", "/api/alerts?scope=establishment:440000990&status=traitée", None, observer).data
    assert [a["alert_id"] for a in seen_by_observer] == [alert["alert_id"]]


@pytest.mark.slow
def test_the_demo_year_shows_the_antifungal_resistance_of_its_priority_fungi_and_its_candida_auris_alerts(demo):
    http = Http(demo.url)
    national = login(http, "national@sante-demo.fr")
    answer = http.call("GET", "/api/indicators/antifungal_r?scope=national&year=2025", None, national).data
    rows = {(r["species"], r["antifungal_class"]): r for r in answer["rows"]}
    assert rows[("CANALB", "fluconazole")]["n"] >= 30  # the demo's Candida albicans, tested by both laboratories
    assert rows[("CANKRU", "fluconazole")]["value"] == 100.0  # P. kudriavzevii: intrinsically resistant
    assert ("ASPFUM", "azoles") in rows and ("ASPFUM", "fluconazole") not in rows
    assert all(0 <= r["ci_low"] <= r["value"] <= r["ci_high"] <= 100 for r in rows.values())
    alerts = [a for f in ESTABLISHMENTS for a in http.call("GET", f"/api/alerts?scope=establishment:{f}&year=2025", None,
                                                            national).data]  # fmt: skip
    auris = [a for a in alerts if a["species"] == "CANAUR"]
    kept = sum(r["n"] for (species, kind), r in rows.items() if species == "CANAUR" and kind == "fluconazole")
    assert len(auris) >= kept  # every C. auris tested for fluconazole raised its alert
