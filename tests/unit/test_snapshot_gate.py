"""The embedded runtime's snapshots are never held back for long by the requests around them: a
snapshot goes before writes that arrive while it waits, reads never hold it, and a write held behind it
still enters in the end (a write may be waiting for another one)."""

from __future__ import annotations

import threading
import uuid

import boto3

from infra.local.emulator import SnapshotGate


def _overlapping_writers(gate: SnapshotGate, stop: threading.Event) -> list[threading.Thread]:
    """Two writers that hand over to each other: each enters, then leaves only once the other is in
    (or after 50 ms): without a snapshot going first, a request is always in flight."""
    inside = [threading.Event(), threading.Event()]

    def write(me: int) -> None:
        while not stop.is_set():
            gate.enter()
            inside[me].set()
            inside[1 - me].wait(0.05)
            inside[1 - me].clear()
            gate.leave(wrote=True)

    threads = [threading.Thread(target=write, args=(n,), daemon=True) for n in (0, 1)]
    for thread in threads:
        thread.start()
    return threads


def test_a_snapshot_is_taken_while_writes_keep_overlapping():
    gate, stop, taken = SnapshotGate(hold_seconds=60), threading.Event(), threading.Event()
    writers = _overlapping_writers(gate, stop)
    snapshot = threading.Thread(target=gate.quiet, args=(taken.set,), daemon=True)
    snapshot.start()
    taken.wait(30)
    stop.set()
    for thread in writers:
        thread.join(10)
    assert taken.is_set(), "the snapshot waited for the writers to stop"
    assert gate.generation > 0


def test_a_write_held_behind_a_waiting_snapshot_enters_after_the_hold():
    gate = SnapshotGate(hold_seconds=0.2)
    gate.enter()  # a write in flight, which will wait for a second one before it ends
    snapshot = threading.Thread(target=gate.quiet, args=(lambda: None,), daemon=True)
    snapshot.start()
    second = threading.Thread(target=lambda: (gate.enter(), gate.leave(wrote=True)), daemon=True)
    second.start()
    second.join(30)
    assert not second.is_alive(), "the second write waited for a snapshot that waited for the first"
    gate.leave(wrote=True)
    snapshot.join(30)
    assert not snapshot.is_alive()


def test_a_read_is_answered_while_a_snapshot_is_being_taken(emulator):
    s3 = boto3.client("s3", endpoint_url=emulator.url, region_name="eu-west-3", aws_access_key_id="x", aws_secret_access_key="x")
    bucket = f"b{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    s3.put_object(Bucket=bucket, Key="lake/part.parquet", Body=b"PAR1")
    saving, read, read_during_the_snapshot = threading.Event(), threading.Event(), []

    def snapshot() -> None:
        saving.set()
        read_during_the_snapshot.append(read.wait(30))

    taking = threading.Thread(target=emulator.gate.quiet, args=(snapshot,), daemon=True)
    taking.start()
    assert saving.wait(30)
    try:
        assert s3.get_object(Bucket=bucket, Key="lake/part.parquet")["Body"].read() == b"PAR1"
        read.set()
    finally:
        taking.join(60)
    assert read_during_the_snapshot == [True]


def test_a_get_of_the_query_protocol_is_counted_as_a_write_and_a_plain_get_is_a_read():
    from infra.local.emulator import may_write

    assert may_write({"REQUEST_METHOD": "GET", "QUERY_STRING": "Action=SendMessage&QueueUrl=q"})
    assert not may_write({"REQUEST_METHOD": "GET", "QUERY_STRING": "list-type=2&prefix=lake%2F"})
    assert not may_write({"REQUEST_METHOD": "HEAD", "PATH_INFO": "/bucket/key"})
    assert may_write({"REQUEST_METHOD": "PUT", "PATH_INFO": "/bucket/key"})
