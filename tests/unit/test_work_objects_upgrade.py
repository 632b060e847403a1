"""A deduplication workflow begun by the previous version (its work objects in the earlier JSON format) and
run on by this one: it never reads them, and ends FAILED with the French message of any workflow failure,
its work area emptied (the identifiers' object first); the file can be sent again."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.domain.codes import Finess
from chalicelib.domain.imports import UploadStatus
from chalicelib.services.deduplication_messages import Failure, Message, Step
from infra.local.demo_antibiograms import antibiogram_rows
from tests.support import files
from tests.support.laboratory import a_world_with_a_laboratory
from tests.support.workflow import IN_ORDER

FINESS = "440000990"
UFS = ["0412", "1204"]


def an_import_begun_before_the_upgrade(first_tasks: tuple[str, ...]) -> tuple[Any, str, dict[str, Any]]:
    """The import's objects as the previous version wrote them (``first_tasks`` run by it), then this version's
    tasks in order, each failure caught as the state machine does (Catch: States.ALL -> Fail)."""
    world, referent, lab = a_world_with_a_laboratory(FINESS, UFS)
    raw, lake = world.services.settings.buckets["raw"], world.services.settings.buckets["lake"]
    workflow = world.services.deduplication
    seen: dict[str, Any] = {}

    def run(start: dict[str, Any]) -> None:
        area = f"work/{start['finess']}/{start['upload_id']}/"
        for key in world.objects.list_keys(raw, area):  # this version's objects: not there yet
            world.objects.delete_all_versions(raw, key)
        previous = {"isolates": raw, **dict.fromkeys(("pseudonyms", "decisions", "phenotypes")[: len(first_tasks)], lake)}
        if not first_tasks:
            previous["patients"] = raw
        for name, bucket in previous.items():
            document = {"format": f"consores-{name}-1", "values": ["IPP0070000148"], "codes": [0]}
            world.objects.put(bucket, f"{area}{name}.json", json.dumps(document).encode(), "application/json")
        message: Message = Step.model_validate(
            {**start, "raw_work_key": f"{area}patients.json", "work_key": f"{area}isolates.json"}
        )
        for task in IN_ORDER[len(first_tasks) :]:
            try:
                message = getattr(workflow, task)(message)
            except Exception as error:  # what the state machine catches (States.ALL)
                caught = {"Error": type(error).__name__, "Cause": str(error)}
                seen["finished"] = workflow.fail(Failure.model_validate({**message.to_wire(), "error": caught}))
                seen["failed_at"] = task
                return

    world.workflows.runner = run
    content = files.csv(antibiogram_rows(UFS, 2025, 7, 40, 25))
    upload, _, _ = world.services.uploads.create(referent, FINESS, "resistance", "2025", "a.csv", len(content), lab)
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    world.services.uploads.process_object(raw, upload.raw_key, "v1")
    return world, upload.upload_id, seen


def test_a_workflow_whose_work_objects_are_in_the_earlier_format_ends_failed_in_french_with_its_work_area_emptied():
    for first_tasks in ((), ("pseudonymise",), ("pseudonymise", "deduplicate", "phenotypes")):
        world, upload_id, seen = an_import_begun_before_the_upgrade(first_tasks)
        raw, lake = world.services.settings.buckets["raw"], world.services.settings.buckets["lake"]
        final = world.uploads.get(Finess(FINESS), upload_id)
        assert final is not None and final.status is UploadStatus.FAILED, first_tasks
        assert seen["finished"].status == UploadStatus.FAILED.value
        report = json.loads(world.objects.get(lake, f"reports/{FINESS}/{upload_id}.json"))
        assert report["summary"]["failure"]["message"].startswith("Le traitement des antibiogrammes a échoué")
        assert "renvoyer le fichier" in report["summary"]["failure"]["message"]
        assert world.objects.list_keys(raw, "work/") == [] and world.objects.list_keys(lake, "work/") == []
        assert world.objects.list_keys(lake, "lake/") == []  # nothing published
