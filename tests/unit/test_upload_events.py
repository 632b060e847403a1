"""An "object created" event is processed only for the raw bucket's uploads (the store says which bucket is its own)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.imports import Report, UploadStatus
from tests.support import files
from tests.unit.test_uploads_racing import CHU, REFERENT, a_world


def test_an_object_created_in_another_bucket_under_an_upload_s_key_is_ignored_and_the_upload_waits():
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    buckets = world.services.settings.buckets
    for bucket in ("lake", "exports", "raw"):
        world.objects.put(buckets[bucket], upload.raw_key, content, "text/csv")
    assert world.services.uploads.process_object(buckets["lake"], upload.raw_key, "v1") is None
    assert world.services.uploads.process_object(buckets["exports"], upload.raw_key, "v1") is None
    waiting = world.uploads.get(CHU, upload.upload_id)
    assert waiting is not None and waiting.status is UploadStatus.PENDING
    assert world.services.uploads.process_object(buckets["raw"], upload.raw_key, "v1") is UploadStatus.VALIDATED


def reopened(world, upload):
    """As a resume leaves it: processed once (a version claimed), PENDING again."""
    world.uploads.uploads[(CHU, upload.upload_id)] = replace(world.uploads.get(CHU, upload.upload_id), version_id="v1")


def test_a_file_sent_to_be_imported_again_but_gone_ends_its_upload_rejected_with_the_reason():
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    reopened(world, upload)
    assert world.services.uploads.process_again(upload.raw_key) is UploadStatus.REJECTED  # expired
    _, report = world.services.uploads.get(REFERENT, CHU.value, upload.upload_id)
    assert "n'est plus disponible" in report["errors"][0]["message"]


def test_a_file_sent_to_be_imported_again_is_copied_onto_itself_by_the_import_function():
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    reopened(world, upload)
    assert world.services.uploads.process_again(upload.raw_key) is UploadStatus.PENDING
    assert world.objects.touched == [(raw, upload.raw_key)]  # its "object created" event follows
    assert world.services.uploads.process_object(raw, upload.raw_key, "v2") is UploadStatus.VALIDATED


def test_a_request_to_process_again_an_upload_whose_file_was_never_sent_does_nothing():
    """A stray or forged request before the browser's POST: the upload waits for its file, which is then imported."""
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    assert world.services.uploads.process_again(upload.raw_key) is None
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    assert world.services.uploads.process_object(raw, upload.raw_key, "v1") is UploadStatus.VALIDATED


def test_a_resume_whose_request_cannot_be_made_still_answers_that_the_upload_is_pending_for_the_sweeper():
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    waiting = replace(world.uploads.get(CHU, upload.upload_id), version_id="v1", status=UploadStatus.NEEDS_MAPPING)
    world.uploads.uploads[(CHU, upload.upload_id)] = waiting
    world.services.adapters.reports.put(waiting, Report())  # as its first processing left it
    world.imports.failure = RuntimeError("Lambda unreachable")
    resumed = world.services.uploads.resume(REFERENT, CHU.value, upload.upload_id)
    assert resumed.status is UploadStatus.PENDING
    assert world.uploads.get(CHU, upload.upload_id).status is UploadStatus.PENDING  # the sweeper's from here
