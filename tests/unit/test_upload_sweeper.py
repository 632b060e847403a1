"""Every upload reaches a terminal status: the sweeper settles those stuck beyond their step's limit
(DOMAIN.md §10.2)."""

from __future__ import annotations

import json

from chalicelib.domain.imports import UploadStatus
from chalicelib.services.ports import CurrentDataset
from tests.unit.test_uploads_racing import CHU, REFERENT, a_world, send


def test_an_upload_left_processing_past_half_an_hour_fails_in_french_and_its_raw_file_goes():
    world = a_world()
    upload_id = send(world, "jh.csv", "2000")
    upload = world.uploads.get(CHU, upload_id)
    assert world.uploads.claim(CHU, upload_id, "v1", "2026-03-02T09:05:00.000+00:00")
    raw = world.services.settings.buckets["raw"]
    world.clock.advance(minutes=20)
    assert world.services.sweeper.sweep() == 0  # maybe still at work
    world.clock.advance(minutes=20)
    assert world.services.sweeper.sweep() == 1
    settled = world.uploads.get(CHU, upload_id)
    assert (settled.status, settled.error_code) == (UploadStatus.FAILED, "ERR_INTERRUPTED")
    assert (raw, upload.raw_key) not in world.objects.objects
    report = world.services.uploads.get(REFERENT, CHU.value, upload_id)[1]
    assert report["errors"][0]["code"] == "upload.interrupted"
    assert "Déposez-le à nouveau" in report["errors"][0]["message"]
    assert world.services.sweeper.sweep() == 0  # once


def test_an_upload_that_became_current_before_the_crash_is_recorded_as_done():
    world = a_world()
    upload_id = send(world, "jh.csv", "2000")
    world.uploads.claim(CHU, upload_id, "v1", "2026-03-02T09:05:00.000+00:00")
    world.uploads.datasets[(CHU, "patient_days", "2025-T1")] = CurrentDataset(CHU, "patient_days", "2025-T1", upload_id, (), 1)
    assert world.services.sweeper.sweep(interrupted=True) == 1
    assert world.uploads.get(CHU, upload_id).status is UploadStatus.VALIDATED
    report = world.services.uploads.get(REFERENT, CHU.value, upload_id)[1]  # its report is readable
    assert [w["code"] for w in report["warnings"]] == ["upload.recovered"]


def test_after_a_restart_what_was_processing_is_settled_at_once_but_a_file_on_its_way_may_still_arrive():
    world = a_world()
    processing, pending = send(world, "a.csv", "2000"), send(world, "b.csv", "2100")
    world.uploads.claim(CHU, processing, "v1", "2026-03-02T09:10:00.000+00:00")
    assert world.services.sweeper.sweep(interrupted=True) == 1
    assert world.uploads.get(CHU, processing).status is UploadStatus.FAILED
    assert world.uploads.get(CHU, pending).status is UploadStatus.PENDING
    upload = world.uploads.get(CHU, pending)
    world.objects.delete_all_versions(world.services.settings.buckets["raw"], upload.raw_key)  # it never came
    world.clock.advance(hours=3)
    assert world.services.sweeper.sweep() == 1
    never = world.services.uploads.get(REFERENT, CHU.value, pending)[1]
    assert "jamais arrivé" in json.dumps(never, ensure_ascii=False)


def test_a_pending_upload_whose_file_is_there_gets_its_event_again_for_a_day_then_is_given_up():
    """A resume or a catalogue revalidation cut between the reopening and the copy that makes the event."""
    world = a_world()
    pending = send(world, "b.csv", "2100")  # its file is in the raw bucket, its event lost
    raw_key = world.uploads.get(CHU, pending).raw_key
    world.clock.advance(hours=3)
    assert world.services.sweeper.sweep() == 0
    assert (world.services.settings.buckets["raw"], raw_key) in world.objects.touched  # the event again
    assert world.uploads.get(CHU, pending).status is UploadStatus.PENDING
    world.clock.advance(days=1)
    assert world.services.sweeper.sweep() == 1
    assert world.uploads.get(CHU, pending).status is UploadStatus.FAILED


def test_the_sweeper_is_a_scheduled_job():
    world = a_world()
    assert "sweep_uploads" in world.services.jobs
    from chalicelib.handlers.schedules import SCHEDULES

    assert "sweep_uploads" in SCHEDULES


def test_a_reopened_upload_whose_request_was_lost_and_file_expired_fails_saying_so_not_never_arrived():
    from dataclasses import replace

    world = a_world()
    pending = send(world, "b.csv", "2100")
    upload = world.uploads.get(CHU, pending)
    world.uploads.uploads[(CHU, pending)] = replace(upload, version_id="v1")  # processed once, reopened
    world.objects.delete_all_versions(world.services.settings.buckets["raw"], upload.raw_key)  # expired meanwhile
    world.clock.advance(hours=3)
    assert world.services.sweeper.sweep() == 1
    report = world.services.uploads.get(REFERENT, CHU.value, pending)[1]
    message = report["errors"][0]["message"]
    assert "n'est plus disponible" in message and "jamais arrivé" not in message
