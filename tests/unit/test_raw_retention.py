"""A waiting upload's raw file is kept RAW_KEPT_DAYS after it was last written (the raw bucket's lifecycle)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.codes import Email, Finess
from chalicelib.domain.imports import FileType, UploadStatus
from chalicelib.domain.periods import Period
from chalicelib.domain.uploads import RAW_KEPT_DAYS, Upload, raw_expired
from infra.resources import BUCKETS

LAST_PROCESSED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def waiting() -> Upload:
    return Upload(
        "u1", Finess("440000990"), FileType.CONSUMPTION, Period.parse("2025-T1"), "c.csv", 10, UploadStatus.NEEDS_CATALOGUE,
        Email("r@chu.fr"), "2026-03-01T09:00:00+00:00", LAST_PROCESSED.isoformat(), "uploads/x",
    )  # fmt: skip


def test_a_file_last_processed_within_the_retention_is_taken_for_present():
    assert not raw_expired(waiting(), LAST_PROCESSED + timedelta(days=RAW_KEPT_DAYS))


def test_a_file_last_processed_beyond_the_retention_is_taken_for_gone():
    assert raw_expired(waiting(), LAST_PROCESSED + timedelta(days=RAW_KEPT_DAYS, minutes=1))


def test_the_raw_bucket_expires_its_files_after_the_same_retention():
    (raw,) = [bucket for bucket in BUCKETS if bucket.name == "raw"]
    assert raw.expire_days == RAW_KEPT_DAYS
