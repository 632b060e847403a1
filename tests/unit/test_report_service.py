"""The standard report's versions (DOMAIN.md §10.8, API.md "Reports"): made when a closure completes
the year, once per closure however often its step is retried, again after a reopening and re-closure
(the earlier versions kept); e-mailed to the members as a link; listed and downloaded by those who
may analyse the establishment, 404 for anyone else."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from chalicelib.adapters.s3_report_archive import S3ReportArchive as ReportArchive
from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.reports.model import Report
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.ports.standard_report import PrintedReport
from chalicelib.services.standard_reports import ReportService
from tests.fakes.identity import CountingIds
from tests.fakes.wiring import FakeWorld, fake_world
from tests.support.lake_world import ADMIN

CHU, OTHER = "440000990", "350000998"
MEMBER = Principal(Email("obs@chu.fr"), memberships={Finess(CHU): Status.OBSERVATEUR})
STRANGER = Principal(Email("ref@autre.fr"), memberships={Finess(OTHER): Status.REFERENT})
REGIONAL = Principal(Email("ars@pdl.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
OTHER_REGIONAL = Principal(Email("ars@bzh.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("53"))}))
QUARTERS = ("2025-T1", "2025-T2", "2025-T3", "2025-T4")


@dataclass
class CountingPrinter:
    """Prints a one-line PDF naming the report, and counts what it printed."""

    printed: list[Report] = field(default_factory=list)
    fails: bool = False

    def print(self, report: Report) -> PrintedReport:
        if self.fails:
            raise RuntimeError("printer down")
        self.printed.append(report)
        return PrintedReport(f"%PDF {report.footer}".encode(), 11)


class AnsweringIndicators:
    """The indicator service as the report asks it, answering at once (its numbers are the PDF test's
    business, tests/unit/test_report_pdf.py); remembers who asked."""

    def __init__(self) -> None:
        self.callers: list[Principal] = []

    def _answer(self, caller: Principal, *_: object) -> dict:
        self.callers.append(caller)
        return {"rows": []}

    compute = trend = benchmark = _answer


@dataclass
class Setup:
    world: FakeWorld
    reports: ReportService
    printer: CountingPrinter
    indicators: AnsweringIndicators


@pytest.fixture
def setup() -> Setup:
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU, "CHU de test", "CHU", "52")
    world.services.tenants.create_establishment(ADMIN, OTHER, "CH autre", "CH", "53")
    for email, status in (("ref@chu.fr", Status.REFERENT), ("obs@chu.fr", Status.OBSERVATEUR)):
        world.access.put_membership(Membership(Finess(CHU), Email(email), status, "2026-01-01"))
    printer, indicators = CountingPrinter(), AnsweringIndicators()
    exports = world.services.settings.buckets["exports"]
    reports = ReportService(
        indicators, world.services.closure, world.tenants, world.access, world.periods,
        ReportArchive(world.objects, exports), printer, world.mailer, Guard(world.tenants),
        Context(world.clock, CountingIds(), world.audit), world.services.alerts, "https://consores.example",
    )  # fmt: skip
    return Setup(world, reports, printer, indicators)


def close(setup: Setup, *periods: str) -> None:
    for period in periods:
        now = setup.world.clock.now().isoformat()
        setup.world.periods.start_closing(Finess(CHU), period, now, "ref@chu.fr")
        setup.world.periods.finish_closing(Finess(CHU), period, now)


def reclose(setup: Setup, period: str) -> None:
    """The national team reopens the period a month later, and the establishment closes it again."""
    setup.world.clock.advance(days=30)
    setup.world.periods.reopen(Finess(CHU), period, setup.world.clock.now().isoformat(), "national@sante.fr", "correction")
    close(setup, period)


def closure(period: str, claim: str) -> dict:
    return {"finess": CHU, "period": period, "by": "ref@chu.fr", "closure": claim}


def test_a_closure_that_leaves_a_period_of_the_year_open_makes_no_report(setup):
    close(setup, *QUARTERS[:3])
    assert setup.reports.task_report(closure("2025-T3", "c3"))["report"] is None
    assert setup.printer.printed == [] and setup.reports.list(MEMBER, CHU) == []


def test_the_closure_of_the_years_last_period_makes_version_1_and_a_retried_step_no_second(setup):
    close(setup, *QUARTERS)
    first = setup.reports.task_report(closure("2025-T4", "c4"))
    again = setup.reports.task_report(closure("2025-T4", "c4"))  # Step Functions retried the step
    assert first["report"] == again["report"] == {"year": 2025, "version": 1, "pages": 11}
    assert len(setup.printer.printed) == 1
    assert [(r["year"], r["version"]) for r in setup.reports.list(MEMBER, CHU)] == [(2025, 1)]


def test_a_reclosure_after_a_reopening_makes_the_next_version_and_keeps_the_earlier(setup):
    close(setup, "2025")
    setup.reports.task_report(closure("2025", "first"))
    reclose(setup, "2025")
    assert setup.reports.task_report(closure("2025", "second"))["report"]["version"] == 2
    listed = setup.reports.list(MEMBER, CHU)
    assert [(r["version"], r["generated_at"][:10]) for r in listed] == [(2, "2026-04-01"), (1, "2026-03-02")]
    assert listed[1]["url"] == f"/api/establishments/{CHU}/reports/2025.pdf?version=1"
    assert setup.printer.printed[-1].footer == "CHU de test — rapport 2025, version 2"


def test_two_closure_workflows_that_find_the_same_year_closed_make_one_version_mailed_once(setup):
    """Two quarters closed seconds apart: the first one's workflow may reach its report step after the second
    quarter closed, and both find the year closed."""
    close(setup, *QUARTERS)
    made = [setup.reports.task_report(closure(quarter, f"c-{quarter}")) for quarter in ("2025-T3", "2025-T4")]
    assert made[0]["report"] == {"year": 2025, "version": 1, "pages": 11} and made[1]["report"] is None
    for answer in made:
        setup.reports.task_report_mail(answer)
    assert len(setup.printer.printed) == 1 and len(setup.world.mailer.sent) == 1
    assert [(r["year"], r["version"]) for r in setup.reports.list(MEMBER, CHU)] == [(2025, 1)]


def test_the_members_are_emailed_a_link_to_the_establishments_periods_page(setup):
    close(setup, "2025")
    made = setup.reports.task_report(closure("2025", "c"))
    setup.reports.task_report_mail(made)
    letter = setup.world.mailer.last_to("obs@chu.fr")
    assert set(letter.to) == {"ref@chu.fr", "obs@chu.fr"}
    assert letter.subject == "ConsoRes : rapport 2025 de CHU de test disponible"
    assert f"https://consores.example/#/etablissements/{CHU}/periodes?annee=2025" in letter.body


def test_no_mail_is_sent_when_the_closure_made_no_report(setup):
    setup.reports.task_report_mail({**closure("2025-T1", "c"), "report": None})
    assert setup.world.mailer.sent == []


def test_a_report_that_failed_is_told_to_the_members_in_french_and_the_closure_stands(setup):
    close(setup, "2025")
    setup.printer.fails = True
    with pytest.raises(RuntimeError):
        setup.reports.task_report(closure("2025", "c"))  # the state machine retries, then catches
    failed = {**closure("2025", "c"), "error": {"Error": "RuntimeError", "Cause": "printer down"}}
    answer = setup.reports.task_report_failed(failed)
    assert answer["report"] is None and answer["report_failed"] is True and "error" not in answer
    assert "n'a pas pu être produit" in setup.world.mailer.last_to("ref@chu.fr").subject
    assert setup.world.periods.states(Finess(CHU), 2025)[0].status == "closed"


def test_the_latest_version_downloads_by_default_and_an_earlier_one_on_request(setup):
    close(setup, "2025")
    setup.reports.task_report(closure("2025", "first"))
    reclose(setup, "2025")
    setup.reports.task_report(closure("2025", "second"))
    latest = setup.reports.download(MEMBER, CHU, "2025.pdf", None)
    assert latest.filename == f"rapport-{CHU}-2025-v2.pdf" and f"reports/establishments/{CHU}/2025/v2.pdf" in latest.url
    assert setup.reports.download(REGIONAL, CHU, "2025.pdf", "1").filename == f"rapport-{CHU}-2025-v1.pdf"
    with pytest.raises(NotFound, match="Aucun rapport 2025 en version 3"):
        setup.reports.download(MEMBER, CHU, "2025.pdf", "3")
    with pytest.raises(NotFound, match="Aucun rapport 2024"):
        setup.reports.download(MEMBER, CHU, "2024.pdf", None)
    with pytest.raises(NotFound):
        setup.reports.download(MEMBER, CHU, "2025.xlsx", None)
    with pytest.raises(InvalidInput):
        setup.reports.download(MEMBER, CHU, "2025.pdf", "v1")


@pytest.mark.parametrize("caller", [STRANGER, OTHER_REGIONAL], ids=["another establishment's member", "another region"])
def test_whoever_may_not_analyse_the_establishment_finds_no_report(setup, caller):
    close(setup, "2025")
    setup.reports.task_report(closure("2025", "c"))
    with pytest.raises(NotFound):
        setup.reports.list(caller, CHU)
    with pytest.raises(NotFound):
        setup.reports.download(caller, CHU, "2025.pdf", None)


def test_the_content_is_asked_as_an_observateur_of_the_establishment_and_nobody_else(setup):
    close(setup, "2025")
    setup.reports.task_report(closure("2025", "c"))
    reader = Principal(Email("rapports@consores.fr"), memberships={Finess(CHU): Status.OBSERVATEUR})
    assert setup.indicators.callers and all(caller == reader for caller in setup.indicators.callers)
    assert dict(setup.printer.printed[0].cover.facts)["Statut des données"] == "Données clôturées (définitives)"
