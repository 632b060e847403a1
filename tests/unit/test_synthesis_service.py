"""The syntheses' versions and downloads (API.md "Reports"): made once per claim however often a step is
retried, the next version for a new claim with the earlier kept; asked of the indicator service as the
scope's regional or national profile (closed data only); downloaded by that region's team, the national
team and the administrators, 404 for anyone else (another region's team, an establishment's member)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chalicelib.adapters.s3_report_archive import S3ReportArchive as ReportArchive
from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.indicators import Scope
from chalicelib.services.context import Context
from chalicelib.services.standard_reports import SynthesisService
from tests.fakes.identity import CountingIds
from tests.fakes.wiring import fake_world
from tests.support.lake_world import ADMIN
from tests.unit.test_report_service import AnsweringIndicators, CountingPrinter

CHU, OTHER = "440000990", "350000998"
MEMBER = Principal(Email("ref@chu.fr"), memberships={Finess(CHU): Status.REFERENT})
REGIONAL = Principal(Email("ars@pdl.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))
OTHER_REGIONAL = Principal(Email("ars@bzh.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("53"))}))
NATIONAL = Principal(Email("dgs@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))


@pytest.fixture
def setup() -> SimpleNamespace:
    """The world (two establishments, one member), the service, its printer and what it asked."""
    world = fake_world()
    world.services.tenants.create_establishment(ADMIN, CHU, "CHU de test", "CHU", "52")
    world.services.tenants.create_establishment(ADMIN, OTHER, "CH autre", "CH", "53")
    world.access.put_membership(Membership(Finess(CHU), Email("ref@chu.fr"), Status.REFERENT, "2026-01-01"))
    made = SimpleNamespace(world=world, printer=CountingPrinter(), indicators=AnsweringIndicators())
    archive = ReportArchive(world.objects, "exports-bucket")
    context = Context(world.clock, CountingIds(), world.audit)
    made.syntheses = SynthesisService(made.indicators, world.tenants, world.services.completeness, archive, made.printer,
                                      context, world.services.alerts)  # fmt: skip
    return made


def test_a_synthesis_is_asked_as_its_scopes_profile_never_as_a_member(setup):
    setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-1")
    assert {c.profiles for c in setup.indicators.callers} == {frozenset({(ProfileType.REGIONAL, RegionCode("52"))})}
    assert all(not c.memberships for c in setup.indicators.callers)
    setup.indicators.callers.clear()
    setup.syntheses.generate(Scope.parse("national"), 2025, "job-1")
    assert {c.profiles for c in setup.indicators.callers} == {frozenset({(ProfileType.NATIONAL, None)})}


def test_one_claim_makes_one_version_and_a_new_claim_the_next_with_the_earlier_kept(setup):
    first = setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-1")
    again = setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-1")  # the step retried
    second = setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-2")
    assert (first.version, again.version, second.version) == (1, 1, 2) and len(setup.printer.printed) == 2
    listed = setup.syntheses.versions(REGIONAL, "52")
    assert [(r["year"], r["version"]) for r in listed] == [(2025, 2), (2025, 1)]
    assert listed[1]["url"] == "/api/reports/regions/52/2025.pdf?version=1"
    assert setup.printer.printed[-1].footer == "Synthèse régionale 2025 — Pays de la Loire, version 2"


def test_the_regional_synthesis_downloads_for_its_region_the_national_team_and_admins(setup):
    setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-1")
    for caller in (REGIONAL, NATIONAL, ADMIN):
        ready = setup.syntheses.download(caller, "52", "2025.pdf", None)
        assert ready.filename == "synthese-region-52-2025-v1.pdf" and "reports/regions/52/2025/v1.pdf" in ready.url


@pytest.mark.parametrize("caller", [OTHER_REGIONAL, MEMBER], ids=["another region's team", "an establishment's member"])
def test_a_regional_synthesis_is_not_found_for_anyone_else(setup, caller):
    setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-1")
    with pytest.raises(NotFound):
        setup.syntheses.download(caller, "52", "2025.pdf", None)
    with pytest.raises(NotFound):
        setup.syntheses.versions(caller, "52")


@pytest.mark.parametrize("caller", [REGIONAL, MEMBER], ids=["a regional team", "an establishment's member"])
def test_the_national_synthesis_is_the_national_teams_and_not_found_for_anyone_else(setup, caller):
    setup.syntheses.generate(Scope.parse("national"), 2025, "job-1")
    assert setup.syntheses.download(NATIONAL, None, "2025.pdf", "1").filename == "synthese-nationale-2025-v1.pdf"
    with pytest.raises(NotFound):
        setup.syntheses.download(caller, None, "2025.pdf", None)


def test_an_unknown_year_version_or_region_is_not_found_and_a_malformed_version_refused(setup):
    setup.syntheses.generate(Scope.parse("region:52"), 2025, "job-1")
    for region, document, version in (("52", "2024.pdf", None), ("52", "2025.pdf", "2"), ("5x", "2025.pdf", None)):
        with pytest.raises(NotFound):
            setup.syntheses.download(NATIONAL, region, document, version)
    with pytest.raises(InvalidInput):
        setup.syntheses.download(NATIONAL, "52", "2025.pdf", "zéro")


def test_the_cover_counts_the_scopes_establishments_and_their_closed_periods(setup):
    for period in ("2025-T1", "2025-T2"):
        setup.world.periods.start_closing(Finess(CHU), period, "2026-01-01T00:00:00", "ref@chu.fr")
        setup.world.periods.finish_closing(Finess(CHU), period, "2026-01-01T00:00:00")
    setup.syntheses.generate(Scope.parse("national"), 2025, "job-1")
    cover = dict(setup.printer.printed[-1].cover.facts)
    assert cover["Établissements"] == "2 dans le périmètre, 0 ayant transmis des données"
    assert cover["Données clôturées"] == "1 établissement(s), dont 0 pour l'année entière"
    assert cover["Périodes clôturées"] == "2"
