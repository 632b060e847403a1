"""Who sees which figures (DOMAIN.md §10.1, API.md): every indicator route (values, combined,
strategy panel, trend, benchmark, open data) x every kind of caller x every scope x every `by`
the indicator accepts, for a closed year (2024) and a year A has not closed (2025).

The world (tests/support/visibility_world.py): establishments A and NEIGHBOUR in region 52, FAR
in region 11; everyone's 2024 closed; NEIGHBOUR's and FAR's 2025 closed; A's 2025 a draft. The
same requests also run on a world where A never imported its 2025: whoever is not a member of A
must get, figure for figure, the same answer there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import Client

from chalicelib import bootstrap
from chalicelib.domain.indicators import ESTABLISHMENT_ONLY_DIMENSIONS, INDICATORS
from chalicelib.handlers.http import ROUTES
from tests.fakes.identity import id_token_claims, sign
from tests.support import lake_fixture
from tests.support.contract import check_answer
from tests.support.visibility_world import (
    CALLERS,
    FAR,
    MEMBERS_OF_A,
    NEIGHBOUR,
    REGION_A,
    REGION_FAR,
    A,
    MemoEngine,
    build,
    email_of,
)

# About 14,000 requests: in `make test`, not in the fast loop.
pytestmark = pytest.mark.slow

SCOPES = (f"establishment:{A}", f"establishment:{NEIGHBOUR}", f"establishment:{FAR}",
          f"region:{REGION_A}", f"region:{REGION_FAR}", "national")  # fmt: skip

#: What each caller is answered, whatever the indicator, for each scope (a benchmark: for the
#: establishment compared): 200; 403, its role gives no such right; 404, a tenant it cannot see
#: (API.md: "absent or belongs to a tenant the caller cannot see").
SCOPE_ANSWERS: dict[str, tuple[int, ...]] = {
    #                              A     NEIGHBOUR  FAR   region A  region FAR  national
    "anonymous":                  (401,  401,       401,  401,      401,        401),
    "referent_of_A":              (200,  404,       404,  403,      403,        403),
    "contributeur_of_A":          (200,  404,       404,  403,      403,        403),
    "observateur_of_A":           (200,  404,       404,  403,      403,        403),
    "referent_of_another_region": (404,  404,       200,  403,      403,        403),
    "regional_of_A":              (200,  200,       404,  200,      404,        200),
    "regional_of_another_region": (404,  404,       200,  404,      200,        200),
    "national":                   (200,  200,       200,  200,      200,        200),
    "admin":                      (200,  200,       200,  200,      200,        200),
}  # fmt: skip
#: Open data: anyone, signed in or not, for a region or the nation; an establishment is never open data.
OPEN_SCOPES = (f"establishment:{A}", f"region:{REGION_A}", f"region:{REGION_FAR}", "national")
#: The options an indicator needs besides scope, year and by.
OPTIONS = {"pct_phenotype": {"phenotype": "sarm"}, "density_1000jh": {"phenotype": "sarm"}, "combined": {"pair": "c3g"}}
#: Indicators without a benchmark: compared establishments already (combined), a panel, or a grid
#: of species x antibiotics (pct_r, the cumulative antibiogram) or x antifungal classes (antifungal_r), or a share
#: of carbapenemase types no single percentile sums up.
NOT_COMPARED = ("combined", "strategy_panel", "pct_r", "antifungal_r", "carbapenemase", "cumulative_antibiogram")
REGION_OF = {A: REGION_A, NEIGHBOUR: REGION_A, FAR: REGION_FAR}
REGIONAL = {"regional_of_A": REGION_A, "regional_of_another_region": REGION_FAR}
#: The indicator routes this matrix walks (every one of the app's: see the last test).
WALKED = {"/api/indicators/{indicator_id}", "/api/indicators/{indicator_id}/trend",
          "/api/indicators/{indicator_id}/benchmark", "/api/open/indicators/{indicator_id}"}  # fmt: skip


@dataclass(frozen=True)
class Request:
    route: str  # values | trend | benchmark | open
    indicator: str
    scope: str  # a benchmark's: establishment:<the establishment compared>
    by: str | None
    year: int | None

    @property
    def path(self) -> str:
        options = OPTIONS.get(self.indicator, {})
        if self.route == "benchmark":
            params = {"establishment": self.scope.split(":")[1], "year": self.year, **({"by": self.by} if self.by else {}),
                      **options}  # fmt: skip
            return f"/api/indicators/{self.indicator}/benchmark?{urlencode(params)}"
        params = {"scope": self.scope, **({"by": self.by} if self.by else {}), **options}
        if self.route == "trend":
            return f"/api/indicators/{self.indicator}/trend?{urlencode({**params, 'from': 2024, 'to': 2025})}"
        prefix = "/api/open/indicators" if self.route == "open" else "/api/indicators"
        return f"{prefix}/{self.indicator}?{urlencode({**params, 'year': self.year})}"


def requests() -> Iterator[Request]:
    for indicator in INDICATORS.values():
        for by in (None, *indicator.dimensions):
            for scope in SCOPES:
                yield Request("values", indicator.id, scope, by, 2024)
                yield Request("values", indicator.id, scope, by, 2025)
                yield Request("trend", indicator.id, scope, by, None)
            for scope in OPEN_SCOPES:
                yield Request("open", indicator.id, scope, by, 2025)
        for by in (None, *indicator.dimensions):
            for finess in (A, NEIGHBOUR, FAR):
                for year in (2024, 2025):
                    yield Request("benchmark", indicator.id, f"establishment:{finess}", by, year)


def expected_status(request: Request, caller: str) -> int:
    if request.route == "open":
        if request.scope.startswith("establishment:") or request.indicator == "combined":
            return 404
        return 400 if request.by == "establishment" or request.by in ESTABLISHMENT_ONLY_DIMENSIONS else 200
    status = SCOPE_ANSWERS[caller][SCOPES.index(request.scope)]
    if status != 200:
        return status
    if request.route == "benchmark" and request.indicator in NOT_COMPARED:
        return 400  # no comparison among peers for these: their values are the answer
    if request.route == "benchmark" and request.by not in (None, "sector"):
        return 400  # a benchmark compares the establishment, or each of its sectors; any other `by` is refused
    if request.by in ESTABLISHMENT_ONLY_DIMENSIONS and not request.scope.startswith("establishment:"):
        return 400  # UF, service and pôle are an establishment's own
    return 200


Answers = dict[tuple[str, Request], tuple[int, Any]]


def _walk(world: Any) -> Answers:
    import app

    tokens = {caller: sign(id_token_claims(email_of(caller).value)) for caller, role in CALLERS.items() if role}
    answers: Answers = {}
    previous = bootstrap.install(world.services)
    try:
        with Client(app.app) as client:
            for request in requests():
                for caller in CALLERS:
                    headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller in tokens else {}
                    answer = client.http.get(request.path, headers=headers)
                    check_answer("GET", request.path, answer.status_code, answer.headers.get("Content-Type", ""), answer.body)
                    answers[caller, request] = (answer.status_code, json.loads(answer.body))
    finally:
        bootstrap.install(previous)
    return answers


@pytest.fixture(scope="module")
def answers() -> tuple[Answers, Answers]:
    """Every request's answer to every caller, in the world with A's draft and in the one without."""
    lake, memo = lake_fixture.build(), MemoEngine()
    return _walk(build(lake, True, memo)), _walk(build(lake, False, memo))


def test_every_caller_gets_the_status_the_table_gives_for_each_scope_and_by(answers):
    with_draft, _ = answers
    wrong = [f"{r.route} {r.path} as {caller}: {status} (expected {expected_status(r, caller)}) {body}"
             for (caller, r), (status, body) in with_draft.items() if status != expected_status(r, caller)]  # fmt: skip
    assert not wrong, f"{len(wrong)} unexpected answers, first ones:\n" + "\n".join(wrong[:20])
    assert len(with_draft) > 5000


def test_nobody_outside_A_sees_a_figure_of_its_draft(answers):
    """Values, not statuses: an outsider's answer is the one it gets where A never imported its 2025."""
    with_draft, without = answers
    leaks = [f"{r.path} as {caller}:\n  with A's draft   {body}\n  without A's draft {without[caller, r][1]}"
             for (caller, r), (_, body) in with_draft.items()
             if caller not in MEMBERS_OF_A and body != without[caller, r][1]]  # fmt: skip
    assert not leaks, f"{len(leaks)} answers change with A's draft, first ones:\n" + "\n".join(leaks[:10])


