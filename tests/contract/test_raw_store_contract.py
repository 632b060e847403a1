"""The raw port on the objects in memory and on S3 (emulator): an upload's file posted, read, touched and deleted
by its key, in a bucket the store alone names."""

from __future__ import annotations

import pytest

from chalicelib.adapters.s3_raw import S3RawStore
from chalicelib.domain.codes import Finess
from chalicelib.domain.imports import FileType
from chalicelib.domain.periods import Period
from chalicelib.domain.uploads import raw_key
from tests.fakes.stores import FakeObjectStore

KEY = raw_key(Finess("440000990"), FileType.RESISTANCE, Period.parse("2025-T1"), "u1", "antibiogrammes.csv")
OTHER = raw_key(Finess("440000990"), FileType.RESISTANCE, Period.parse("2025-T1"), "u2", "antibiogrammes.csv")


@pytest.fixture(params=["fake", "aws"])
def world(request):
    """The store, its objects and its bucket (to put a file as the browser's POST would)."""
    if request.param == "fake":
        objects, bucket = FakeObjectStore(), "the-raw"
    else:
        aws = request.getfixturevalue("aws")
        objects, bucket = aws.adapters.objects, aws.settings.buckets["raw"]
    return S3RawStore(objects, bucket), objects, bucket


def test_the_store_owns_its_bucket_and_no_other(world):
    raw, _, bucket = world
    assert raw.owns(bucket)
    assert not raw.owns(f"{bucket}-lake") and not raw.owns("")


def test_a_post_is_limited_to_the_upload_s_key_and_content_type(world):
    raw, _, _ = world
    post = raw.presigned_post(KEY, "text/csv", 1_000, 900)
    assert post["url"] and post["fields"]["key"] == KEY and post["fields"]["Content-Type"] == "text/csv"


def test_a_file_sent_is_found_by_its_key_and_read_whole(world):
    raw, objects, bucket = world
    objects.put(bucket, KEY, b"finess;date\n440000990;2025-01-02\n", "text/csv")
    head = raw.head(KEY)
    assert head is not None and head["size"] == 33
    assert raw.get(KEY) == b"finess;date\n440000990;2025-01-02\n"
    assert raw.head(OTHER) is None


def test_a_touched_file_keeps_its_content(world):
    raw, objects, bucket = world
    objects.put(bucket, KEY, b"a;b\n1;2\n", "text/csv")
    raw.touch(KEY)
    assert raw.get(KEY) == b"a;b\n1;2\n"


def test_a_deleted_file_is_gone_every_version_and_deleting_it_again_does_nothing(world):
    raw, objects, bucket = world
    objects.put(bucket, KEY, b"first", "text/csv")
    objects.put(bucket, KEY, b"second", "text/csv")
    objects.put(bucket, OTHER, b"kept", "text/csv")
    raw.delete(KEY)
    raw.delete(KEY)
    assert raw.head(KEY) is None and objects.list_keys(bucket, KEY) == []
    assert raw.get(OTHER) == b"kept"
