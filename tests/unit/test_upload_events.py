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