def test_A_members_see_their_draft_in_every_route_about_A(answers):
    """The comparison above can fail: A's draft is really there, for A's own people."""
    with_draft, without = answers
    for route in ("values", "trend", "benchmark"):
        for caller in MEMBERS_OF_A:
            about_a = [r for (c, r) in with_draft if c == caller and r.route == route and r.scope == f"establishment:{A}"
                       and r.year in (2025, None) and r.indicator == "ddj_1000jh" and r.by is None]  # fmt: skip
            assert about_a
            assert all(with_draft[caller, r][1] != without[caller, r][1] for r in about_a), (route, caller)


def test_a_regional_profile_never_gets_a_row_of_another_regions_establishment(answers):
    with_draft, _ = answers
    rows = 0
    for (caller, request), (_, body) in with_draft.items():
        if caller not in REGIONAL or not isinstance(body, dict):
            continue
        for row in body.get("rows") or []:
            if "establishment" in row:
                rows += 1
                assert REGION_OF[row["establishment"]] == REGIONAL[caller], f"{request.path} as {caller}: {row}"
    assert rows > 100  # per-establishment rows were asked for and given


def test_national_and_admin_read_every_establishments_closed_rows(answers):
    with_draft, _ = answers
    request = Request("values", "ddj_1000jh", "national", "establishment", 2024)
    for caller in ("national", "admin"):
        assert {row["establishment"] for row in with_draft[caller, request][1]["rows"]} == {A, NEIGHBOUR, FAR}


def test_a_refusal_carries_no_data(answers):
    with_draft, _ = answers
    for (caller, request), (status, body) in with_draft.items():
        if status >= 400:
            assert set(body) == {"code", "message", "details"}, f"{request.path} as {caller}: {body}"
            assert "rows" not in json.dumps(body["details"]) and "value" not in json.dumps(body["details"])


def test_the_matrix_walks_every_indicator_route_of_the_app():
    import app

    indicator_routes = {path for path in app.app.routes if path.startswith(("/api/indicators/", "/api/open/"))}
    assert indicator_routes == WALKED
    assert {r.path for r in ROUTES if r.path in WALKED} == WALKED
