"""Issue 17 on the embedded platform (the emulator runs the generation's definition, Map state included,
with the same ASL as the cloud): the national team remakes the demo year's reports — every closed
establishment's, both regions' syntheses and the national one —; the regional team downloads its region's
synthesis and reads in it the API's figures for the region, French-formatted; another region's synthesis
and the national one are 404 for it, the region's for an establishment's member; an item that fails is
recorded in French and the request still ends done."""

from __future__ import annotations

import time

import pypdfium2 as pdfium
import pytest
import requests

from chalicelib.domain.reports import french
from tests.flows.conftest import Http, start_platform
from tests.flows.test_ears_net_export import login

#: The module shares one demo platform: its tests run one after the other on one worker, never between
#: another module's (a platform stopping resets the process's services, which this one's requests use).
pytestmark = pytest.mark.xdist_group("demo-report-generation")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    running = start_platform(tmp_path_factory.mktemp("syntheses") / "data", demo=True)
    yield running
    running.stop()


def generated(http: Http, token: str, scope: str | None = None) -> dict:
    """Ask (202, running) and follow the request until its workflow is done."""
    answer = http.call("POST", "/api/admin/reports/2025/generate", {"scope": scope} if scope else {}, token)
    assert answer.status_code == 202 and answer.data["status"] == "running", answer.text
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        found = http.call("GET", f"/api/admin/reports/2025/generate/{answer.data['job_id']}", None, token).data
        if found["status"] != "running":
            return found
        time.sleep(1)
    raise AssertionError(f"generation {answer.data['job_id']} still running")


def pdf_text(http: Http, path: str, token: str) -> str:
    located = http.session.get(f"{http.base}{path}", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                               timeout=30)  # fmt: skip
    assert located.status_code == 200, located.text
    content = requests.get(located.json()["url"], timeout=30).content
    document = pdfium.PdfDocument(content)
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.slow
def test_the_national_team_remakes_the_years_reports_through_the_map_state_and_each_profile_reads_its_own(demo):
    http = Http(demo.url)
    national, regional = login(http, "national@sante-demo.fr"), login(http, "regional@ars-pdl-demo.fr")
    referent = login(http, "referent@chu-demo.fr")
    assert http.call("POST", "/api/admin/reports/2025/generate", {}, regional).status_code == 403

    done = generated(http, national)
    assert done["status"] == "done" and done["failures"] == [], done
    assert done["items"]["made"] == done["items"]["planned"] >= 3 + 2 + 1  # three closed establishments, two regions, France
    chu = http.call("GET", "/api/establishments/440000990/reports", None, referent).data
    assert any(r["year"] == 2025 for r in chu)

    text = pdf_text(http, "/api/reports/regions/52/2025.pdf", regional)
    total = http.call("GET", "/api/indicators/ddj_1000jh?scope=region:52&year=2025", None, regional).data["rows"][0]
    assert f"{french.decimal(total['value'])} DDJ/1000 JH".replace("\u202f", " ") in text
    assert f"{french.count(total['denominator'])} journées".replace("\u202f", " ") in text
    assert "Synthèse régionale 2025" in text and "Haute-Bretagne" not in text
    assert [v["version"] for v in http.call("GET", "/api/reports/regions/52", None, regional).data] == [1]

    for path, token in (("/api/reports/regions/53/2025.pdf", regional), ("/api/reports/national/2025.pdf", regional),
                        ("/api/reports/regions/52/2025.pdf", referent), ("/api/reports/national", referent)):  # fmt: skip
        assert http.call("GET", path, None, token).status_code == 404, path
    assert "Synthèse nationale 2025" in pdf_text(http, "/api/reports/national/2025.pdf", national)


@pytest.mark.slow
def test_an_item_that_fails_is_recorded_in_french_and_the_request_still_ends(demo):
    http = Http(demo.url)
    national = login(http, "national@sante-demo.fr")
    done = generated(http, national, "establishment:850000993")  # the demo clinic never closed its year
    assert done["status"] == "done" and done["items"] == {"planned": 1, "made": 0, "failed": 1}
    [failure] = done["failures"]
    assert failure["scope"] == "establishment:850000993" and "n'est pas clôturée" in failure["message"]
