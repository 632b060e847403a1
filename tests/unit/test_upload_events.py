"""An "object created" event is processed only for the raw bucket's uploads (the store says which bucket is its own)."""

from __future__ import annotations

from chalicelib.domain.imports import UploadStatus
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


def test_a_file_sent_to_be_imported_again_but_gone_ends_its_upload_rejected_with_the_reason():
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    assert world.services.uploads.process_again(upload.raw_key) is UploadStatus.REJECTED  # never written, or expired
    _, report = world.services.uploads.get(REFERENT, CHU.value, upload.upload_id)
    assert "n'est plus disponible" in report["errors"][0]["message"]


def test_a_file_sent_to_be_imported_again_is_copied_onto_itself_by_the_import_function():
    world = a_world()
    content = files.csv([files.PATIENT_DAYS_T1[0], ["0412", "2025-T1", "2000", "310"]])
    upload, _, _ = world.services.uploads.create(REFERENT, CHU.value, "patient_days", "2025-T1", "jh.csv", len(content), None)
    raw = world.services.settings.buckets["raw"]
    world.objects.put(raw, upload.raw_key, content, "text/csv")
    assert world.services.uploads.process_again(upload.raw_key) is UploadStatus.PENDING
    assert world.objects.touched == [(raw, upload.raw_key)]  # its "object created" event follows
    assert world.services.uploads.process_object(raw, upload.raw_key, "v2") is UploadStatus.VALIDATED
