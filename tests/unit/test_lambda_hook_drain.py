"""The embedded runtime's asynchronous invocations: draining waits for those queued meanwhile too (a request to
process a file again queues the "object created" event of its copy)."""

from __future__ import annotations

import threading
import time

from infra.local import lambda_hook


def queue(job) -> None:
    with lambda_hook._pending_lock:
        lambda_hook._pending.add(lambda_hook._background.submit(job))


def test_draining_waits_for_an_invocation_queued_by_an_invocation_being_drained():
    done = threading.Event()

    def second() -> None:
        time.sleep(0.2)
        done.set()

    def first() -> None:
        time.sleep(0.1)
        queue(second)

    queue(first)
    lambda_hook.drain(timeout=10)
    assert done.is_set()
