"""Remaking a year's reports on demand (API.md "Reports", the national team): the request answers at once
and starts the generation workflow; its plan lists every establishment whose year is closed, each region
with establishments and the nation (or the one scope asked); each item, as the Map state runs it, makes
a version claimed by the request (a retried item makes no second one); an item that still fails is
recorded in French and the batch goes on; the request then reads its outcome."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from chalicelib.adapters.s3_generation_log import S3GenerationLog as GenerationLog
from chalicelib.adapters.s3_report_archive import S3ReportArchive as ReportArchive
from chalicelib.domain.access import Membership, ProfileType, Status
from chalicelib.domain.authorization import Principal
from chalicelib.domain.codes import Email, Finess, RegionCode
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.reports.shelves import Shelf
from chalicelib.services.context import Context
from chalicelib.services.guard import Guard
from chalicelib.services.standard_reports import ReportService, SynthesisService
from chalicelib.services.standard_reports.generation import GenerationService
from tests.fakes.identity import CountingIds
from tests.fakes.wiring import fake_world
from tests.support.lake_world import ADMIN
from tests.unit.test_report_service import AnsweringIndicators, CountingPrinter

CHU, CH, OTHER = "440000990", "490000999", "350000998"
NATIONAL = Principal(Email("dgs@sante.fr"), profiles=frozenset({(ProfileType.NATIONAL, None)}))
REGIONAL = Principal(Email("ars@pdl.fr"), profiles=frozenset({(ProfileType.REGIONAL, RegionCode("52"))}))


@pytest.fixture
def setup() -> SimpleNamespace:
    """Three establishments in two regions, 2025 closed for two of them; the reports printed by a counting printer."""
    world = fake_world()
    for finess, region in ((CHU, "52"), (CH, "52"), (OTHER, "53")):
        world.services.tenants.create_establishment(ADMIN, finess, f"CH {finess}", "CH", region)
    world.access.put_membership(Membership(Finess(CHU), Email("ref@chu.fr"), Status.REFERENT, "2026-01-01"))
    for finess in (CHU, OTHER):
        world.periods.start_closing(Finess(finess), "2025", "2026-01-01T00:00:00", "ref@chu.fr")
        world.periods.finish_closing(Finess(finess), "2025", "2026-01-01T00:00:00")
    made = SimpleNamespace(world=world, printer=CountingPrinter(), indicators=AnsweringIndicators())
    archive, context = ReportArchive(world.objects, "exports-bucket"), Context(world.clock, CountingIds(), world.audit)
    reports = ReportService(made.indicators, world.services.closure, world.tenants, world.access, world.periods, archive,
                            made.printer, world.mailer, Guard(world.tenants), context, world.services.alerts)  # fmt: skip
    made.syntheses = SynthesisService(made.indicators, world.tenants, world.services.completeness, archive, made.printer,
                                      context, world.services.alerts)  # fmt: skip
    made.generation = GenerationService(reports, made.syntheses, GenerationLog(world.objects, "exports-bucket"),
                                        world.workflows, Guard(world.tenants), context)  # fmt: skip
    made.archive = archive
    return made


def run_map(setup: SimpleNamespace, started: dict, failing: set[str] = frozenset()) -> dict:
    """The workflow as its definition runs it: Plan, then each item (Make; ItemFailed with the error Step
    Functions hands on when Make raised), then Finish; ``failing`` items raise as a broken printer would."""
    plan = setup.generation.task_plan(started)
    for item in plan["items"]:
        message = {"job_id": plan["job_id"], "year": plan["year"], "scope": item["scope"]}
        try:
            if item["scope"] in failing:
                raise RuntimeError("imprimante en panne")
            setup.generation.task_make(message)
        except Exception as error:  # the Map's Catch takes every error
            cause = json.dumps({"errorMessage": str(error), "errorType": type(error).__name__})
            setup.generation.task_item_failed({**message, "error": {"Error": type(error).__name__, "Cause": cause}})
    return setup.generation.task_finish({"job_id": plan["job_id"], "year": plan["year"]})


def started(setup: SimpleNamespace, scope: str | None = None) -> tuple[dict, dict]:
    answer = setup.generation.start(NATIONAL, "2025", scope)
    [(name, payload)] = setup.world.workflows.report_generations[-1:]
    assert name == f"reports-{answer['job_id']}"
    return answer, payload


def test_the_request_answers_at_once_running_and_starts_the_workflow(setup):
    answer, payload = started(setup)
    assert answer["status"] == "running" and answer["year"] == 2025 and answer["scope"] is None
    assert payload == {"job_id": answer["job_id"], "year": 2025, "scope": None}
    assert setup.printer.printed == []  # nothing made in the request


def test_the_plan_is_every_closed_establishment_each_region_and_the_nation(setup):
    _, payload = started(setup)
    plan = setup.generation.task_plan(payload)
    assert [i["scope"] for i in plan["items"]] == [f"establishment:{OTHER}", f"establishment:{CHU}", "region:52",
                                                   "region:53", "national"]  # fmt: skip


def test_every_item_is_made_and_the_request_reads_the_outcome(setup):
    answer, payload = started(setup)
    assert run_map(setup, payload) == {"job_id": answer["job_id"], "status": "done", "made": 5, "failed": 0}
    assert len(setup.printer.printed) == 5
    assert [r.version for r in setup.archive.versions(Shelf.region("53"))] == [1]
    done = setup.generation.get(NATIONAL, "2025", answer["job_id"])
    assert done["status"] == "done" and done["items"] == {"planned": 5, "made": 5, "failed": 0} and done["failures"] == []


def test_a_failing_item_is_recorded_in_french_and_the_others_are_made(setup):
    answer, payload = started(setup)
    assert run_map(setup, payload, failing={"region:53"})["failed"] == 1
    done = setup.generation.get(NATIONAL, "2025", answer["job_id"])
    assert done["items"] == {"planned": 5, "made": 4, "failed": 1}
    assert done["failures"] == [{"scope": "region:53",
                                 "message": "Synthèse de la région Bretagne : le rapport n'a pas pu être produit "
                                            "(imprimante en panne)."}]  # fmt: skip


def test_a_retried_item_makes_no_second_version_and_a_new_request_makes_the_next(setup):
    _, payload = started(setup, "region:52")
    run_map(setup, payload)
    setup.generation.task_make({"job_id": payload["job_id"], "year": 2025, "scope": "region:52"})  # Step Functions retried it
    assert [r.version for r in setup.archive.versions(Shelf.region("52"))] == [1]
    _, again = started(setup, "region:52")
    run_map(setup, again)
    assert [r.version for r in setup.archive.versions(Shelf.region("52"))] == [1, 2]


def test_an_establishment_whose_year_is_open_makes_no_report_and_says_why(setup):
    with pytest.raises(Conflict, match="n'est pas clôturée"):
        setup.generation.task_make({"job_id": "j", "year": 2025, "scope": f"establishment:{CH}"})
    assert setup.archive.versions(Shelf.establishment(CH)) == []


def test_only_the_national_team_asks_and_a_scope_or_year_must_exist(setup):
    with pytest.raises(Forbidden):
        setup.generation.start(REGIONAL, "2025", None)
    with pytest.raises(InvalidInput):
        setup.generation.start(NATIONAL, "25", None)
    with pytest.raises(InvalidInput):
        setup.generation.start(NATIONAL, "2025", "région:52")
    for scope in ("region:84", "establishment:750000002"):
        with pytest.raises(NotFound):
            setup.generation.start(NATIONAL, "2025", scope)
    with pytest.raises(NotFound):
        setup.generation.get(NATIONAL, "2025", "inconnue")
